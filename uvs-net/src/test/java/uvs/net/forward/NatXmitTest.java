package uvs.net.forward;

import static java.nio.ByteOrder.BIG_ENDIAN;
import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.assertj.core.api.Assertions.assertThat;
import static uvs.net.packet.TestFrames.cat;
import static uvs.net.packet.TestFrames.ethernet;
import static uvs.net.packet.TestFrames.hex;
import static uvs.net.packet.TestFrames.ipv4;
import static uvs.net.packet.TestFrames.ipv6;
import static uvs.net.packet.TestFrames.naiveChecksum;
import static uvs.net.packet.TestFrames.pseudo4;
import static uvs.net.packet.TestFrames.pseudo6;
import static uvs.net.packet.TestFrames.tcp;
import static uvs.net.packet.TestFrames.udp;
import static uvs.net.packet.TestFrames.v6;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import java.util.zip.CRC32C;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import uvs.core.Decision;
import uvs.core.PacketHeader;
import uvs.core.net.Af;
import uvs.net.packet.Frame;
import uvs.net.packet.FrameParser;
import uvs.net.packet.TestFrames;

class NatXmitTest {
    final Frame f = new Frame();
    final PacketHeader h = new PacketHeader();
    final Decision d = new Decision();

    /** A random TCP/UDP/SCTP frame over IPv4 or IPv6 with valid checksums (from the naive test sum). */
    static byte[] randomFrame(RandomGenerator rnd, int proto, boolean six, boolean udpZero) {
        byte[] payload = new byte[rnd.nextInt(40)];
        rnd.nextBytes(payload);
        int sport = rnd.nextInt(0x10000);
        int dport = rnd.nextInt(0x10000);
        byte[] s6 = v6(rnd.nextLong(), rnd.nextLong());
        byte[] d6 = v6(rnd.nextLong(), rnd.nextLong());
        int s4 = rnd.nextInt();
        int d4 = rnd.nextInt();
        byte[] pseudo = six ? pseudo6(s6, d6, proto, 0) : pseudo4(s4, d4, proto, 0);
        byte[] l4 = switch (proto) {
            case 6 -> tcp(pseudo, sport, dport, 0x10, payload);
            case 17 -> udp(pseudo, sport, dport, payload, udpZero);
            default -> sctp(sport, dport, payload);
        };
        return six ? ethernet(0x86dd, ipv6(proto, s6, d6, 64, 0, l4))
            : ethernet(0x0800, ipv4(proto, s4, d4, 64, 0, 0, new byte[0], l4));
    }

    static byte[] sctp(int sport, int dport, byte[] payload) {
        byte[] chunk = cat(hex("00030000"), payload);
        byte[] seg = cat(new byte[12], chunk);
        UnsafeBuffer b = new UnsafeBuffer(seg);
        b.putShort(0, (short) sport, BIG_ENDIAN);
        b.putShort(2, (short) dport, BIG_ENDIAN);
        b.putShort(14, (short) chunk.length, BIG_ENDIAN);
        b.putInt(8, crc32c(seg, 0, seg.length), LITTLE_ENDIAN);
        return seg;
    }

