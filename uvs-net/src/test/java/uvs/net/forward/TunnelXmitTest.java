package uvs.net.forward;

import static java.nio.ByteOrder.BIG_ENDIAN;
import static org.assertj.core.api.Assertions.assertThat;
import static uvs.net.packet.TestFrames.cat;
import static uvs.net.packet.TestFrames.ethernet;
import static uvs.net.packet.TestFrames.hex;
import static uvs.net.packet.TestFrames.ipv4;
import static uvs.net.packet.TestFrames.ipv6;
import static uvs.net.packet.TestFrames.pseudo4;
import static uvs.net.packet.TestFrames.pseudo6;
import static uvs.net.packet.TestFrames.tcp;
import static uvs.net.packet.TestFrames.toHex;
import static uvs.net.packet.TestFrames.v6;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import uvs.core.PacketHeader;
import uvs.core.net.Af;
import uvs.core.svc.TunnelChecksum;
import uvs.core.svc.TunnelType;
import uvs.net.packet.Frame;
import uvs.net.packet.FrameParser;
import uvs.net.packet.TestFrames;

class TunnelXmitTest {
    static final int CLIENT = 0x0a000001;
    static final int VIP = 0x0a000064;
    static final int DIRECTOR = 0xc0a80101;
    static final int RS = 0xc0a80102;
    static final long D6_HI = 0x2001_0db8_00ff_0000L;
    static final long RS6_HI = 0x2001_0db8_00ff_0000L;

    final Frame f = new Frame();
    final PacketHeader h = new PacketHeader();
    final UnsafeBuffer out = new UnsafeBuffer(new byte[2048]);

    static byte[] syn4(int tos) {
        return ethernet(0x0800, ipv4(6, CLIENT, VIP, 64, tos, 0x4000, new byte[0],
            tcp(pseudo4(CLIENT, VIP, 6, 0), 40000, 80, 0x02, new byte[0])));
    }

    static byte[] syn6() {
        byte[] c = v6(0x2001_0db8_0000_0001L, 1);
        byte[] v = v6(0x2001_0db8_0000_0002L, 0x64);
        return ethernet(0x86dd, ipv6(6, c, v, 64, 0, tcp(pseudo6(c, v, 6, 0), 40000, 80, 0x02, new byte[0])));
    }

    int encap(byte[] frame, TunnelType type, int port, TunnelChecksum csum, int af, boolean pmtu) {
        UnsafeBuffer in = new UnsafeBuffer(frame);
        assertThat(FrameParser.parse(in, frame.length, f, h)).isEqualTo(Frame.IP);
        TunnelXmit x = new TunnelXmit(0x5eed, 0x0100);
        return af == Af.INET
            ? x.encapsulate(in, f, type, port, csum, Af.INET, 0, DIRECTOR & 0xffff_ffffL, 0, RS & 0xffff_ffffL, pmtu,
                out, 0)
            : x.encapsulate(in, f, type, port, csum, Af.INET6, D6_HI, 1, RS6_HI, 2, pmtu, out, 0);
    }

    byte[] result(int len) {
        return Arrays.copyOf(out.byteArray(), len);
    }

    @Test
    void shouldWriteIpipGoldenBytes() {
        int len = encap(syn4(0), TunnelType.IPIP, 0, TunnelChecksum.NOCSUM, Af.INET, true);
        assertThat(len).isEqualTo(60);
        // outer: 45 00 003c | id 0100 | DF 4000 | TTL 3f (inner 64 - 1) proto 04 | checksum | 192.168.1.1 > .2
        // checksum by hand: 4500+003c+0100+4000+3f04+c0a8+0101+c0a8+0102 = 0x24893 -> 0x4895 -> ~ = 0xb76a
        byte[] innerAfterDecrement = ipv4(6, CLIENT, VIP, 63, 0, 0x4000, new byte[0],
            tcp(pseudo4(CLIENT, VIP, 6, 0), 40000, 80, 0x02, new byte[0]));
        byte[] expected = cat(hex("4500003c 01004000 3f04b76a c0a80101 c0a80102"), innerAfterDecrement);
        assertThat(toHex(result(len), 0, len)).isEqualTo(toHex(expected, 0, expected.length));
    }

