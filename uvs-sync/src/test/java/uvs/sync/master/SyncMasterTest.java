package uvs.sync.master;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import uvs.core.Decision;
import uvs.core.Engine;
import uvs.core.EngineConfig;
import uvs.core.PacketHeader;
import uvs.core.conn.ConnFlags;
import uvs.core.conn.ConnTable;
import uvs.core.net.Af;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.proto.TcpState;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceFlags;
import uvs.core.svc.ServiceKey;
import uvs.sync.SyncCapture.Message;
import uvs.sync.SyncCapture;
import uvs.sync.SyncDaemonConfig;
import uvs.sync.codec.SyncEntry;
import uvs.sync.transport.InMemorySyncTransport;
import uvs.sync.transport.SyncTransport;
import uvs.time.ManualClock;

/** The master's sending rules (spec §2.2) and its batching, queueing and flushing (spec §1.7). */
class SyncMasterTest {
    private static final IpAddress VIP = IpAddress.parse("10.1.1.1");
    private static final IpAddress RS = IpAddress.parse("10.2.2.2");
    private static final int CLIENT = 0x0a00_0001;
    private static final ServiceKey HTTP = ServiceKey.of(IpProto.TCP, VIP, 80);
    private static final ServiceKey DNS = ServiceKey.of(IpProto.UDP, VIP, 53);
    private static final ServiceKey SIP = ServiceKey.of(IpProto.UDP, VIP, 5060);
    /** Wire flags of an ESTABLISHED DR conn (DROUTE|NOOUTPUT) as the backup's reader returns them (| SYNC 0x20). */
    private static final int DR_CONN_READ = 0x83 | ConnFlags.SYNC;
    /** Wire flags of a DR template (TEMPLATE|INACTIVE|NOOUTPUT|DROUTE = 0x1183) as read back (| SYNC). */
    private static final int DR_TEMPLATE_READ = 0x1183 | ConnFlags.SYNC;

    private final ManualClock clock = new ManualClock();
    private final Engine engine = new Engine(clock, EngineConfig.defaults().withCapacity(4096, 256));
    private final PacketHeader p = new PacketHeader();
    private final Decision d = new Decision();
    private SyncMaster master;
    private SyncSender sender;
    private InMemorySyncTransport wire;

    private void startMaster(SyncDaemonConfig cfg, int buffersPerPort) {
        master = buffersPerPort == 0 ? new SyncMaster(engine, cfg) : new SyncMaster(engine, cfg, buffersPerPort);
        wire = new InMemorySyncTransport(master.ports(), 1, 0);
        sender = master.sender(wire);
        master.start();
    }

    private void startMaster() {
        startMaster(SyncDaemonConfig.master(), 0);
    }

    private void tcp(int client, int cport, int flags) {
        p.clear().ipv4(IpProto.TCP, client, cport, VIP.v4(), 80);
        p.tcpFlags = flags;
        engine.process(p, d);
    }

    /** Three packets of one TCP client: SYN, ACK (ESTABLISHED), ACK (the 3rd packet, synced by count). */
    private void tcpThree(int client, int cport) {
        tcp(client, cport, PacketHeader.TCP_SYN);
        tcp(client, cport, PacketHeader.TCP_ACK);
        tcp(client, cport, PacketHeader.TCP_ACK);
    }

    private void udp(int client, int cport, int vport, int packets) {
        for (int i = 0; i < packets; i++) {
            p.clear().ipv4(IpProto.UDP, client, cport, VIP.v4(), vport);
            engine.process(p, d);
        }
    }

