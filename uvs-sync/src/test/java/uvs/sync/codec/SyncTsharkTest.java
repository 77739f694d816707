package uvs.sync.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static uvs.sync.codec.RawDatagram.ip4;
import static uvs.sync.codec.SyncGoldenTest.v4;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import uvs.core.net.Af;

/**
 * Cross-check with an independent decoder, Wireshark's tshark (reference §10): UVS-encoded v1 and v0
 * messages are written into a pcap file (Ethernet / IPv4 / UDP to port 8848, as a kernel master sends
 * them to 224.0.0.81) and tshark's field values must be the ones the spec describes. Only option-free v1
 * entries are compared, because tshark does not parse v1 options or padding (§10 limitation 1); v0
 * sequence data appears byte-swapped because tshark reads it big-endian (§10 limitation 4).
 *
 * <p>When tshark is not installed (bin/uvs-setup, which the test command runs as root, installs it), the test
 * is skipped with that reason.
 */
@Tag("root")
class SyncTsharkTest {
    private static final String[] FIELDS = {"frame.number", "ipvs.conncount", "ipvs.syncid", "ipvs.size",
        "ipvs.version", "ipvs.type", "ipvs.size.v1", "ipvs.proto", "ipvs.cport", "ipvs.vport", "ipvs.dport",
        "ipvs.caddr", "ipvs.vaddr", "ipvs.daddr", "ipvs.caddr6", "ipvs.vaddr6", "ipvs.daddr6", "ipvs.state",
        "ipvs.flags", "ipvs.flags.v1", "ipvs.fwmark", "ipvs.timeout", "ipvs.in_seq.initial", "ipvs.in_seq.delta",
        "ipvs.out_seq.initial", "ipvs.out_seq.delta", "ip.checksum.status", "udp.checksum.status"};

    private static String tsharkProblem;

    private final SyncEntry e = new SyncEntry();

    @BeforeAll
    static void findTshark() {
        tsharkProblem = ensureTshark();
    }

    @Test
    void shouldDecodeUvsEncodedMessagesAsTsharkDoes(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(tsharkProblem == null, () -> "tshark not available: " + tsharkProblem);
        List<byte[]> payloads = List.of(v1TwoTcp(), v1Ipv6AndSctp(), v0PlainAndSeq(), v1Full());
        Path pcap = dir.resolve("uvs-sync.pcap");
        Files.write(pcap, pcap(payloads));

        List<String> lines = tshark(dir, "-r", pcap.toString(), "-o", "ip.check_checksum:TRUE", "-o",
            "udp.check_checksum:TRUE", "-T", "fields", "-E", "separator=|", fieldArgs());
        List<String> malformed = tshark(dir, "-r", pcap.toString(), "-Y", "_ws.malformed",
            "-T", "fields", "-e", "frame.number");

        assertThat(malformed).as("frames tshark finds malformed").isEmpty();
        assertThat(lines).hasSize(4);
        // frame 1: the §1.9 v1 example (80 = 8 + 2·36); flags are sent, not masked; ip/udp checksums good (1)
        assertThat(lines.get(0)).isEqualTo(row("1", "2", "7", "80", "1", "0,0", "36,36", "0x06,0x06", "12345,0",
            "80,80", "80,80", "10.0.0.1,10.0.0.1", "10.1.1.1,10.1.1.1", "10.2.2.2,10.2.2.2", "", "", "",
            "0x0001,0x0001", "", "0x00000083,0x00001183", "0x00000000,0x00000000", "900,360", "", "", "", "", "1",
            "1"));
        // frame 2: IPv6 entry (type byte 1, 72 bytes) then an SCTP (0x84) IPv4 entry with NFCT (0x10000):
        // size 8 + 72 + 36 = 116; fwmarks 0x11 and 0xcafe
        assertThat(lines.get(1)).isEqualTo(row("2", "2", "200", "116", "1", "1,0", "72,36", "0x06,0x84",
            "40000,5000", "443,5000", "8443,5001", "192.168.1.10", "192.168.1.1", "172.16.0.7", "2001:db8::1",
            "2001:db8::100", "2001:db8:1::2", "0x0001,0x0008", "", "0x00000083,0x00010102", "0x00000011,0x0000cafe",
            "900,61", "", "", "", "", "1", "1"));
        // frame 3: v0, 4 + 24 + 48 = 76 bytes; the seq words were written little-endian and tshark reads them
        // big-endian: in init 0x01020304 → 0x04030201, in delta 5 → 0x05000000, out init 0x0a0b0c0d →
        // 0x0d0c0b0a, out delta 255 → 0xff000000
        assertThat(lines.get(2)).isEqualTo(row("3", "2", "9", "76", "", "", "", "0x06,0x11", "12345,5353",
            "80,53", "80,53", "10.0.0.1,10.0.0.5", "10.1.1.1,10.1.1.1", "10.2.2.2,10.2.2.5", "", "", "",
            "0x0001,0x0000", "0x0083,0x0600", "", "", "", "0x04030201", "0x05000000", "0x0d0c0b0a", "0xff000000", "1",
            "1"));
        // frame 4: a full v1 message at maxlen 1472: 40 entries, 8 + 40·36 = 1448 bytes, cports 1000..1039
        String[] cols = lines.get(3).split("\\|", -1);
        assertThat(cols[1]).isEqualTo("40");
        assertThat(cols[3]).isEqualTo("1448");
        assertThat(cols[8]).isEqualTo(sequence(1000, 40));
    }

