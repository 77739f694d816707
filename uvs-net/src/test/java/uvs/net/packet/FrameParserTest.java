package uvs.net.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static uvs.net.packet.TestFrames.cat;
import static uvs.net.packet.TestFrames.ethernet;
import static uvs.net.packet.TestFrames.hex;
import static uvs.net.packet.TestFrames.ipv4;
import static uvs.net.packet.TestFrames.ipv6;
import static uvs.net.packet.TestFrames.pseudo4;
import static uvs.net.packet.TestFrames.pseudo6;
import static uvs.net.packet.TestFrames.tcp;
import static uvs.net.packet.TestFrames.udp;
import static uvs.net.packet.TestFrames.v6;

import java.util.List;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import uvs.core.PacketHeader;
import uvs.core.net.Af;
import uvs.core.net.IpProto;

class FrameParserTest {
    static final int CLIENT = 0x0a000001;
    static final int VIP = 0x0a000064;
    static final int RS = 0x0a000002;
    static final long C6_HI = 0x2001_0db8_0000_0001L;
    static final long C6_LO = 0x0000_0000_0000_0001L;
    static final long V6_HI = 0x2001_0db8_0000_0002L;
    static final long V6_LO = 0x0000_0000_0000_0064L;

    final Frame f = new Frame();
    final PacketHeader h = new PacketHeader();

    int parse(byte[] frame) {
        return FrameParser.parse(new UnsafeBuffer(frame), frame.length, f, h);
    }

    static byte[] tcpSyn4() {
        return ethernet(0x0800, ipv4(6, CLIENT, VIP, 64, 0, 0x4000, new byte[0],
            tcp(pseudo4(CLIENT, VIP, 6, 0), 40000, 80, 0x02, new byte[0])));
    }

    static byte[] tcp6WithExtensions() {
        byte[] src = v6(C6_HI, C6_LO);
        byte[] dst = v6(V6_HI, V6_LO);
        // hop-by-hop (next = dest opts 60, len 0 = 8 bytes, PadN), dest opts (next = fragment 44), fragment
        // header (next = TCP, offset 0, M = 1, id 7)
        byte[] hbh = hex("3c00 0104 00000000");
        byte[] dopt = hex("2c00 0104 00000000");
        byte[] frag = hex("0600 0001 00000007");
        byte[] seg = tcp(pseudo6(src, dst, 6, 0), 1234, 443, 0x18, hex("68656c6c6f"));
        return ethernet(0x86dd, ipv6(0, src, dst, 60, 0, cat(hbh, dopt, frag, seg)));
    }

    static byte[] sctpCookieEchoAndData() {
        // common header 5000 -> 80, vtag, crc (unchecked by the parser); COOKIE_ECHO (10) of length 5 padded
        // to 8, then DATA (0) chunk header
        byte[] sctp = hex("1388 0050 00000001 00000000 0a000005 aa000000 00030010 00000000 00000000 00000000");
        return ethernet(0x0800, ipv4(132, CLIENT, VIP, 64, 0, 0, new byte[0], sctp));
    }

    static byte[] icmpPortUnreachable4() {
        // RS tells the client its UDP 10.0.0.1:5000 -> 10.0.0.2:53 found no listener; quote = IP header + 8
        byte[] quoted = ipv4(17, CLIENT, RS, 63, 0, 0, new byte[0],
            udp(pseudo4(CLIENT, RS, 17, 0), 5000, 53, new byte[0], false));
        byte[] icmp = cat(hex("0303 0000 00000000"), quoted);
        TestFrames.put16(icmp, 2, TestFrames.naiveChecksum(icmp));
        return ethernet(0x0800, ipv4(1, RS, CLIENT, 64, 0xc0, 0, new byte[0], icmp));
    }