    private void sip(int client, int cport, String callId) {
        p.clear().ipv4(IpProto.UDP, client, cport, VIP.v4(), 5060);
        p.payload = ("INVITE sip:bob@example.com SIP/2.0\r\nCall-ID: " + callId + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
        p.payloadLength = p.payload.length;
        engine.process(p, d);
    }

    /** Moves time on and lets the engine and the master run their timers. */
    private void advanceMillis(long ms) {
        clock.advanceMillis(ms);
        engine.doWork();
        master.doWork(engine.nowJiffies());
    }

    private List<Message> drain() {
        return SyncCapture.drain(sender, wire);
    }

    /** Sends everything: queued messages first, then (the queues being empty) every partial one. */
    private List<Message> drainAll() {
        List<Message> all = new ArrayList<>(drain());
        master.doWork(engine.nowJiffies());
        all.addAll(drain());
        return all;
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("[^0-9a-fA-F]", ""));
    }

    @Test
    void shouldProduceTheReferenceV1MessageForAConnAndItsTemplate() {
        engine.addService(HTTP, ServiceConfig.persistent("rr", 360));
        engine.addDest(HTTP, RS, 80, RealServerConfig.of(1, ForwardMethod.ROUTE));
        startMaster(SyncDaemonConfig.master().withSyncid(7), 0);
        int client = 0x0a00_0001;
        tcp(client, 12345, PacketHeader.TCP_SYN);
        tcp(client, 12345, PacketHeader.TCP_ACK);
        // packets 1 and 2 send only the template (every packet, v1 defaults); the message waits 2 s
        assertThat(drain()).isEmpty();
        advanceMillis(1996);
        assertThat(drain()).as("1.996 s: not yet").isEmpty();
        advanceMillis(4);
        List<Message> first = drain();
        assertThat(first).hasSize(1);
        assertThat(first.get(0).entries()).extracting(e -> e.flags, e -> e.state)
            // the template is NONE after the SYN and ASSURED once its conn entered ESTABLISHED
            .containsExactly(Tuple.tuple(DR_TEMPLATE_READ, 0),
                Tuple.tuple(DR_TEMPLATE_READ, 1));
        // packet 3: the conn (3 % 50 == 3) then its template: byte for byte the example of spec §1.9
        tcp(client, 12345, PacketHeader.TCP_ACK);
        advanceMillis(2000);
        List<Message> second = drain();
        assertThat(second).hasSize(1);
        assertThat(HexFormat.of().formatHex(second.get(0).bytes())).isEqualTo(HexFormat.of().formatHex(hex("""
            00 07 00 50 02 01 00 00 00 06 00 24 00 00 00 83
            00 01 30 39 00 50 00 50 00 00 00 00 00 00 03 84
            0a 00 00 01 0a 01 01 01 0a 02 02 02 00 06 00 24
            00 00 11 83 00 01 00 00 00 50 00 50 00 00 00 00
            00 00 01 68 0a 00 00 01 0a 01 01 01 0a 02 02 02
            """)));
        assertThat(master.counters().entries()).isEqualTo(4);
        assertThat(master.counters().messagesSent()).isEqualTo(2);
        assertThat(master.counters().entriesSent()).isEqualTo(4);
        assertThat(master.counters().bytesSent()).isEqualTo(8 + 2 * 36 + 0x50);
        assertThat(master.counters().partialFlushes()).isEqualTo(2);
    }

    @Test
    void shouldAddUpTheCountersOfSeveralMasters() throws IllegalAccessException {
        engine.addService(HTTP, ServiceConfig.persistent("rr", 360));
        engine.addDest(HTTP, RS, 80, RealServerConfig.of(1, ForwardMethod.ROUTE));
        startMaster(SyncDaemonConfig.master(), 0);
        tcpThree(0x0a00_0001, 12345);
        advanceMillis(2000);
        drain();
        SyncMasterCounters one = master.counters();
        assertThat(one.entriesSent()).isPositive();
        SyncMasterCounters sum = new SyncMasterCounters();
        sum.add(one);
        sum.add(one);
        // every counter, so that one added to the class later cannot be left out of add()
        for (Field f : SyncMasterCounters.class.getDeclaredFields()) {
            if (f.getType() == long.class && !Modifier.isStatic(f.getModifiers())) {
                f.setAccessible(true);
                assertThat(f.getLong(sum)).as(f.getName()).isEqualTo(2 * f.getLong(one));
            }
        }
    }