    @Test
    void shouldClearDfWithoutPmtuDiscAndEncapsulateEcn() {
        // inner TOS 0xbb = DSCP 46 (EF) + CE: the outer copies the DSCP and carries ECT(0) instead of CE
        int len = encap(syn4(0xbb), TunnelType.IPIP, 0, TunnelChecksum.NOCSUM, Af.INET, false);
        assertThat(out.getByte(1) & 0xff).isEqualTo(0xba);
        assertThat(out.getShort(6, BIG_ENDIAN)).isZero();
        assertThat(len).isEqualTo(60);
        assertThat(TunnelXmit.ecnEncapsulate(0xb9)).isEqualTo(0xb9);
    }

    @Test
    void shouldWriteGueHeaderAndFlowPort() {
        int len = encap(syn4(0), TunnelType.GUE, 6080, TunnelChecksum.NOCSUM, Af.INET, true);
        assertThat(len).isEqualTo(20 + 8 + 4 + 40);
        assertThat(out.getByte(9)).isEqualTo((byte) 17);
        int sport = out.getShort(20, BIG_ENDIAN) & 0xffff;
        assertThat(sport).isBetween(TunnelXmit.LOCAL_PORT_MIN, TunnelXmit.LOCAL_PORT_MAX - 1);
        // dst port 6080 = 0x17c0, UDP length 52 = 0x34, checksum 0; GUE: version 0 hlen 0, proto 4, flags 0
        assertThat(toHex(result(len), 22, 10)).isEqualTo("17c00034000000040000");
        // the same flow always gets the same port
        encap(syn4(0), TunnelType.GUE, 6080, TunnelChecksum.NOCSUM, Af.INET, true);
        assertThat(out.getShort(20, BIG_ENDIAN) & 0xffff).isEqualTo(sport);
    }

    @Test
    void shouldWriteGreWithChecksumOverIpv6() {
        int len = encap(syn4(0), TunnelType.GRE, 0, TunnelChecksum.CSUM, Af.INET6, true);
        assertThat(len).isEqualTo(40 + 8 + 40);
        // 6 / tc 0 / flow 0, payload 48 = 0x30, next header 47, hop limit 63
        assertThat(toHex(result(len), 0, 8)).isEqualTo("60000000" + "0030" + "2f" + "3f");
        // GRE: C bit, version 0, protocol 0x0800, then checksum + reserved 0
        assertThat(toHex(result(len), 40, 4)).isEqualTo("80000800");
        byte[] gre = Arrays.copyOfRange(out.byteArray(), 40, len);
        assertThat(TestFrames.naiveSum(gre)).as("GRE checksum verifies").isEqualTo(0xffff);
    }

    @Test
    void shouldRefuseWhenTtlWouldExpireOrOutputIsTooSmall() {
        byte[] frame = ethernet(0x0800, ipv4(6, CLIENT, VIP, 1, 0, 0, new byte[0],
            tcp(pseudo4(CLIENT, VIP, 6, 0), 1, 80, 0x02, new byte[0])));
        assertThat(encap(frame, TunnelType.IPIP, 0, TunnelChecksum.NOCSUM, Af.INET, true))
            .isEqualTo(XmitResult.TTL_EXCEEDED);
        UnsafeBuffer in = new UnsafeBuffer(syn4(0));
        FrameParser.parse(in, in.capacity(), f, h);
        int rc = new TunnelXmit(1, 1).encapsulate(in, f, TunnelType.IPIP, 0, TunnelChecksum.NOCSUM, Af.INET, 0, 1,
            0, 2, true, new UnsafeBuffer(new byte[59]), 0);
        assertThat(rc).isEqualTo(XmitResult.NO_ROOM);
    }