    static byte[] icmpv6TooBig() {
        byte[] c = v6(C6_HI, C6_LO);
        byte[] v = v6(V6_HI, V6_LO);
        byte[] quoted = ipv6(6, v, c, 63, 0, tcp(pseudo6(v, c, 6, 0), 443, 1234, 0x10, new byte[0]));
        byte[] icmp = cat(hex("0200 0000 000005dc"), quoted);
        TestFrames.put16(icmp, 2, TestFrames.naiveChecksum(pseudo6(c, v, 58, icmp.length), icmp));
        return ethernet(0x86dd, ipv6(58, c, v, 64, 0, icmp));
    }

    static byte[] arpRequest() {
        // who-has 10.0.0.100 tell 10.0.0.1
        return ethernet(0x0806, hex("0001 0800 06 04 0001 02000000000a 0a000001 000000000000 0a000064"));
    }

    static byte[] neighborSolicit() {
        byte[] src = v6(C6_HI, C6_LO);
        byte[] dst = v6(0xff02_0000_0000_0000L, 0x0000_0001_ff00_0064L);
        byte[] ns = cat(hex("8700 0000 00000000"), v6(V6_HI, V6_LO), hex("01 01 02000000000a"));
        TestFrames.put16(ns, 2, TestFrames.naiveChecksum(pseudo6(src, dst, 58, ns.length), ns));
        return ethernet(0x86dd, ipv6(58, src, dst, 255, 0, ns));
    }

    static List<byte[]> goldenFrames() {
        return List.of(tcpSyn4(), tcp6WithExtensions(), sctpCookieEchoAndData(), icmpPortUnreachable4(),
            icmpv6TooBig(), arpRequest(), neighborSolicit());
    }

    @Test
    void shouldParseIpv4TcpIntoPacketHeader() {
        assertThat(parse(tcpSyn4())).isEqualTo(Frame.IP);
        assertThat(f.l3Offset).isEqualTo(14);
        assertThat(f.l4Offset).isEqualTo(34);
        assertThat(f.ipLength).isEqualTo(40);
        assertThat(f.ttl).isEqualTo(64);
        assertThat(f.df).isTrue();
        assertThat(h.af).isEqualTo(Af.INET);
        assertThat(h.protocol).isEqualTo(IpProto.TCP);
        assertThat(h.srcLo).isEqualTo(CLIENT);
        assertThat(h.dstLo).isEqualTo(VIP);
        assertThat(h.srcHi).isZero();
        assertThat(h.srcPort).isEqualTo(40000);
        assertThat(h.dstPort).isEqualTo(80);
        assertThat(h.tcpFlags).isEqualTo(PacketHeader.TCP_SYN);
        assertThat(h.length).isEqualTo(40);
        assertThat(h.direction).isEqualTo(PacketHeader.DIR_INPUT);
    }

    @Test
    void shouldHonourIpv4OptionsVlanTagAndPadding() {
        byte[] ip = ipv4(17, CLIENT, VIP, 9, 0, 0, hex("01010100"),
            udp(pseudo4(CLIENT, VIP, 17, 0), 5353, 53, hex("00"), false));
        byte[] tagged = ethernet(0x8100, cat(hex("2005 0800"), ip, new byte[12]));
        assertThat(parse(tagged)).isEqualTo(Frame.IP);
        assertThat(f.vlanTci).isEqualTo(0x2005);
        assertThat(f.ethertype).isEqualTo(0x0800);
        assertThat(f.l3Offset).isEqualTo(18);
        assertThat(f.l4Offset).isEqualTo(18 + 24);
        assertThat(f.ipLength).isEqualTo(24 + 9);
        assertThat(h.srcPort).isEqualTo(5353);
        assertThat(h.dstPort).isEqualTo(53);
        assertThat(h.length).isEqualTo(33);
    }

