package uvs.sync.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Arrays;
import java.util.HexFormat;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import uvs.core.Engine;
import uvs.core.EngineConfig;
import uvs.core.conn.ConnFlags;
import uvs.core.conn.ConnTable;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.proto.TcpState;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServer;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceKey;
import uvs.sync.SyncDaemonConfig;
import uvs.sync.codec.SyncDropReason;
import uvs.sync.codec.SyncEntry;
import uvs.sync.codec.SyncMessageWriter;
import uvs.sync.ext.UvsSeal;
import uvs.sync.ext.UvsTrailer;
import uvs.sync.transport.InMemorySyncTransport;
import uvs.sync.transport.ReceiveRingTransport;
import uvs.sync.transport.SyncTransport;
import uvs.time.Jiffies;
import uvs.time.ManualClock;

/** The backup daemon: receive, validate (spec §1.6) and apply (spec §3). */
class SyncBackupTest {
    private static final IpAddress VIP = IpAddress.parse("10.1.1.1");
    private static final IpAddress RS = IpAddress.parse("10.2.2.2");
    private static final ServiceKey HTTP = ServiceKey.of(IpProto.TCP, VIP, 80);
    /** Spec §1.9: v1, syncid 7, a TCP DR conn 10.0.0.1:12345 (ESTABLISHED, 900 s) and its template (360 s). */
    private static final byte[] V1_CONN_AND_TEMPLATE = hex("""
        00 07 00 50 02 01 00 00 00 06 00 24 00 00 00 83
        00 01 30 39 00 50 00 50 00 00 00 00 00 00 03 84
        0a 00 00 01 0a 01 01 01 0a 02 02 02 00 06 00 24
        00 00 11 83 00 01 00 00 00 50 00 50 00 00 00 00
        00 00 01 68 0a 00 00 01 0a 01 01 01 0a 02 02 02
        """);
    /** Spec §1.9: v0, syncid 7, the same conn. */
    private static final byte[] V0_CONN = hex(
        "01 07 00 1c 00 06 30 39 00 50 00 50 0a 00 00 01 0a 01 01 01 0a 02 02 02 00 83 00 01");