    private byte[] v1TwoTcp() {
        SyncMessageWriter w = SyncGoldenTest.writer(1472).start(1, 7);
        w.tryAppend(v4(e, 6, 0x83, 1, 12345, 80, 80, 900, "10.0.0.1", "10.1.1.1", "10.2.2.2"));
        w.tryAppend(v4(e, 6, 0x1183, 1, 0, 80, 80, 360, "10.0.0.1", "10.1.1.1", "10.2.2.2"));
        return bytes(w);
    }

    private byte[] v1Ipv6AndSctp() {
        SyncMessageWriter w = SyncGoldenTest.writer(1472).start(1, 200);
        e.clear();
        e.af = Af.INET6;
        e.protocol = 6;
        e.flags = 0x83;
        e.state = 1;
        e.cport = 40000;
        e.vport = 443;
        e.dport = 8443;
        e.fwmark = 0x11;
        e.timeout = 900;
        e.caddrHi = 0x20010db800000000L;
        e.caddrLo = 1;
        e.vaddrHi = 0x20010db800000000L;
        e.vaddrLo = 0x100;
        e.daddrHi = 0x20010db800010000L;
        e.daddrLo = 2;
        assertThat(w.tryAppend(e)).isEqualTo(SyncAppendResult.APPENDED);
        v4(e, 132, 0x10102, 8, 5000, 5000, 5001, 61, "192.168.1.10", "192.168.1.1", "172.16.0.7").fwmark = 0xcafe;
        assertThat(w.tryAppend(e)).isEqualTo(SyncAppendResult.APPENDED);
        return bytes(w);
    }

    private byte[] v0PlainAndSeq() {
        SyncMessageWriter w = SyncGoldenTest.writer(1472).start(0, 9);
        w.tryAppend(v4(e, 6, 0x83, 1, 12345, 80, 80, 900, "10.0.0.1", "10.1.1.1", "10.2.2.2"));
        w.tryAppend(v4(e, 17, 0x0600, 0, 5353, 53, 53, 300, "10.0.0.5", "10.1.1.1", "10.2.2.5")
            .seq(0x01020304, 5, 0, 0x0a0b0c0d, 255, 0));
        return bytes(w);
    }

    private byte[] v1Full() {
        SyncMessageWriter w = SyncGoldenTest.writer(1472).start(1, 1);
        for (int cport = 1000; ; cport++) {
            if (w.tryAppend(v4(e, 17, 0x100, 0, cport, 53, 53, 300, "10.0.0.9", "10.1.1.1", "10.2.2.9"))
                != SyncAppendResult.APPENDED) {
                break;
            }
        }
        return bytes(w);
    }

    private static byte[] bytes(SyncMessageWriter w) {
        byte[] b = new byte[w.finish()];
        w.buffer().getBytes(w.offset(), b);
        return b;
    }

    private static String row(String... cols) {
        return String.join("|", cols);
    }

    private static String sequence(int from, int count) {
        StringJoiner j = new StringJoiner(",");
        for (int i = 0; i < count; i++) {
            j.add(Integer.toString(from + i));
        }
        return j.toString();
    }