    @Test
    void shouldWalkIpv6ExtensionHeaders() {
        assertThat(parse(tcp6WithExtensions())).isEqualTo(Frame.IP);
        assertThat(f.l4Offset).isEqualTo(14 + 40 + 24);
        assertThat(f.moreFragments).isTrue();
        assertThat(f.ttl).isEqualTo(60);
        assertThat(h.af).isEqualTo(Af.INET6);
        assertThat(h.protocol).isEqualTo(IpProto.TCP);
        assertThat(h.srcHi).isEqualTo(C6_HI);
        assertThat(h.srcLo).isEqualTo(C6_LO);
        assertThat(h.dstHi).isEqualTo(V6_HI);
        assertThat(h.dstLo).isEqualTo(V6_LO);
        assertThat(h.srcPort).isEqualTo(1234);
        assertThat(h.dstPort).isEqualTo(443);
        assertThat(h.tcpFlags).isEqualTo(0x18);
        assertThat(h.length).isEqualTo(40 + 24 + 25);
    }

    @Test
    void shouldReportNonFirstFragments() {
        byte[] v4 = ethernet(0x0800, ipv4(17, CLIENT, VIP, 64, 0, 0x0003, new byte[0], new byte[16]));
        assertThat(parse(v4)).isEqualTo(Frame.FRAGMENT);
        assertThat(f.l4Offset).isEqualTo(34);
        byte[] v6 = ethernet(0x86dd, ipv6(44, v6(C6_HI, C6_LO), v6(V6_HI, V6_LO), 64, 0,
            cat(hex("1100 0008 00000007"), new byte[8])));
        assertThat(parse(v6)).isEqualTo(Frame.FRAGMENT);
        assertThat(f.protocol).isEqualTo(17);
        assertThat(f.l4Offset).isEqualTo(14 + 48);
    }

    @Test
    void shouldReadBothSctpChunkTypes() {
        assertThat(parse(sctpCookieEchoAndData())).isEqualTo(Frame.IP);
        assertThat(h.srcPort).isEqualTo(5000);
        assertThat(h.dstPort).isEqualTo(80);
        assertThat(h.sctpChunkType).isEqualTo(10);
        assertThat(h.sctpNextChunkType).isEqualTo(0);
        byte[] init = ethernet(0x0800, ipv4(132, CLIENT, VIP, 64, 0, 0, new byte[0],
            hex("1388 0050 00000000 00000000 01000014 00000001 00010000 000a000a 00000001")));
        assertThat(parse(init)).isEqualTo(Frame.IP);
        assertThat(h.sctpChunkType).isEqualTo(1);
        assertThat(h.sctpNextChunkType).isEqualTo(-1);
    }

    @Test
    void shouldDescribeTheQuotedPacketOfIcmpErrors() {
        assertThat(parse(icmpPortUnreachable4())).isEqualTo(Frame.ICMP_ERROR);
        assertThat(f.icmpType).isEqualTo(3);
        assertThat(f.icmpCode).isEqualTo(3);
        assertThat(f.innerL3Offset).isEqualTo(42);
        assertThat(f.innerL4Offset).isEqualTo(62);
        assertThat(f.innerAf).isEqualTo(Af.INET);
        assertThat(h.protocol).isEqualTo(IpProto.UDP);
        assertThat(h.srcLo).isEqualTo(CLIENT);
        assertThat(h.dstLo).isEqualTo(RS);
        assertThat(h.srcPort).isEqualTo(5000);
        assertThat(h.dstPort).isEqualTo(53);
        assertThat(h.length).isEqualTo(20 + 8 + 28);

        assertThat(parse(icmpv6TooBig())).isEqualTo(Frame.ICMP_ERROR);
        assertThat(f.icmpType).isEqualTo(2);
        assertThat(h.af).isEqualTo(Af.INET6);
        assertThat(h.srcHi).isEqualTo(V6_HI);
        assertThat(h.dstLo).isEqualTo(C6_LO);
        assertThat(h.srcPort).isEqualTo(443);
        assertThat(h.dstPort).isEqualTo(1234);
    }

