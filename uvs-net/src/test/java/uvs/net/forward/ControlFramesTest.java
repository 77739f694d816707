package uvs.net.forward;

import static java.nio.ByteOrder.BIG_ENDIAN;
import static org.assertj.core.api.Assertions.assertThat;
import static uvs.net.packet.TestFrames.ethernet;
import static uvs.net.packet.TestFrames.hex;
import static uvs.net.packet.TestFrames.ipv4;
import static uvs.net.packet.TestFrames.ipv6;
import static uvs.net.packet.TestFrames.naiveSum;
import static uvs.net.packet.TestFrames.pseudo4;
import static uvs.net.packet.TestFrames.pseudo6;
import static uvs.net.packet.TestFrames.tcp;
import static uvs.net.packet.TestFrames.toHex;
import static uvs.net.packet.TestFrames.udp;
import static uvs.net.packet.TestFrames.v6;

import java.util.Arrays;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import uvs.core.PacketHeader;
import uvs.core.net.Af;
import uvs.net.packet.Frame;
import uvs.net.packet.FrameParser;
import uvs.net.packet.TestFrames;

/** IcmpErrors, Arp and NeighborDiscovery builders. */
class ControlFramesTest {
    static final int CLIENT = 0x0a000001;
    static final int VIP = 0x0a000064;
    static final int DIRECTOR = 0x0a0000fe;
    static final long C6_HI = 0x2001_0db8_0000_0001L;
    static final long V6_HI = 0x2001_0db8_0000_0002L;

    final Frame f = new Frame();
    final PacketHeader h = new PacketHeader();
    final UnsafeBuffer out = new UnsafeBuffer(new byte[2048]);
    final IcmpErrors icmp = new IcmpErrors(0x4242);

    UnsafeBuffer parsed(byte[] frame) {
        UnsafeBuffer b = new UnsafeBuffer(frame);
        FrameParser.parse(b, frame.length, f, h);
        return b;
    }

    /** Wraps the IP packet written into {@code out} in an Ethernet frame and parses it. */
    byte[] reparse(int len, int ethertype) {
        byte[] frame = ethernet(ethertype, Arrays.copyOf(out.byteArray(), len));
        FrameParser.parse(new UnsafeBuffer(frame), frame.length, f, h);
        return frame;
    }

    static byte[] udp4(int payload) {
        return ethernet(0x0800, ipv4(17, CLIENT, VIP, 64, 0x28, 0, new byte[0],
            udp(pseudo4(CLIENT, VIP, 17, 0), 5000, 53, new byte[payload], false)));
    }

    @Test
    void shouldBuildTimeExceededQuotingTheWholeSmallPacket() {
        UnsafeBuffer b = parsed(udp4(4));
        int len = icmp.timeExceeded(b, f, 0, DIRECTOR, out, 0);
        assertThat(len).isEqualTo(20 + 8 + 32);
        byte[] frame = reparse(len, 0x0800);
        assertThat(f.kind).isEqualTo(Frame.ICMP_ERROR);
        assertThat(f.icmpType).isEqualTo(11);
        assertThat(f.icmpCode).isZero();
        assertThat(f.srcLo).isEqualTo(DIRECTOR);
        assertThat(f.dstLo).isEqualTo(CLIENT);
        assertThat(f.ttl).isEqualTo(64);
        // TOS: original 0x28 & 0x1e = 0x08, | 0xc0 internetwork control
        assertThat(frame[15]).isEqualTo((byte) 0xc8);
        assertThat(out.getShort(4, BIG_ENDIAN) & 0xffff).isEqualTo(0x4242);
        assertThat(h.srcLo).isEqualTo(CLIENT);
        assertThat(h.dstPort).isEqualTo(53);
        // a correct header and ICMP checksum make the naive sum over each all ones
        assertThat(naiveSum(Arrays.copyOfRange(frame, 14, 34))).isEqualTo(0xffff);
        assertThat(naiveSum(Arrays.copyOfRange(frame, 34, frame.length))).isEqualTo(0xffff);
    }