    private final ManualClock clock = new ManualClock();
    private final Engine engine = new Engine(clock, EngineConfig.defaults().withCapacity(4096, 256));
    private final InMemorySyncTransport wire = new InMemorySyncTransport(1, 1, 0);

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("[^0-9a-fA-F]", ""));
    }

    private RealServer configure(ForwardMethod method) {
        engine.addService(HTTP, ServiceConfig.persistent("rr", 360));
        return engine.addDest(HTTP, RS, 80, RealServerConfig.of(1, method));
    }

    private SyncBackup backup(SyncDaemonConfig cfg) {
        SyncBackup b = new SyncBackup(engine, cfg, wire, 1500);
        b.start();
        return b;
    }

    private void send(byte[] datagram) {
        wire.send(new UnsafeBuffer(datagram), 0, datagram.length, 0);
    }

    @Test
    void shouldApplyTheReferenceConnAndTemplateWithTheLocalForwardingMethod() {
        RealServer rs = configure(ForwardMethod.TUNNEL);
        SyncBackup b = backup(SyncDaemonConfig.backup());
        send(V1_CONN_AND_TEMPLATE);
        assertThat(b.doWork()).isEqualTo(1);
        assertThat(b.counters().created()).isEqualTo(2);
        ConnTable t = engine.conns4();
        int c = t.lookupIn(IpProto.TCP, 0, 0x0a00_0001L, 12345, 0, VIP.lo(), 80);
        assertThat(c).isNotEqualTo(ConnTable.NONE);
        // the master's DR|NOOUTPUT is replaced by the local tunnel dest's TUNNEL|NOOUTPUT; SYNC added
        assertThat(t.flags(c) & (ConnFlags.FWD_MASK | ConnFlags.NOOUTPUT | ConnFlags.SYNC | ConnFlags.INACTIVE))
            .isEqualTo(ConnFlags.TUNNEL | ConnFlags.NOOUTPUT | ConnFlags.SYNC);
        assertThat(t.state(c)).isEqualTo(TcpState.ESTABLISHED);
        assertThat(t.timeout(c)).isEqualTo(Jiffies.fromSeconds(900));
        assertThat(engine.destOf(t, c)).isSameAs(rs);
        int tpl = t.lookupTemplate(IpProto.TCP, 0, 0x0a00_0001L, 0, VIP.lo(), 80);
        assertThat(tpl).isNotEqualTo(ConnTable.NONE);
        assertThat(t.timeout(tpl)).isEqualTo(Jiffies.fromSeconds(360));
        assertThat(t.state(tpl)).isEqualTo(1);
        assertThat(rs.activeConns()).isEqualTo(1);
        assertThat(rs.persistConns()).isEqualTo(1);
        // the same message again only refreshes both
        send(V1_CONN_AND_TEMPLATE);
        b.doWork();
        assertThat(b.counters().updated()).isEqualTo(2);
        assertThat(b.counters().datagrams()).isEqualTo(2);
    }

    @Test
    void shouldApplyV0EntryWithTheLocalTimeout() {
        configure(ForwardMethod.ROUTE);
        engine.setTimeouts(700, 0, 0);
        SyncBackup b = backup(SyncDaemonConfig.backup());
        send(V0_CONN);
        b.doWork();
        ConnTable t = engine.conns4();
        int c = t.lookupIn(IpProto.TCP, 0, 0x0a00_0001L, 12345, 0, VIP.lo(), 80);
        // v0 has no timeout: the backup's own ESTABLISHED timeout (700 s here) applies
        assertThat(t.timeout(c)).isEqualTo(Jiffies.fromSeconds(700));
        assertThat(b.counters().receive().v0Messages()).isEqualTo(1);
    }

    @Test
    void shouldDropMessagesOfAnotherSyncidUnlessTheBackupSyncidIsZero() {
        configure(ForwardMethod.ROUTE);
        SyncBackup b = backup(SyncDaemonConfig.backup().withSyncid(5));
        send(V1_CONN_AND_TEMPLATE);
        b.doWork();
        assertThat(b.counters().receive().dropped(SyncDropReason.SYNCID_MISMATCH)).isEqualTo(1);
        assertThat(engine.conns4().size()).isZero();
        SyncBackup any = backup(SyncDaemonConfig.backup().withSyncid(0));
        send(V1_CONN_AND_TEMPLATE);
        any.doWork();
        assertThat(engine.conns4().size()).isEqualTo(2);
    }

    @Test
    void shouldTruncateDatagramsLongerThanTheBackupMaxlenSoTheyFailTheSizeCheck() {
        configure(ForwardMethod.ROUTE);
        // configured 1000 is raised to the backup minimum 1024
        SyncBackup b = backup(SyncDaemonConfig.backup().withMaxlen(1000));
        assertThat(b.maxlen()).isEqualTo(1024);
        // a master message of 8 + 40 * 36 = 1448 bytes
        UnsafeBuffer buf = new UnsafeBuffer(new byte[SyncMessageWriter.requiredCapacity(1472)]);
        SyncMessageWriter w = new SyncMessageWriter().wrap(buf, 0, 1472).start(1, 0);
        SyncEntry e = new SyncEntry();
        for (int i = 0; i < 40; i++) {
            e.clear();
            e.protocol = IpProto.TCP;
            e.flags = ConnFlags.DROUTE;
            e.state = TcpState.ESTABLISHED;
            e.cport = 1000 + i;
            e.vport = 80;
            e.dport = 80;
            e.timeout = 900;
            e.caddrLo = 0x0a00_0001L;
            e.vaddrLo = VIP.lo();
            e.daddrLo = RS.lo();
            w.tryAppend(e);
        }
        int len = w.finish();
        assertThat(len).isEqualTo(1448);
        wire.send(buf, 0, len, 0);
        b.doWork();
        assertThat(b.counters().receive().bytes()).isEqualTo(1024);
        assertThat(b.counters().receive().dropped(SyncDropReason.SIZE_MISMATCH)).isEqualTo(1);
        assertThat(engine.conns4().size()).isZero();
    }

    @Test
    void shouldHandleAtMostSixtyFourDatagramsPerPortAndCall() {
        configure(ForwardMethod.ROUTE);
        SyncBackup b = backup(SyncDaemonConfig.backup());
        for (int i = 0; i < 100; i++) {
            send(V1_CONN_AND_TEMPLATE);
        }
        assertThat(b.doWork()).isEqualTo(64);
        assertThat(b.doWork()).isEqualTo(36);
        assertThat(b.doWork()).isZero();
    }

    @Test
    void shouldClampHugeTimeouts() {
        configure(ForwardMethod.ROUTE);
        SyncBackup b = backup(SyncDaemonConfig.backup());
        byte[] m = V1_CONN_AND_TEMPLATE.clone();
        // timeout field of the first entry (offset 8 + 20) = 0xffffffff s
        for (int i = 0; i < 4; i++) {
            m[28 + i] = (byte) 0xff;
        }
        send(m);
        b.doWork();
        ConnTable t = engine.conns4();
        int c = t.lookupIn(IpProto.TCP, 0, 0x0a00_0001L, 12345, 0, VIP.lo(), 80);
        assertThat(t.timeout(c)).isEqualTo(Jiffies.fromSeconds(SyncBackup.MAX_TIMEOUT_SECONDS));
        clock.advanceSeconds(1000);
        engine.doWork();
        assertThat(t.isLive(c)).isTrue();
    }

    @Test
    void shouldReceiveThroughTheReceiverThreadRing() throws Exception {
        configure(ForwardMethod.ROUTE);
        ReceiveRingTransport ring = new ReceiveRingTransport(wire, 1, 1472, 1 << 16);
        SyncBackup b = new SyncBackup(engine, SyncDaemonConfig.backup(), ring, 1500);
        b.start();
        send(V1_CONN_AND_TEMPLATE);
        Thread receiver = Thread.ofPlatform().start(() -> {
            while (ring.moved() == 0) {
                ring.doWork();
            }
        });
        receiver.join(5000);
        assertThat(ring.moved()).isEqualTo(1);
        assertThat(b.doWork()).isEqualTo(1);
        assertThat(b.counters().created()).isEqualTo(2);
        assertThat(ring.send(new UnsafeBuffer(new byte[4]), 0, 4, 0)).isEqualTo(ReceiveRingTransport.ERROR);
    }

    @Test
    void shouldCountPlainDatagramsAndNameTheirSender() {
        InetSocketAddress kernel = new InetSocketAddress("10.100.3.3", 8848);
        SyncTransport named = new SyncTransport() {
            @Override
            public int send(DirectBuffer buffer, int offset, int length, int portIndex) {
                return wire.send(buffer, offset, length, portIndex);
            }

            @Override
            public int receive(MutableDirectBuffer buffer, int portIndex) {
                return wire.receive(buffer, portIndex);
            }

            @Override
            public SocketAddress peerAddress(int peer) {
                return peer == 0 ? kernel : null;
            }

            @Override
            public void close() {
            }
        };
        configure(ForwardMethod.ROUTE);
        SyncBackup b = new SyncBackup(engine, SyncDaemonConfig.backup().withReliable(true), named, 1500, 99);
        b.start();
        // a reliable master's datagram: the IPVS size covers only the message, the trailer follows
        UvsSeal seal = new UvsSeal(true, null);
        UnsafeBuffer sealed = new UnsafeBuffer(new byte[V1_CONN_AND_TEMPLATE.length + seal.trailerLength()]);
        sealed.putBytes(0, V1_CONN_AND_TEMPLATE);
        int n = seal.seal(sealed, 0, V1_CONN_AND_TEMPLATE.length, UvsTrailer.TYPE_DATA, 0, 7, 0);
        wire.send(sealed, 0, n, 0);
        b.doWork();
        assertThat(b.counters().plainDatagrams()).isZero();
        assertThat(b.plainSender()).isNull();
        // a Linux master's datagrams, v1 and v0: refused by the reliable backup, but heard and named
        send(V1_CONN_AND_TEMPLATE);
        send(V0_CONN);
        b.doWork();
        assertThat(b.counters().plainDatagrams()).isEqualTo(2);
        assertThat(b.counters().noTrailer()).isEqualTo(2);
        assertThat(b.plainSender()).isEqualTo(kernel);
    }

    @Test
    void shouldCountPlainDatagramsInAPlainBackupToo() {
        configure(ForwardMethod.ROUTE);
        SyncBackup b = backup(SyncDaemonConfig.backup());
        send(V1_CONN_AND_TEMPLATE);
        // one byte more than the size field says: not a plain master's datagram (and dropped as ever)
        byte[] longer = Arrays.copyOf(V0_CONN, V0_CONN.length + 1);
        send(longer);
        b.doWork();
        assertThat(b.counters().plainDatagrams()).isEqualTo(1);
        assertThat(b.counters().created()).isEqualTo(2);
        // the in-memory transport knows no addresses
        assertThat(b.plainSender()).isNull();
    }

    @Test
    void shouldRejectAMasterConfig() {
        assertThatThrownBy(() -> new SyncBackup(engine, SyncDaemonConfig.master(), wire, 1500))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("BACKUP");
    }
}
