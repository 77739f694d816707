package uvs.sync.ext;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import uvs.core.Decision;
import uvs.core.Engine;
import uvs.core.EngineConfig;
import uvs.core.PacketHeader;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceKey;
import uvs.sync.SyncCapture;
import uvs.sync.SyncDaemonConfig;
import uvs.sync.backup.SyncBackup;
import uvs.sync.master.SyncMaster;
import uvs.sync.master.SyncSender;
import uvs.sync.transport.InMemorySyncTransport;
import uvs.sync.transport.SyncTransport;
import uvs.time.ManualClock;

/**
 * Byte-level checks: a plain master still sends exactly what Linux sends, and every UVS datagram (master DATA,
 * HEARTBEAT, resync DATA and RESYNC_DONE; backup RESYNC_REQUEST and NACK) is laid out as docs/sync.md's table
 * says. Expected bytes are written out from that table; HMACs are computed here with the JDK's HmacSHA256
 * over every byte before them.
 */
class ExtensionWireTest {
    private static final IpAddress VIP = IpAddress.parse("10.1.1.1");
    private static final ServiceKey HTTP = ServiceKey.of(IpProto.TCP, VIP, 80);
    private static final int MASTER_ID = 0x0a0b0c0d;
    private static final int BACKUP_ID = 0x0badcafe;
    /** Spec §1.9: v1, syncid 7, the TCP DR conn 10.0.0.1:12345 (ESTABLISHED, 900 s) and its template (360 s). */
    private static final String REFERENCE = """
        00 07 00 50 02 01 00 00 00 06 00 24 00 00 00 83
        00 01 30 39 00 50 00 50 00 00 00 00 00 00 03 84
        0a 00 00 01 0a 01 01 01 0a 02 02 02 00 06 00 24
        00 00 11 83 00 01 00 00 00 50 00 50 00 00 00 00
        00 00 01 68 0a 00 00 01 0a 01 01 01 0a 02 02 02
        """;
    /**
     * A reliable master's connection entry after the 3rd packet: the EXPIRES option (0x7e, 4 bytes: ms until
     * the master's timer fires as the message leaves at 4 s: 900 s from the packet at 2 s), 42 bytes.
     */
    private static final String CONN_RELIABLE = """
        00 06 00 2a 00 00 00 83 00 01 30 39 00 50 00 50 00 00 00 00 00 00 03 84
        0a 00 00 01 0a 01 01 01 0a 02 02 02 7e 04 00 0d b3 d0
        """;