    private static String[] fieldArgs() {
        String[] args = new String[FIELDS.length * 2];
        for (int i = 0; i < FIELDS.length; i++) {
            args[2 * i] = "-e";
            args[2 * i + 1] = FIELDS[i];
        }
        return args;
    }

    // ---- pcap: global header + per packet record header + Ethernet / IPv4 / UDP frame ----

    /** A classic little-endian pcap file (magic a1b2c3d4, v2.4, link type 1 Ethernet). */
    static byte[] pcap(List<byte[]> payloads) {
        List<byte[]> frames = new ArrayList<>();
        int total = 24;
        for (int i = 0; i < payloads.size(); i++) {
            byte[] f = frame(payloads.get(i), i + 1);
            frames.add(f);
            total += 16 + f.length;
        }
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        for (int i = 0; i < frames.size(); i++) {
            byte[] f = frames.get(i);
            b.putInt(1_700_000_000 + i).putInt(0).putInt(f.length).putInt(f.length).put(f);
        }
        return b.array();
    }

    /** One Ethernet frame: master 10.9.9.1:40000 → 224.0.0.81:8848, TTL 1, DF clear (IP_PMTUDISC_DONT). */
    static byte[] frame(byte[] payload, int ipId) {
        int udpLength = 8 + payload.length;
        int ipLength = 20 + udpLength;
        int src = (int) ip4("10.9.9.1");
        int dst = (int) ip4("224.0.0.81");
        ByteBuffer b = ByteBuffer.allocate(14 + ipLength).order(ByteOrder.BIG_ENDIAN);
        // Ethernet: 01:00:5e + low 23 bits of the group address, locally administered source
        b.put(new byte[] {0x01, 0x00, 0x5e, 0x00, 0x00, 0x51, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01}).putShort((short) 0x0800);
        int ip = b.position();
        b.put((byte) 0x45).put((byte) 0).putShort((short) ipLength).putShort((short) ipId).putShort((short) 0)
            .put((byte) 1).put((byte) 17).putShort((short) 0).putInt(src).putInt(dst);
        b.putShort(ip + 10, (short) checksum(b.array(), ip, 20, 0));
        int udp = b.position();
        b.putShort((short) 40000).putShort((short) 8848).putShort((short) udpLength).putShort((short) 0).put(payload);
        // pseudo header: src, dst, zero, protocol, UDP length
        long pseudo = (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + 17 + udpLength;
        int sum = checksum(b.array(), udp, udpLength, pseudo);
        b.putShort(udp + 6, (short) (sum == 0 ? 0xffff : sum));
        return b.array();
    }

    /** RFC 1071 one's-complement checksum of a byte range plus an initial sum. */
    static int checksum(byte[] data, int offset, int length, long initial) {
        long sum = initial;
        for (int i = 0; i < length; i += 2) {
            int hi = data[offset + i] & 0xff;
            int lo = i + 1 < length ? data[offset + i + 1] & 0xff : 0;
            sum += hi << 8 | lo;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    // ---- running tshark ----

    private static List<String> tshark(Path dir, Object... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("tshark");
        for (Object a : args) {
            if (a instanceof String[] many) {
                cmd.addAll(List.of(many));
            } else {
                cmd.add((String) a);
            }
        }
        Path err = dir.resolve("tshark.err");
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("tshark finished").isTrue();
        assertThat(p.exitValue()).as("tshark exit status; stderr: %s", Files.readString(err)).isZero();
        return out.isEmpty() ? List.of() : List.of(out.split("\n"));
    }

    /** Null when tshark runs; otherwise why not. */
    private static String ensureTshark() {
        return run(30, "tshark", "-v") ? null : "not installed (bin/uvs-setup installs it as root)";
    }

    private static boolean run(long timeoutSeconds, String... cmd) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void shouldBuildFramesWhoseChecksumsVerify() {
        // RFC 1071 §3 example: 00 01 f2 03 f4 f5 f6 f7 sums to 0xddf2, checksum 0x220d
        byte[] data = {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7};
        assertThat(checksum(data, 0, 8, 0)).isEqualTo(0x220d);

        byte[] f = frame(new byte[] {1, 2, 3}, 1);
        // 14 Ethernet + 20 IPv4 + 8 UDP + 3 payload; an IPv4 header including its checksum sums to 0
        assertThat(f.length).isEqualTo(45);
        assertThat(checksum(f, 14, 20, 0)).isZero();
    }
}