    static int crc32c(byte[] b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b, off, len);
        return (int) c.getValue();
    }

    /** Asserts every checksum of the parsed frame equals an independent full recompute. */
    static void assertChecksumsValid(byte[] frame, Frame f, String why) {
        int ip = f.l3Offset;
        int l4 = f.l4Offset;
        int end = ip + f.ipLength;
        byte[] l4Copy = Arrays.copyOfRange(frame, l4, end);
        UnsafeBuffer b = new UnsafeBuffer(frame);
        if (f.af == Af.INET) {
            byte[] hdr = Arrays.copyOfRange(frame, ip, l4);
            int stored = b.getShort(ip + 10, BIG_ENDIAN) & 0xffff;
            hdr[10] = 0;
            hdr[11] = 0;
            assertThat(stored).as("IP checksum " + why).isEqualTo(naiveChecksum(hdr));
        }
        byte[] pseudo = f.af == Af.INET
            ? pseudo4(b.getInt(ip + 12, BIG_ENDIAN), b.getInt(ip + 16, BIG_ENDIAN), f.protocol, l4Copy.length)
            : pseudo6(Arrays.copyOfRange(frame, ip + 8, ip + 24), Arrays.copyOfRange(frame, ip + 24, ip + 40),
                f.protocol, l4Copy.length);
        switch (f.protocol) {
            case 6 -> {
                int stored = b.getShort(l4 + 16, BIG_ENDIAN) & 0xffff;
                l4Copy[16] = 0;
                l4Copy[17] = 0;
                assertThat(stored).as("TCP checksum " + why).isEqualTo(naiveChecksum(pseudo, l4Copy));
            }
            case 17 -> {
                int stored = b.getShort(l4 + 6, BIG_ENDIAN) & 0xffff;
                l4Copy[6] = 0;
                l4Copy[7] = 0;
                int full = naiveChecksum(pseudo, l4Copy);
                assertThat(stored).as("UDP checksum " + why).isEqualTo(full == 0 ? 0xffff : full);
            }
            case 132 -> {
                int stored = b.getInt(l4 + 8, LITTLE_ENDIAN);
                Arrays.fill(l4Copy, 8, 12, (byte) 0);
                assertThat(stored).as("SCTP CRC " + why).isEqualTo(crc32c(l4Copy, 0, l4Copy.length));
            }
            default -> {
            }
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {11L, 12L, 13L, 99L})
    void shouldKeepChecksumsEqualToFullRecomputeAfterNat(long seed) {
        RandomGenerator rnd = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
        int[] protos = {6, 17, 132};
        for (int round = 0; round < 1500; round++) {
            int proto = protos[rnd.nextInt(3)];
            boolean six = rnd.nextBoolean();
            boolean udpZero = !six && rnd.nextInt(4) == 0;
            byte[] frame = randomFrame(rnd, proto, six, udpZero);
            UnsafeBuffer b = new UnsafeBuffer(frame);
            String why = "seed " + seed + " round " + round + " proto " + proto + (six ? " v6" : " v4");
            assertThat(FrameParser.parse(b, frame.length, f, h)).as(why).isEqualTo(Frame.IP);
            d.clear();
            boolean in = rnd.nextBoolean();
            if (six) {
                d.daddrHi = rnd.nextLong();
                d.vaddrHi = rnd.nextLong();
                d.daddrLo = rnd.nextLong();
                d.vaddrLo = rnd.nextLong();
            } else {
                d.daddrLo = rnd.nextInt() & 0xffff_ffffL;
                d.vaddrLo = rnd.nextInt() & 0xffff_ffffL;
            }
            // a quarter of the rewrites keep the port, the case where the SCTP CRC stays
            d.dport = rnd.nextInt(4) == 0 ? h.dstPort : rnd.nextInt(0x10000);
            d.vport = rnd.nextInt(4) == 0 ? h.srcPort : rnd.nextInt(0x10000);
            int rc = in ? NatXmit.dnat(b, f, d) : NatXmit.snat(b, f, d);
            assertThat(rc).as(why).isEqualTo(XmitResult.OK);
            assertThat(FrameParser.parse(b, frame.length, f, h)).as(why).isEqualTo(Frame.IP);
            assertThat(f.ttl).as(why).isEqualTo(63);
            if (in) {
                assertThat(h.dstHi).as(why).isEqualTo(d.daddrHi);
                assertThat(h.dstLo).as(why).isEqualTo(d.daddrLo);
                assertThat(h.dstPort).as(why).isEqualTo(d.dport);
            } else {
                assertThat(h.srcHi).as(why).isEqualTo(d.vaddrHi);
                assertThat(h.srcLo).as(why).isEqualTo(d.vaddrLo);
                assertThat(h.srcPort).as(why).isEqualTo(d.vport);
            }
            assertChecksumsValid(frame, f, why);
        }
    }

    @Test
    void shouldRecomputeZeroUdpChecksumInFull() {
        // 10.0.0.1:5000 -> 10.0.0.100:53, UDP payload "ab", checksum 0 on the wire
        byte[] frame = ethernet(0x0800, ipv4(17, 0x0a000001, 0x0a000064, 64, 0, 0, new byte[0],
            udp(pseudo4(0, 0, 17, 0), 5000, 53, hex("6162"), true)));
        UnsafeBuffer b = new UnsafeBuffer(frame);
        FrameParser.parse(b, frame.length, f, h);
        d.daddrLo = 0x0a000002;
        d.dport = 5353;
        assertThat(NatXmit.dnat(b, f, d)).isEqualTo(XmitResult.OK);
        // by hand: pseudo 0a00 0001 0a00 0002 0011 000a + udp 1388 14e9 000a 0000 6162
        // = 0x0a00+0x0001+0x0a00+0x0002+0x0011+0x000a+0x1388+0x14e9+0x000a+0x6162 = 0x9dfb -> ~ = 0x6204
        assertThat(b.getShort(34 + 6, BIG_ENDIAN) & 0xffff).isEqualTo(0x6204);
    }

    @Test
    void shouldReportTtlExceededWithoutTouchingThePacket() {
        byte[] frame = ethernet(0x0800, ipv4(6, 1, 2, 1, 0, 0, new byte[0],
            tcp(pseudo4(1, 2, 6, 0), 1, 2, 0x02, new byte[0])));
        byte[] before = frame.clone();
        UnsafeBuffer b = new UnsafeBuffer(frame);
        FrameParser.parse(b, frame.length, f, h);
        d.daddrLo = 3;
        assertThat(NatXmit.dnat(b, f, d)).isEqualTo(XmitResult.TTL_EXCEEDED);
        assertThat(frame).isEqualTo(before);
    }

    @Test
    void shouldDecrementTtlWithIncrementalChecksum() {
        // example header with TTL 0x40: checksum 0xb861 (see ChecksumTest); TTL 0x3f: word 4011 -> 3f11,
        // checksum rises by 0x0100 to 0xb961
        byte[] frame = ethernet(0x0800, hex("450000730000400040110000c0a80001c0a800c7"));
        TestFrames.put16(frame, 14 + 10, 0xb861);
        frame = cat(frame, new byte[0x73 - 20]);
        UnsafeBuffer b = new UnsafeBuffer(frame);
        FrameParser.parse(b, frame.length, f, h);
        assertThat(DirectRouteXmit.decrementTtl(b, f)).isEqualTo(XmitResult.OK);
        assertThat(frame[14 + 8]).isEqualTo((byte) 0x3f);
        assertThat(b.getShort(14 + 10, BIG_ENDIAN) & 0xffff).isEqualTo(0xb961);
    }

    @Test
    void shouldTranslateIcmpErrorFromRealServerBackToTheVirtualService() {
        // RS 10.0.0.2 answers port unreachable for client 10.0.0.1:5000 -> RS:53 (forwarded from VIP 10.0.0.100:5300)
        int client = 0x0a000001;
        int rs = 0x0a000002;
        int vip = 0x0a000064;
        byte[] quoted = ipv4(17, client, rs, 63, 0, 0, new byte[0],
            udp(pseudo4(client, rs, 17, 0), 5000, 53, new byte[0], false));
        byte[] icmp = cat(hex("0303 0000 00000000"), quoted);
        TestFrames.put16(icmp, 2, naiveChecksum(icmp));
        byte[] frame = ethernet(0x0800, ipv4(1, rs, client, 64, 0xc0, 0, new byte[0], icmp));
        UnsafeBuffer b = new UnsafeBuffer(frame);
        assertThat(FrameParser.parse(b, frame.length, f, h)).isEqualTo(Frame.ICMP_ERROR);
        d.vaddrLo = vip;
        d.vport = 5300;
        assertThat(NatXmit.snatIcmp(b, f, d)).isEqualTo(XmitResult.OK);

        // the client now sees an error from the VIP quoting its own packet client:5000 -> VIP:5300
        byte[] expectedQuote = ipv4(17, client, vip, 63, 0, 0, new byte[0],
            udp(pseudo4(client, rs, 17, 0), 5000, 5300, new byte[0], false));
        // the quoted UDP checksum is left as the RS computed it (the kernel does not touch it either)
        System.arraycopy(quoted, 26, expectedQuote, 26, 2);
        byte[] expectedIcmp = cat(hex("0303 0000 00000000"), expectedQuote);
        TestFrames.put16(expectedIcmp, 2, naiveChecksum(expectedIcmp));
        byte[] expected = ethernet(0x0800, ipv4(1, vip, client, 63, 0xc0, 0, new byte[0], expectedIcmp));
        assertThat(TestFrames.toHex(frame, 0, frame.length)).isEqualTo(TestFrames.toHex(expected, 0, expected.length));
    }

    @Test
    void shouldTranslateIcmpv6ErrorFromClientSideToTheRealServer() {
        // the client says packet too big about a reply VIP:443 -> client:1234; it must reach RS as RS:8443 -> client
        byte[] c = v6(0x2001_0db8_0000_0001L, 1);
        byte[] v = v6(0x2001_0db8_0000_0002L, 0x64);
        byte[] r = v6(0x2001_0db8_0000_0003L, 2);
        byte[] quoted = ipv6(6, v, c, 63, 0, tcp(pseudo6(v, c, 6, 0), 443, 1234, 0x10, new byte[0]));
        byte[] icmp = cat(hex("0200 0000 000005dc"), quoted);
        TestFrames.put16(icmp, 2, naiveChecksum(pseudo6(c, v, 58, icmp.length), icmp));
        byte[] frame = ethernet(0x86dd, ipv6(58, c, v, 64, 0, icmp));
        UnsafeBuffer b = new UnsafeBuffer(frame);
        assertThat(FrameParser.parse(b, frame.length, f, h)).isEqualTo(Frame.ICMP_ERROR);
        d.daddrHi = 0x2001_0db8_0000_0003L;
        d.daddrLo = 2;
        d.dport = 8443;
        assertThat(NatXmit.dnatIcmp(b, f, d)).isEqualTo(XmitResult.OK);

        byte[] expectedQuote = ipv6(6, r, c, 63, 0, tcp(pseudo6(v, c, 6, 0), 8443, 1234, 0x10, new byte[0]));
        System.arraycopy(quoted, 40 + 16, expectedQuote, 40 + 16, 2);
        byte[] expectedIcmp = cat(hex("0200 0000 000005dc"), expectedQuote);
        TestFrames.put16(expectedIcmp, 2, naiveChecksum(pseudo6(c, r, 58, expectedIcmp.length), expectedIcmp));
        byte[] expected = ethernet(0x86dd, ipv6(58, c, r, 63, 0, expectedIcmp));
        assertThat(TestFrames.toHex(frame, 0, frame.length)).isEqualTo(TestFrames.toHex(expected, 0, expected.length));
    }
}
