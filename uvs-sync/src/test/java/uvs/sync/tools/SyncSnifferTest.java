package uvs.sync.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import uvs.sync.codec.SyncEntry;
import uvs.sync.ext.UvsTrailer;

/** The sync sniffer reading a capture: one line per entry, refused datagrams with their reason. */
class SyncSnifferTest {
    // spec §1.9: v1, syncid 7, a TCP DR connection and its persistence template
    private static final String GOLDEN = "00070050020100000006002400000083000130390050005000000000000003840a0000010a0101010a020202"
        + "000600240000118300010000005000500000000000000168" + "0a0000010a0101010a020202";

    @TempDir
    Path dir;

    @Test
    void shouldPrintEveryEntryOfACapture() throws IOException {
        Path pcap = dir.resolve("sync.pcap");
        byte[] golden = HexFormat.of().parseHex(GOLDEN);
        byte[] truncated = Arrays.copyOf(golden, 40);
        Files.write(pcap, pcap(udp(golden), udp(truncated)));

        StringWriter text = new StringWriter();
        SyncSniffer sniffer = new SyncSniffer(new PrintWriter(text), 0);
        PcapFile file = new PcapFile();
        int n = file.read(pcap, (frame, source, sport, dport, payload) -> sniffer.onDatagram(source, payload));

        assertThat(n).isEqualTo(2);
        String[] lines = text.toString().split("\n");
        assertThat(lines).hasSize(3);
        assertThat(lines[0]).startsWith("192.168.0.9 v1 syncid=7 TCP  ESTABLISHED 10.0.0.1:12345")
            .contains("10.1.1.1:80", "10.2.2.2:80", "Route", "flags=0x0083(NOOUTPUT)", "timeout=900");
        assertThat(lines[1]).contains("TCP  ASSURED     10.0.0.1:0", "flags=0x1183(TEMPLATE,INACTIVE,NOOUTPUT)",
            "timeout=360");
        assertThat(lines[2]).isEqualTo("192.168.0.9 v1 syncid=7 message dropped (40 bytes): SIZE_MISMATCH");
    }

    @Test
    void shouldStripAndShowTheUvsTrailer() throws IOException {
        byte[] golden = HexFormat.of().parseHex(GOLDEN);
        byte[] withTrailer = Arrays.copyOf(golden, golden.length + 20);
        UnsafeBuffer b = new UnsafeBuffer(withTrailer);
        UvsTrailer.write(b, golden.length, UvsTrailer.FLAG_SEQ,
            UvsTrailer.TYPE_DATA, 0x1234, 5);
        Path pcap = dir.resolve("uvs.pcap");
        Files.write(pcap, pcap(udp(withTrailer)));
        StringWriter text = new StringWriter();
        SyncSniffer sniffer = new SyncSniffer(new PrintWriter(text), 0);
        new PcapFile().read(pcap, (frame, source, sport, dport, payload) -> sniffer.onDatagram(source, payload));
        String[] lines = text.toString().split("\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).startsWith("192.168.0.9 v1 syncid=7 uvs seq=5 type=0 TCP  ESTABLISHED");
    }

    @Test
    void shouldShowTheTimeLeftAUvsMasterSends() {
        SyncEntry e = new SyncEntry();
        e.protocol = 6;
        e.state = 1;
        e.timeout = 900;
        assertThat(SyncEntryFormat.format(e)).endsWith("timeout=900");
        e.expiresInMillis = 898_004;
        assertThat(SyncEntryFormat.format(e)).endsWith("timeout=900 expires_in=898.004s");
    }

    @Test
    void shouldRefuseFilesThatAreNotPcap() throws IOException {
        Path bad = dir.resolve("bad.pcap");
        Files.write(bad, new byte[64]);
        try {
            new PcapFile().read(bad, (f, s, sp, dp, p) -> { });
        } catch (IOException e) {
            assertThat(e.getMessage()).contains("not a pcap file");
            return;
        }
        throw new AssertionError("no error for a file that is not pcap");
    }

    /** A raw-IPv4 pcap (link type 101) of the given IP packets. */
    private static byte[] pcap(byte[]... packets) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(101);
        out.writeBytes(h.array());
        for (byte[] p : packets) {
            ByteBuffer r = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            r.putInt(0).putInt(0).putInt(p.length).putInt(p.length);
            out.writeBytes(r.array());
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** IPv4/UDP from 192.168.0.9 to 224.0.0.81:8848 (checksums left 0: the reader does not check them). */
    private static byte[] udp(byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(28 + payload.length);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (28 + payload.length)).putInt(0)
            .put((byte) 1).put((byte) 17).putShort((short) 0)
            .put(new byte[] {(byte) 192, (byte) 168, 0, 9}).put(new byte[] {(byte) 224, 0, 0, 81});
        b.putShort((short) 40000).putShort((short) 8848).putShort((short) (8 + payload.length)).putShort((short) 0);
        b.put(payload);
        return b.array();
    }
}