    @Test
    void shouldTruncateIpv4QuoteTo576BytesAndCarryTheMtu() {
        UnsafeBuffer b = parsed(udp4(1000));
        int len = icmp.packetTooBig(b, f, 1400, 0, DIRECTOR, out, 0);
        assertThat(len).isEqualTo(576);
        // type 3 code 4, then unused 0000 and next-hop MTU 1400 = 0x0578
        assertThat(toHex(out.byteArray(), 20, 2)).isEqualTo("0304");
        assertThat(toHex(out.byteArray(), 24, 4)).isEqualTo("00000578");
        assertThat(naiveSum(Arrays.copyOfRange(out.byteArray(), 20, 576))).isEqualTo(0xffff);
    }

    @Test
    void shouldBuildIcmpv6PortUnreachableAndPacketTooBig() {
        byte[] c = v6(C6_HI, 1);
        byte[] v = v6(V6_HI, 0x64);
        byte[] frame = ethernet(0x86dd, ipv6(6, c, v, 64, 0, tcp(pseudo6(c, v, 6, 0), 1234, 80, 0x02, new byte[0])));
        UnsafeBuffer b = parsed(frame);
        int len = icmp.portUnreachable(b, f, V6_HI, 0xfe, out, 0);
        assertThat(len).isEqualTo(40 + 8 + 60);
        assertThat(toHex(out.byteArray(), 40, 2)).isEqualTo("0104");
        byte[] msg = Arrays.copyOfRange(out.byteArray(), 40, len);
        assertThat(naiveSum(pseudo6(v6(V6_HI, 0xfe), c, 58, msg.length), msg)).isEqualTo(0xffff);
        reparse(len, 0x86dd);
        assertThat(f.kind).isEqualTo(Frame.ICMP_ERROR);
        assertThat(h.srcHi).isEqualTo(C6_HI);
        assertThat(h.dstPort).isEqualTo(80);

        parsed(frame);
        len = icmp.packetTooBig(b, f, 1280, V6_HI, 0xfe, out, 0);
        assertThat(toHex(out.byteArray(), 40, 8)).startsWith("0200").endsWith("00000500");
    }

    @Test
    void shouldNotAnswerErrorsFragmentsOrGroupAddresses() {
        byte[] icmpError = ethernet(0x0800, ipv4(1, CLIENT, VIP, 64, 0, 0, new byte[0],
            TestFrames.cat(hex("0b00 f4ff 00000000"), ipv4(17, VIP, CLIENT, 1, 0, 0, new byte[0], new byte[8]))));
        assertThat(icmp.timeExceeded(parsed(icmpError), f, 0, DIRECTOR, out, 0)).isZero();
        byte[] fragment = ethernet(0x0800, ipv4(17, CLIENT, VIP, 64, 0, 0x0010, new byte[0], new byte[8]));
        assertThat(icmp.timeExceeded(parsed(fragment), f, 0, DIRECTOR, out, 0)).isZero();
        byte[] broadcast = ethernet(0x0800, ipv4(17, CLIENT, 0xffffffff, 64, 0, 0, new byte[0],
            udp(pseudo4(CLIENT, 0xffffffff, 17, 0), 68, 67, new byte[0], false)));
        assertThat(icmp.portUnreachable(parsed(broadcast), f, 0, DIRECTOR, out, 0)).isZero();
        byte[] linkMulticast = udp4(0);
        linkMulticast[0] = 0x01;
        assertThat(icmp.portUnreachable(parsed(linkMulticast), f, 0, DIRECTOR, out, 0)).isZero();

        byte[] c = v6(C6_HI, 1);
        byte[] group = v6(0xff0e_0000_0000_0000L, 0x101);
        byte[] mcast6 = ethernet(0x86dd, ipv6(17, c, group, 64, 0, udp(pseudo6(c, group, 17, 0), 1, 2, new byte[0],
            false)));
        assertThat(icmp.portUnreachable(parsed(mcast6), f, V6_HI, 1, out, 0)).isZero();
        assertThat(icmp.packetTooBig(parsed(mcast6), f, 1280, V6_HI, 1, out, 0)).as("RFC 4443 2.4(e)")
            .isEqualTo(40 + 8 + 48);
    }