    @Test
    void shouldProduceTheReferenceV0MessageAndSendTemplatesOnlyAfterTheirConn() {
        engine.setTunable("sync_version", "0");
        engine.addService(HTTP, ServiceConfig.of("rr"));
        engine.addDest(HTTP, RS, 80, RealServerConfig.of(1, ForwardMethod.ROUTE));
        startMaster(SyncDaemonConfig.master().withSyncid(7), 0);
        tcpThree(0x0a00_0001, 12345);
        advanceMillis(2000);
        List<Message> plain = drain();
        assertThat(plain).hasSize(1);
        assertThat(HexFormat.of().formatHex(plain.get(0).bytes())).isEqualTo(HexFormat.of().formatHex(
            hex("01 07 00 1c 00 06 30 39 00 50 00 50 0a 00 00 01 0a 01 01 01 0a 02 02 02 00 83 00 01")));

        ServiceKey sticky = ServiceKey.of(IpProto.TCP, VIP, 443);
        engine.addService(sticky, ServiceConfig.persistent("rr", 360));
        engine.addDest(sticky, RS, 443, RealServerConfig.of(1, ForwardMethod.ROUTE));
        for (int i = 0; i < 53; i++) {
            p.clear().ipv4(IpProto.TCP, 0x0a00_0002, 2000, VIP.v4(), 443);
            p.tcpFlags = i == 0 ? PacketHeader.TCP_SYN : PacketHeader.TCP_ACK;
            engine.process(p, d);
        }
        advanceMillis(2000);
        // v0: packets 1, 2 and 4..52 send nothing, not even the template; packets 3 and 53 send conn + template
        List<SyncEntry> entries = SyncCapture.entries(drain());
        assertThat(entries).extracting(e -> e.flags & ConnFlags.TEMPLATE)
            .containsExactly(0, ConnFlags.TEMPLATE, 0, ConnFlags.TEMPLATE);
        // v0 carries the low 16 flag bits unmasked and no timeout
        assertThat(entries.get(1).flags).isEqualTo(DR_TEMPLATE_READ);
        assertThat(entries.get(1).timeout).isZero();
        assertThat(entries.get(1).cport).isZero();
    }

    @Test
    void shouldNeverSendOnePacketConnsButTheirTemplateInV1Only() {
        engine.addService(DNS, ServiceConfig.persistent("rr", 360)
            .withFlags(ServiceFlags.PERSISTENT | ServiceFlags.ONEPACKET));
        engine.addDest(DNS, RS, 53, RealServerConfig.of(1, ForwardMethod.ROUTE));
        startMaster();
        udp(CLIENT, 5000, 53, 5);
        advanceMillis(2000);
        List<SyncEntry> v1 = SyncCapture.entries(drain());
        // each packet bumps the template's in_pkts and the template is due on every one (period > 0)
        assertThat(v1).hasSize(5).allMatch(e -> (e.flags & ConnFlags.TEMPLATE) != 0);
        engine.setTunable("sync_version", "0");
        udp(CLIENT, 5000, 53, 5);
        advanceMillis(2000);
        assertThat(drain()).as("v0 stops at a one-packet conn").isEmpty();
    }

    @Test
    void shouldNotSendSynRecvConns() {
        engine.addService(HTTP, ServiceConfig.of("rr"));
        engine.addDest(HTTP, RS, 80, RealServerConfig.of(1, ForwardMethod.ROUTE));
        startMaster();
        for (int i = 0; i < 10; i++) {
            tcp(CLIENT, 1000, PacketHeader.TCP_SYN);
        }
        advanceMillis(2000);
        assertThat(drain()).isEmpty();
        assertThat(master.counters().entries()).isZero();
    }