    @Test
    @Tag("root")
    void shouldBeDecodedByTshark(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Tshark.available(), "SKIPPED: /usr/bin/tshark missing, tunnel decode not checked");
        List<byte[]> packets = new ArrayList<>();
        packets.add(result(encap(syn4(0), TunnelType.IPIP, 0, TunnelChecksum.NOCSUM, Af.INET, true)));
        packets.add(result(encap(syn6(), TunnelType.IPIP, 0, TunnelChecksum.NOCSUM, Af.INET, true)));
        packets.add(result(encap(syn4(0), TunnelType.GRE, 0, TunnelChecksum.CSUM, Af.INET, true)));
        packets.add(result(encap(syn6(), TunnelType.GRE, 0, TunnelChecksum.NOCSUM, Af.INET6, true)));
        byte[] gue4 = result(encap(syn4(0), TunnelType.GUE, 6080, TunnelChecksum.CSUM, Af.INET, true));
        packets.add(gue4);
        byte[] gue6 = result(encap(syn6(), TunnelType.GUE, 6080, TunnelChecksum.REMCSUM, Af.INET6, true));
        packets.add(gue6);
        Path pcap = Tshark.writePcap(dir, Tshark.LINKTYPE_RAW, packets);
        List<String> lines = Tshark.fields(pcap, "ip.proto", "ip.src", "ip.dst", "ip.ttl", "ip.flags.df",
            "ip.checksum.status", "ipv6.nxt", "ipv6.src", "ipv6.dst", "ipv6.hlim", "gre.proto",
            "udp.dstport", "udp.checksum.status", "tcp.srcport", "tcp.dstport", "tcp.checksum.status");
        assertThat(lines).hasSize(6);
        // IPIP over IPv4 with an IPv4 inner: both headers decoded, both checksums good (status 1)
        assertThat(lines.get(0)).isEqualTo(String.join("\t", "4,6", "192.168.1.1,10.0.0.1", "192.168.1.2,10.0.0.100",
            "63,63", "1,1", "1,1", "", "", "", "", "", "", "", "40000", "80", "1"));
        // IPv6 inside IPv4 (protocol 41); DF is 0 for an IPv6 inner
        assertThat(lines.get(1)).isEqualTo(String.join("\t", "41", "192.168.1.1", "192.168.1.2", "63", "0", "1",
            "6", "2001:db8:0:1::1", "2001:db8:0:2::64", "63", "", "", "", "40000", "80", "1"));
        // GRE with checksum, protocol 0x0800
        assertThat(lines.get(2)).startsWith("47,6\t192.168.1.1,10.0.0.1\t");
        assertThat(lines.get(2)).contains("\t0x0800\t").endsWith("\t40000\t80\t1");
        // GRE over IPv6 with an IPv6 inner
        assertThat(lines.get(3)).contains("47,6\t2001:db8:ff::1,2001:db8:0:1::1\t").contains("\t0x86dd\t")
            .endsWith("\t40000\t80\t1");
        // GUE: tshark has no GUE dissector; the outer UDP (checksum good) is checked here, the inner below
        assertThat(lines.get(4)).startsWith("17\t192.168.1.1\t192.168.1.2\t63\t1\t1\t").contains("\t6080\t1\t");
        assertThat(lines.get(5)).contains("\t17\t2001:db8:ff::1\t2001:db8:ff::2\t63\t").contains("\t6080\t1\t");

        // the inner packets sit right after the 4-byte GUE header (hlen 0) and decode on their own
        Path inner = Tshark.writePcap(dir, Tshark.LINKTYPE_RAW, List.of(
            Arrays.copyOfRange(gue4, 20 + 12, gue4.length), Arrays.copyOfRange(gue6, 40 + 12, gue6.length)));
        List<String> innerLines = Tshark.fields(inner, "ip.src", "ipv6.src", "tcp.dstport", "tcp.checksum.status");
        assertThat(innerLines).containsExactly("10.0.0.1\t\t80\t1", "\t2001:db8:0:1::1\t80\t1");
    }
}