    @Test
    void shouldBuildArpGoldenFrames() {
        long mac = 0x02_00_00_00_00_0bL;
        int len = Arp.request(out, mac, VIP, CLIENT);
        assertThat(toHex(out.byteArray(), 0, len)).isEqualTo(
            "ffffffffffff" + "02000000000b" + "0806" + "0001" + "0800" + "06" + "04" + "0001"
                + "02000000000b" + "0a000064" + "000000000000" + "0a000001");
        len = Arp.reply(out, mac, VIP, 0x02_00_00_00_00_0aL, CLIENT);
        assertThat(toHex(out.byteArray(), 0, len)).isEqualTo(
            "02000000000a" + "02000000000b" + "0806" + "0001" + "0800" + "06" + "04" + "0002"
                + "02000000000b" + "0a000064" + "02000000000a" + "0a000001");
        len = Arp.gratuitous(out, mac, VIP);
        assertThat(FrameParser.parse(out, len, f, h)).isEqualTo(Frame.ARP);
        assertThat(f.arpOp).isEqualTo(1);
        assertThat(f.arpSenderIp).isEqualTo(VIP);
        assertThat(f.arpTargetIp).isEqualTo(VIP);
        assertThat(toHex(out.byteArray(), 0, 6)).isEqualTo("ffffffffffff");
    }

    @Test
    void shouldBuildNeighborSolicitationAndAdvertisements() {
        long mac = 0x02_00_00_00_00_0bL;
        int len = NeighborDiscovery.solicit(out, mac, V6_HI, 0x64, C6_HI, 0x0000_0000_00ab_cdefL);
        assertThat(len).isEqualTo(86);
        // solicited-node group ff02::1:ffab:cdef, MAC 33:33:ff:ab:cd:ef, hop limit 255
        assertThat(toHex(out.byteArray(), 0, 6)).isEqualTo("3333ffabcdef");
        assertThat(toHex(out.byteArray(), 14 + 24, 16)).isEqualTo("ff0200000000000000000001ffabcdef");
        assertThat(out.getByte(14 + 7) & 0xff).isEqualTo(255);
        byte[] msg = Arrays.copyOfRange(out.byteArray(), 54, len);
        assertThat(naiveSum(pseudo6(v6(V6_HI, 0x64), v6(0xff02_0000_0000_0000L, 0x0000_0001_ffab_cdefL), 58,
            msg.length), msg)).isEqualTo(0xffff);
        assertThat(FrameParser.parse(out, len, f, h)).isEqualTo(Frame.NEIGHBOR_SOLICIT);
        assertThat(f.ndTargetLo).isEqualTo(0x00ab_cdefL);
        assertThat(f.ndLinkAddr).isEqualTo(mac);

        len = NeighborDiscovery.advertise(out, mac, V6_HI, 0x64, 0x02_00_00_00_00_0aL, C6_HI, 1, true, true);
        assertThat(FrameParser.parse(out, len, f, h)).isEqualTo(Frame.NEIGHBOR_ADVERT);
        assertThat(f.ndFlags).isEqualTo(0x60);
        assertThat(f.ndLinkAddr).isEqualTo(mac);
        assertThat(f.srcLo).isEqualTo(0x64);
        assertThat(f.af).isEqualTo(Af.INET6);

        len = NeighborDiscovery.unsolicitedAdvert(out, mac, V6_HI, 0x64);
        assertThat(toHex(out.byteArray(), 0, 6)).isEqualTo("333300000001");
        assertThat(FrameParser.parse(out, len, f, h)).isEqualTo(Frame.NEIGHBOR_ADVERT);
        assertThat(f.ndFlags).isEqualTo(0x20);
        assertThat(f.dstHi).isEqualTo(0xff02_0000_0000_0000L);
        assertThat(f.dstLo).isEqualTo(1);
        msg = Arrays.copyOfRange(out.byteArray(), 54, len);
        assertThat(naiveSum(pseudo6(v6(V6_HI, 0x64), v6(0xff02_0000_0000_0000L, 1), 58, msg.length), msg))
            .isEqualTo(0xffff);
    }
}