    @Test
    void shouldCloseMessagesWhenTheNextEntryDoesNotFitOrTheVersionChanges() {
        engine.addService(DNS, ServiceConfig.of("rr"));
        engine.addDest(DNS, RS, 53, RealServerConfig.of(1, ForwardMethod.ROUTE));
        startMaster();
        // v1 IPv4: 8 + 40 * 36 = 1448 <= 1472 < 1448 + 36: the 40th entry fills it, the 41st closes it
        for (int c = 0; c < 40; c++) {
            udp(CLIENT + c, 5000, 53, 3);
        }
        assertThat(master.queued(0)).isZero();
        udp(CLIENT + 40, 5000, 53, 3);
        assertThat(master.queued(0)).isEqualTo(1);
        List<Message> v1 = drain();
        assertThat(v1).extracting(Message::version, Message::length, m -> m.entries().size())
            .containsExactly(Tuple.tuple(1, 1448, 40));

        // v0: the v1 partial (1 entry) is closed first; 4 + 61 * 24 = 1468 <= 1472 < 1468 + 24: the 62nd closes
        engine.setTunable("sync_version", "0");
        for (int c = 0; c < 61; c++) {
            udp(CLIENT + 100 + c, 5000, 53, 3);
        }
        assertThat(master.queued(0)).isEqualTo(1);
        udp(CLIENT + 200, 5000, 53, 3);
        assertThat(master.queued(0)).isEqualTo(2);
        assertThat(drain()).extracting(Message::version, Message::length, m -> m.entries().size())
            .containsExactly(Tuple.tuple(1, 8 + 36, 1),
                Tuple.tuple(0, 1468, 61));
    }

    @Test
    void shouldSendIpv6ConnsOnlyInV1() {
        IpAddress vip6 = IpAddress.parse("2001:db8::1");
        ServiceKey web6 = ServiceKey.of(IpProto.TCP, vip6, 80);
        engine.addService(web6, ServiceConfig.of("rr").withNetmask(128));
        engine.addDest(web6, IpAddress.parse("2001:db8::2"), 80, RealServerConfig.of(1, ForwardMethod.ROUTE));
        startMaster();
        for (int client = 1; client <= 2; client++) {
            if (client == 2) {
                engine.setTunable("sync_version", "0");
            }
            int[] flags = {PacketHeader.TCP_SYN, PacketHeader.TCP_ACK, PacketHeader.TCP_ACK};
            for (int f : flags) {
                p.clear().ipv6(IpProto.TCP, 0x2001_0db8_0000_0000L, client, 1000, vip6.hi(), vip6.lo(), 80);
                p.tcpFlags = f;
                engine.process(p, d);
            }
        }
        advanceMillis(2000);
        List<Message> msgs = drain();
        // only the v1 conn: one 72-byte IPv6 entry after the 8-byte header
        assertThat(msgs).extracting(Message::version, Message::length)
            .containsExactly(Tuple.tuple(1, 80));
        SyncEntry e = msgs.get(0).entries().get(0);
        assertThat(e.af).isEqualTo(Af.INET6);
        assertThat(e.caddrLo).isEqualTo(1);
        assertThat(e.daddrLo).isEqualTo(2);
    }

    @Test
    void shouldDropMessagesBeyondSyncQlenMaxAndCountThem() {
        engine.setTunable("sync_qlen_max", "2");
        engine.addService(DNS, ServiceConfig.of("rr"));
        engine.addDest(DNS, RS, 53, RealServerConfig.of(1, ForwardMethod.ROUTE));
        startMaster();
        // 201 entries close 5 messages of 40 (at entries 41, 81, 121, 161, 201): 2 fit the queue, 3 are dropped
        for (int c = 0; c < 201; c++) {
            udp(CLIENT + c, 5000, 53, 3);
        }
        assertThat(master.queued(0)).isEqualTo(2);
        SyncMasterCounters k = master.counters();
        assertThat(k.queueDrops()).isEqualTo(3);
        assertThat(k.entriesDropped()).isEqualTo(120);
        assertThat(k.messagesQueued()).isEqualTo(2);
        assertThat(drain()).hasSize(2).allMatch(m -> m.entries().size() == 40);
        assertThat(master.hasPartial(0)).isTrue();
    }