    private final ManualClock clock = new ManualClock();
    private final Engine engine = new Engine(clock, EngineConfig.defaults().withCapacity(4096, 256));
    private final InMemorySyncTransport wire = new InMemorySyncTransport(1, 1, 0);
    private final PacketHeader p = new PacketHeader();
    private final Decision d = new Decision();
    private SyncMaster master;
    private SyncSender sender;

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("[^0-9a-fA-F]", ""));
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] x : parts) {
            n += x.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] x : parts) {
            System.arraycopy(x, 0, out, at, x.length);
            at += x.length;
        }
        return out;
    }

    /** {@code bytes} followed by HMAC-SHA256 of all of them with the test key. */
    private static byte[] signed(byte[] bytes) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SyncRig.KEY, "HmacSHA256"));
        return concat(bytes, mac.doFinal(bytes));
    }

    private void startMaster(SyncDaemonConfig config) {
        engine.addService(HTTP, ServiceConfig.persistent("rr", 360));
        engine.addDest(HTTP, IpAddress.parse("10.2.2.2"), 80, RealServerConfig.of(1, ForwardMethod.ROUTE));
        master = new SyncMaster(engine, config.withSyncid(7), 16, MASTER_ID);
        sender = master.sender(wire);
        master.start();
    }

    private void tcp(int flags) {
        p.clear().ipv4(IpProto.TCP, 0x0a00_0001, 12345, VIP.v4(), 80);
        p.tcpFlags = flags;
        engine.process(p, d);
    }

    /** SYN and ACK (two template entries, flushed as one message at 2 s), then the 3rd packet: conn + template. */
    private List<SyncCapture.Message> referenceTraffic() {
        tcp(PacketHeader.TCP_SYN);
        tcp(PacketHeader.TCP_ACK);
        clock.advanceMillis(2000);
        engine.doWork();
        master.doWork(engine.nowJiffies());
        List<SyncCapture.Message> out = new ArrayList<>(SyncCapture.drain(sender, wire));
        tcp(PacketHeader.TCP_ACK);
        clock.advanceMillis(2000);
        engine.doWork();
        master.doWork(engine.nowJiffies());
        out.addAll(SyncCapture.drain(sender, wire));
        return out;
    }

    @Test
    void shouldKeepThePlainMastersBytesIdenticalToLinux() {
        // the reliable-mode tunables are changed, but both extensions stay off
        startMaster(SyncDaemonConfig.master().withReliableTunables(64, 50, 500, 10, 64));
        List<SyncCapture.Message> m = referenceTraffic();
        assertThat(m).hasSize(2);
        assertThat(hex(m.get(1).bytes())).isEqualTo(hex(hex(REFERENCE)));
        assertThat(wire.repliesSent()).isZero();
    }

    @Test
    void shouldAppendTheAuthenticatedTrailerAfterTheUnchangedIpvsMessage() throws Exception {
        startMaster(SyncDaemonConfig.master().withAuthKey(SyncRig.KEY));
        List<SyncCapture.Message> m = referenceTraffic();
        assertThat(m).hasSize(2);
        // magic UVS1, flags AUTH, type DATA, reserved 0, sender id, sequence number 1 (the second datagram)
        byte[] expected = signed(concat(hex(REFERENCE), hex("55565331 02 00 0000 0a0b0c0d 0000000000000001")));
        assertThat(expected).hasSize(80 + 52);
        assertThat(hex(m.get(1).bytes())).isEqualTo(hex(expected));
        // a Linux backup drops it: the size field still says 0x50, not the datagram's 132 bytes
        assertThat(m.get(1).entries()).isEmpty();
    }

    @Test
    void shouldCarryEachEntrysTimeLeftAndSendTemplatesOnlyWhenTheyChangeInReliableMode() {
        startMaster(SyncDaemonConfig.master().withReliable(true));
        List<SyncCapture.Message> m = referenceTraffic();
        assertThat(m).hasSize(2);
        // SYN and ACK: the template as created and as assured, 358 s left as the message leaves at 2 s
        byte[] first = m.get(0).bytes();
        assertThat(hex(Arrays.copyOf(first, 6))).isEqualTo("0007" + "005e" + "02" + "01");
        assertThat(hex(Arrays.copyOfRange(first, 8 + 36, 8 + 42))).isEqualTo("7e0400057670");
        assertThat(hex(Arrays.copyOfRange(first, 52 + 36, 52 + 42))).isEqualTo("7e0400057670");
        // the 3rd packet: the connection alone, its template unchanged
        byte[] last = m.get(1).bytes();
        assertThat(hex(Arrays.copyOf(last, 6))).isEqualTo("0007" + "0032" + "01" + "01");
        assertThat(hex(Arrays.copyOfRange(last, 8, 8 + 42))).isEqualTo(hex(hex(CONN_RELIABLE)));
    }

    @Test
    void shouldSendAReliableOnlyTrailerOfTwentyBytesAndHeartbeats() {
        startMaster(SyncDaemonConfig.master().withReliable(true));
        // the first cycle announces the new master on the idle port: HEARTBEAT, sequence number 0, no body
        master.doWork(engine.nowJiffies());
        List<SyncCapture.Message> hb = SyncCapture.drain(sender, wire);
        assertThat(hex(hb.get(0).bytes()))
            .isEqualTo("55565331" + "01" + "04" + "0000" + "0a0b0c0d" + "0000000000000000");
        // SYN, ACK: template messages flushed at 2 s (sequence number 1; no heartbeat at 1 s as nothing ran)
        tcp(PacketHeader.TCP_SYN);
        tcp(PacketHeader.TCP_ACK);
        clock.advanceMillis(2000);
        engine.doWork();
        master.doWork(engine.nowJiffies());
        byte[] data = SyncCapture.drain(sender, wire).get(0).bytes();
        byte[] trailer = Arrays.copyOfRange(data, data.length - 20, data.length);
        assertThat(hex(trailer)).isEqualTo("55565331" + "01" + "00" + "0000" + "0a0b0c0d" + "0000000000000001");
        // the IPVS size field covers the message only: two 42-byte template entries (with EXPIRES) after the
        // 8-byte header, the second padded to a 4-byte boundary
        assertThat(((data[2] & 0xff) << 8) | (data[3] & 0xff)).isEqualTo(8 + 42 + 2 + 42).isEqualTo(data.length - 20);
    }

    @Test
    void shouldLayOutTheBackupsResyncRequestAndNackAsDocumented() throws Exception {
        Engine backupEngine = new Engine(clock, EngineConfig.defaults().withCapacity(4096, 256));
        SyncBackup backup = new SyncBackup(backupEngine, SyncDaemonConfig.backup().withReliable(true)
            .withAuthKey(SyncRig.KEY), wire, 1500, BACKUP_ID);
        backup.start();
        // heartbeats of master 01020304, numbers 0 and 3, built from the table
        byte[] hb0 = signed(hex("55565331 03 04 0000 01020304 0000000000000000"));
        byte[] hb3 = signed(hex("55565331 03 04 0000 01020304 0000000000000003"));
        backup.onDatagram(new UnsafeBuffer(hb0), 0, hb0.length);
        backup.onDatagram(new UnsafeBuffer(hb3), 0, hb3.length);
        backup.doWork();
        UnsafeBuffer buf = new UnsafeBuffer(new byte[2048]);
        // a new master: RESYNC_REQUEST, empty body, the backup's own id and its first number 0
        int n = wire.receiveReply(buf, 0);
        assertThat(hex(Arrays.copyOf(buf.byteArray(), n)))
            .isEqualTo(hex(signed(hex("55565331 03 02 0000 0badcafe 0000000000000000"))));
        // 1 and 2 missing: NACK with count 1, reserved 0, range 1..2; the backup's number 1
        n = wire.receiveReply(buf, 0);
        assertThat(hex(Arrays.copyOf(buf.byteArray(), n))).isEqualTo(hex(signed(hex("""
            0001 0000 0000000000000001 0000000000000002
            55565331 03 01 0000 0badcafe 0000000000000001
            """))));
        assertThat(wire.receiveReply(buf, 0)).isEqualTo(SyncTransport.NONE);
    }

    @Test
    void shouldFlagResyncDataAndNameTheRequesterInResyncDone() throws Exception {
        startMaster(SyncDaemonConfig.master().withReliable(true).withAuthKey(SyncRig.KEY));
        tcp(PacketHeader.TCP_SYN);
        tcp(PacketHeader.TCP_ACK);
        tcp(PacketHeader.TCP_ACK);
        // the heartbeat (0) and the live message (1, flushed at 2 s once the queue is empty) first
        master.doWork(engine.nowJiffies());
        assertThat(SyncCapture.drain(sender, wire)).hasSize(1);
        clock.advanceMillis(2000);
        engine.doWork();
        master.doWork(engine.nowJiffies());
        assertThat(SyncCapture.drain(sender, wire)).hasSize(1);
        byte[] request = signed(hex("55565331 03 02 0000 0badcafe 0000000000000000"));
        wire.reply(new UnsafeBuffer(request), 0, request.length, 0, 0);
        sender.doWork();
        master.doWork(engine.nowJiffies());
        List<SyncCapture.Message> m = SyncCapture.drain(sender, wire);
        assertThat(m).hasSize(2);
        byte[] data = m.get(0).bytes();
        // the conn and its template, both synced: flags SEQ|AUTH|RESYNC, type DATA, number 2
        assertThat(m.get(0).entries()).as("refused by a plain reader: size mismatch").isEmpty();
        // v1 header: reserved, syncid 7, size, nr_conns 2, version 1
        assertThat(hex(Arrays.copyOf(data, 6))).isEqualTo("0007" + "005e" + "02" + "01");
        assertThat(hex(Arrays.copyOfRange(data, data.length - 52, data.length - 32)))
            .isEqualTo("55565331" + "07" + "00" + "0000" + "0a0b0c0d" + "0000000000000002");
        // RESYNC_DONE, number 3: count 1, reserved 0, the requester's id
        assertThat(hex(m.get(1).bytes())).isEqualTo(hex(signed(hex("""
            0001 0000 0badcafe
            55565331 03 03 0000 0a0b0c0d 0000000000000003
            """))));
    }
}