    @Test
    void shouldTreatEchoAsPlainIp() {
        byte[] echo = hex("0800 0000 0001 0001");
        TestFrames.put16(echo, 2, TestFrames.naiveChecksum(echo));
        assertThat(parse(ethernet(0x0800, ipv4(1, CLIENT, VIP, 64, 0, 0, new byte[0], echo)))).isEqualTo(Frame.IP);
        assertThat(h.protocol).isEqualTo(IpProto.ICMP);
        assertThat(h.srcPort).isZero();
        assertThat(f.icmpType).isEqualTo(8);
    }

    @Test
    void shouldParseArp() {
        assertThat(parse(arpRequest())).isEqualTo(Frame.ARP);
        assertThat(f.arpOp).isEqualTo(1);
        assertThat(f.arpSenderMac).isEqualTo(0x02_00_00_00_00_0aL);
        assertThat(f.arpSenderIp).isEqualTo(CLIENT);
        assertThat(f.arpTargetIp).isEqualTo(VIP);
    }

    @Test
    void shouldParseNeighborSolicitationAndAdvertisement() {
        assertThat(parse(neighborSolicit())).isEqualTo(Frame.NEIGHBOR_SOLICIT);
        assertThat(f.ndTargetHi).isEqualTo(V6_HI);
        assertThat(f.ndTargetLo).isEqualTo(V6_LO);
        assertThat(f.ndLinkAddr).isEqualTo(0x02_00_00_00_00_0aL);
        assertThat(f.srcHi).isEqualTo(C6_HI);
        assertThat(f.srcLo).isEqualTo(C6_LO);

        byte[] src = v6(V6_HI, V6_LO);
        byte[] dst = v6(C6_HI, C6_LO);
        byte[] na = cat(hex("8800 0000 60000000"), v6(V6_HI, V6_LO), hex("02 01 02000000000b"));
        TestFrames.put16(na, 2, TestFrames.naiveChecksum(pseudo6(src, dst, 58, na.length), na));
        assertThat(parse(ethernet(0x86dd, ipv6(58, src, dst, 255, 0, na)))).isEqualTo(Frame.NEIGHBOR_ADVERT);
        assertThat(f.ndFlags).isEqualTo(0x60);
        assertThat(f.ndLinkAddr).isEqualTo(0x02_00_00_00_00_0bL);
        assertThat(parse(ethernet(0x86dd, ipv6(58, src, dst, 64, 0, na)))).as("hop limit must be 255")
            .isEqualTo(Frame.MALFORMED);
    }

    @Test
    void shouldReportOtherEthertypes() {
        assertThat(parse(ethernet(0x88cc, new byte[46]))).isEqualTo(Frame.OTHER);
    }

    @Test
    void shouldReportEveryTruncationAsMalformed() {
        for (byte[] frame : goldenFrames()) {
            for (int len = 0; len < frame.length; len++) {
                int cut = len;
                assertThatCode(() -> FrameParser.parse(new UnsafeBuffer(frame), cut, f, h)).doesNotThrowAnyException();
                assertThat(f.kind).as("frame %s cut at %d", TestFrames.toHex(frame, 0, 16), cut)
                    .isIn(Frame.MALFORMED, Frame.OTHER);
            }
        }
    }

    @Test
    void shouldNeverThrowOnCorruptedFrames() {
        long seed = 7;
        RandomGenerator rnd = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
        for (int i = 0; i < 20000; i++) {
            byte[] frame = goldenFrames().get(i % 7).clone();
            for (int k = 0; k < 1 + rnd.nextInt(4); k++) {
                frame[rnd.nextInt(frame.length)] = (byte) rnd.nextInt();
            }
            int len = rnd.nextInt(frame.length + 1);
            int round = i;
            assertThatCode(() -> FrameParser.parse(new UnsafeBuffer(frame), len, f, h))
                .as("seed %d round %d", seed, round).doesNotThrowAnyException();
        }
    }
}