    @Test
    void shouldLoseEntriesWhenEveryPooledBufferIsQueued() {
        engine.addService(DNS, ServiceConfig.of("rr"));
        engine.addDest(DNS, RS, 53, RealServerConfig.of(1, ForwardMethod.ROUTE));
        startMaster(SyncDaemonConfig.master(), 2);
        // buffer A takes entries 1..40, B 41..80; at 81 both are queued and no buffer is left for 81..120
        for (int c = 0; c < 120; c++) {
            udp(CLIENT + c, 5000, 53, 3);
        }
        assertThat(master.counters().noBuffer()).isEqualTo(40);
        assertThat(master.counters().entries()).isEqualTo(80);
        assertThat(drain()).hasSize(2);
        // the sender gave both buffers back
        udp(CLIENT + 200, 5000, 53, 3);
        assertThat(master.hasPartial(0)).isTrue();
        assertThat(master.counters().noBuffer()).isEqualTo(40);
    }

    @Test
    void shouldFlushOldPartialOnlyWhenNothingIsQueued() {
        engine.addService(DNS, ServiceConfig.of("rr"));
        engine.addDest(DNS, RS, 53, RealServerConfig.of(1, ForwardMethod.ROUTE));
        startMaster();
        for (int c = 0; c < 41; c++) {
            udp(CLIENT + c, 5000, 53, 3);
        }
        advanceMillis(3000);
        assertThat(master.hasPartial(0)).as("a queued message goes first").isTrue();
        assertThat(drain()).hasSize(1);
        advanceMillis(4);
        assertThat(master.hasPartial(0)).isFalse();
        assertThat(drain()).extracting(m -> m.entries().size()).containsExactly(1);
    }

    @Test
    void shouldSpreadConnsAndTemplatesOverSyncPortsByTheirIds() {
        engine.setTunable("sync_ports", "4");
        engine.addService(DNS, ServiceConfig.persistent("rr", 360));
        engine.addDest(DNS, RS, 53, RealServerConfig.of(1, ForwardMethod.ROUTE));
        startMaster();
        assertThat(master.ports()).isEqualTo(4);
        for (int c = 0; c < 200; c++) {
            udp(CLIENT + c, 5000, 53, 3);
        }
        advanceMillis(2000);
        List<Message> msgs = drainAll();
        assertThat(msgs).extracting(Message::port).contains(0, 1, 2, 3);
        ConnTable t = engine.conns4();
        int conns = 0;
        int templates = 0;
        for (Message m : msgs) {
            for (SyncEntry e : m.entries()) {
                int c = (e.flags & ConnFlags.TEMPLATE) != 0
                    ? t.lookupTemplate(e.protocol, e.caddrHi, e.caddrLo, e.vaddrHi, e.vaddrLo, e.vport)
                    : t.lookupIn(e.protocol, e.caddrHi, e.caddrLo, e.cport, e.vaddrHi, e.vaddrLo, e.vport);
                assertThat(c).isNotEqualTo(ConnTable.NONE);
                assertThat(m.port()).as("port of %s", e).isEqualTo(master.portOf(t, c));
                if ((e.flags & ConnFlags.TEMPLATE) != 0) {
                    templates++;
                } else {
                    conns++;
                }
            }
        }
        // every conn once (packet 3), every template on each of its 3 packets
        assertThat(conns).isEqualTo(200);
        assertThat(templates).isEqualTo(600);
    }

    @Test
    void shouldDiscardQueuedAndPartialMessagesWhenStopped() {
        engine.addService(DNS, ServiceConfig.of("rr"));
        engine.addDest(DNS, RS, 53, RealServerConfig.of(1, ForwardMethod.ROUTE));
        startMaster();
        for (int c = 0; c < 41; c++) {
            udp(CLIENT + c, 5000, 53, 3);
        }
        master.stop();
        assertThat(drain()).isEmpty();
        assertThat(master.counters().discardedOnStop()).isEqualTo(1);
        assertThat(master.counters().partialsDiscarded()).isEqualTo(1);
        udp(CLIENT + 100, 5000, 53, 3);
        assertThat(master.counters().entries()).as("hook removed").isEqualTo(41);
        assertThat(master.isRunning()).isFalse();
    }

    @Test
    void shouldSendSipTemplatesWithCallIdAndPeName() {
        engine.addService(SIP, ServiceConfig.persistent("rr", 360).withPe("sip"));
        engine.addDest(SIP, RS, 5060, RealServerConfig.of(1, ForwardMethod.ROUTE));
        startMaster();
        sip(CLIENT, 5060, "call-a");
        advanceMillis(2000);
        List<Message> msgs = drain();
        // 36 fixed + PE_DATA (2 + 6) + PE_NAME (2 + 3) = 49 bytes after the 8-byte header
        assertThat(msgs).extracting(Message::length).containsExactly(8 + 49);
        SyncEntry t = msgs.get(0).entries().get(0);
        assertThat(new String(t.peData, 0, t.peDataLength, StandardCharsets.US_ASCII)).isEqualTo("call-a");
        assertThat(t.peNameString()).isEqualTo("sip");

        engine.setTunable("sync_version", "0");
        sip(CLIENT, 6000, "call-b");
        sip(CLIENT, 6000, "call-b");
        sip(CLIENT, 6000, "call-b");
        advanceMillis(2000);
        // v0 has no options: conn and template, without PE data
        List<SyncEntry> v0 = SyncCapture.entries(drain());
        assertThat(v0).hasSize(2);
        assertThat(v0.get(1).peDataLength).isZero();
    }

    @Test
    void shouldStopAtTemplateWithPeDataButNoPersistenceEngine() {
        engine.addService(SIP, ServiceConfig.persistent("rr", 360).withPe("sip"));
        engine.addDest(SIP, RS, 5060, RealServerConfig.of(1, ForwardMethod.ROUTE));
        startMaster();
        sip(CLIENT, 5060, "call-a");
        engine.editService(SIP, ServiceConfig.persistent("rr", 360));
        // the template still has its Call-ID but its service no longer names a PE
        p.clear().ipv4(IpProto.UDP, CLIENT, 5060, VIP.v4(), 5060);
        engine.process(p, d);
        assertThat(master.counters().peDataInvalid()).isEqualTo(1);
        assertThat(master.counters().entries()).isEqualTo(1);
    }

    @Test
    void shouldSendTemplateWhoseTimerFiresWhileItStillControlsConns() {
        engine.addService(HTTP, ServiceConfig.persistent("rr", 10));
        engine.addDest(HTTP, RS, 80, RealServerConfig.of(1, ForwardMethod.ROUTE));
        startMaster();
        tcpThree(CLIENT, 1000);
        advanceMillis(2000);
        drain();
        // the template (10 s) expires while its ESTABLISHED conn (900 s) lives: re-armed with 60 s and sent
        advanceMillis(8100);
        advanceMillis(2000);
        List<SyncEntry> e = SyncCapture.entries(drain());
        assertThat(e).hasSize(1);
        assertThat(e.get(0).flags & ConnFlags.TEMPLATE).isEqualTo(ConnFlags.TEMPLATE);
        assertThat(e.get(0).timeout).isEqualTo(60);
    }

    @Test
    void shouldSendConnFieldsAsTheTableHoldsThem() {
        engine.addService(HTTP, ServiceConfig.of("rr"));
        engine.addDest(HTTP, RS, 8080, RealServerConfig.of(1, ForwardMethod.MASQ));
        startMaster();
        tcpThree(CLIENT, 1000);
        tcp(CLIENT, 1000, PacketHeader.TCP_FIN | PacketHeader.TCP_ACK);
        advanceMillis(2000);
        List<SyncEntry> e = SyncCapture.entries(drain());
        // packet 3 (ESTABLISHED, 900 s, NAT: flags 0) and the client FIN, which takes a NAT conn from
        // ESTABLISHED to CLOSE_WAIT (60 s, inactive) and is sent at once because the state changed
        assertThat(e).extracting(x -> x.state, x -> x.timeout, x -> x.flags, x -> x.dport)
            .containsExactly(Tuple.tuple(TcpState.ESTABLISHED, 900, ConnFlags.SYNC, 8080),
                Tuple.tuple(TcpState.CLOSE_WAIT, 60, ConnFlags.INACTIVE | ConnFlags.SYNC,
                    8080));
    }

    @Test
    void shouldRetryAMessageThatWouldBlockAndDropOneThatFails() {
        engine.addService(DNS, ServiceConfig.of("rr"));
        engine.addDest(DNS, RS, 53, RealServerConfig.of(1, ForwardMethod.ROUTE));
        startMaster();
        // 1 stands for "sent"
        int[] answers = {SyncTransport.WOULD_BLOCK, SyncTransport.ERROR, 1, 1};
        int[] calls = {0};
        List<Integer> lengths = new ArrayList<>();
        SyncSender flaky = master.sender(new SyncTransport() {
            @Override
            public int send(DirectBuffer buffer, int offset, int length, int portIndex) {
                int a = answers[Math.min(calls[0]++, answers.length - 1)];
                if (a == 1) {
                    lengths.add(length);
                    return length;
                }
                return a;
            }

            @Override
            public int receive(MutableDirectBuffer buffer, int portIndex) {
                return NONE;
            }

            @Override
            public void close() {
            }
        });
        // three full messages of 40 entries, queued in order
        for (int c = 0; c < 121; c++) {
            udp(CLIENT + c, 5000, 53, 3);
        }
        assertThat(master.queued(0)).isEqualTo(3);
        // first call: the first message would block and stays first in the queue
        assertThat(flaky.doWork()).isZero();
        // second call: it fails (dropped), then the other two go
        assertThat(flaky.doWork()).isEqualTo(3);
        assertThat(lengths).containsExactly(1448, 1448);
        SyncMasterCounters k = master.counters();
        assertThat(k.sendRetries()).isEqualTo(1);
        assertThat(k.sendErrors()).isEqualTo(1);
        assertThat(k.messagesSent()).isEqualTo(2);
        assertThat(master.queued(0)).isZero();
    }

    @Test
    void shouldNotAllocatePerPacketWhileSyncing() {
        var threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        engine.addService(HTTP, ServiceConfig.persistent("rr", 360));
        engine.addDest(HTTP, RS, 80, RealServerConfig.of(1, ForwardMethod.ROUTE));
        engine.addService(SIP, ServiceConfig.persistent("rr", 360).withPe("sip"));
        engine.addDest(SIP, RS, 5060, RealServerConfig.of(1, ForwardMethod.ROUTE));
        startMaster();
        PacketHeader sipPacket = new PacketHeader();
        byte[] payload = "INVITE sip:x SIP/2.0\r\nCall-ID: abc\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        for (int round = 0; round < 3; round++) {
            drive(sipPacket, payload, round);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        drive(sipPacket, payload, 3);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(allocated).as("bytes allocated while syncing").isLessThan(1024);
        assertThat(master.counters().messagesSent()).isGreaterThan(100);
    }

    private void drive(PacketHeader sipPacket, byte[] payload, int round) {
        for (int i = 0; i < 5000; i++) {
            int client = 0x0b00_0000 + round * 5000 + i;
            tcpThree(client, 1000);
            sipPacket.clear().ipv4(IpProto.UDP, client, 5060, VIP.v4(), 5060);
            sipPacket.payload = payload;
            sipPacket.payloadLength = payload.length;
            engine.process(sipPacket, d);
            if ((i & 63) == 0) {
                clock.advanceMillis(40);
                engine.doWork();
                master.doWork(engine.nowJiffies());
                sender.doWork();
            }
        }
    }
}
