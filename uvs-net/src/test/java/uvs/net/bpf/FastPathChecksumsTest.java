package uvs.net.bpf;

import static org.assertj.core.api.Assertions.assertThat;
import static uvs.net.packet.TestFrames.ipv4;
import static uvs.net.packet.TestFrames.naiveChecksum;
import static uvs.net.packet.TestFrames.pseudo4;
import static uvs.net.packet.TestFrames.pseudo6;
import static uvs.net.packet.TestFrames.tcp;
import static uvs.net.packet.TestFrames.udp;
import static uvs.net.packet.TestFrames.v6;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import uvs.core.net.Af;

/**
 * The precomputed deltas, applied as the XDP program applies them, give the checksums a full recomputation gives
 * (TestFrames' naive sums), over seeded random addresses, ports, TTLs and payloads.
 */
class FastPathChecksumsTest {
    private static final long SEED = 0x5eed_fa57L;
    private static final int ROUNDS = 2000;

    private static int get16(byte[] b, int off) {
        return (b[off] & 0xff) << 8 | b[off + 1] & 0xff;
    }

    private static byte[] payload(SplittableRandom r) {
        byte[] p = new byte[r.nextInt(0, 40)];
        r.nextBytes(p);
        return p;
    }

    @Test
    void ipv4HeaderDeltaCoversTtlAndAddresses() {
        SplittableRandom r = new SplittableRandom(SEED);
        for (int i = 0; i < ROUNDS; i++) {
            int src = r.nextInt();
            int dst = r.nextInt();
            int newSrc = r.nextBoolean() ? src : r.nextInt();
            int newDst = r.nextBoolean() ? dst : r.nextInt();
            int ttl = r.nextInt(2, 256);
            int proto = r.nextBoolean() ? 6 : 17;
            byte[] before = ipv4(proto, src, dst, ttl, r.nextInt(256), 0, new byte[0], new byte[0]);
            byte[] after = ipv4(proto, newSrc, newDst, ttl - 1, before[1], 0, new byte[0], new byte[0]);
            int delta = FastPathChecksums.ipv4(src & 0xffffffffL, dst & 0xffffffffL, newSrc & 0xffffffffL,
                newDst & 0xffffffffL);
            assertThat(FastPathChecksums.apply(get16(before, 10), delta))
                .as("seed %x round %d", SEED, i).isEqualTo(get16(after, 10));
        }
    }

    @Test
    void tcpAndUdpDeltasOverIpv4() {
        SplittableRandom r = new SplittableRandom(SEED + 1);
        for (int i = 0; i < ROUNDS; i++) {
            int src = r.nextInt();
            int dst = r.nextInt();
            int sport = r.nextInt(0x10000);
            int dport = r.nextInt(0x10000);
            boolean inbound = r.nextBoolean();
            int newSrc = inbound ? src : r.nextInt();
            int newSport = inbound ? sport : r.nextInt(0x10000);
            int newDst = inbound ? r.nextInt() : dst;
            int newDport = inbound ? r.nextInt(0x10000) : dport;
            byte[] data = payload(r);
            int delta = FastPathChecksums.l4(Af.INET, 0, src & 0xffffffffL, 0, dst & 0xffffffffL, sport, dport, 0,
                newSrc & 0xffffffffL, 0, newDst & 0xffffffffL, newSport, newDport);
            byte[] t0 = tcp(pseudo4(src, dst, 6, 0), sport, dport, 0x10, data);
            byte[] t1 = tcp(pseudo4(newSrc, newDst, 6, 0), newSport, newDport, 0x10, data);
            assertThat(FastPathChecksums.apply(get16(t0, 16), delta)).as("TCP, seed %x round %d", SEED, i)
                .isEqualTo(get16(t1, 16));
            byte[] u0 = udp(pseudo4(src, dst, 17, 0), sport, dport, data, false);
            byte[] u1 = udp(pseudo4(newSrc, newDst, 17, 0), newSport, newDport, data, false);
            int c = FastPathChecksums.apply(get16(u0, 6), delta);
            assertThat(c == 0 ? 0xffff : c).as("UDP, seed %x round %d", SEED, i).isEqualTo(get16(u1, 6));
        }
    }

    @Test
    void tcpDeltaOverIpv6() {
        SplittableRandom r = new SplittableRandom(SEED + 2);
        for (int i = 0; i < ROUNDS; i++) {
            long[] a = {r.nextLong(), r.nextLong(), r.nextLong(), r.nextLong()};
            long[] b = {r.nextLong(), r.nextLong(), r.nextLong(), r.nextLong()};
            int sport = r.nextInt(0x10000);
            int dport = r.nextInt(0x10000);
            int newSport = r.nextInt(0x10000);
            int newDport = r.nextInt(0x10000);
            byte[] data = payload(r);
            int delta = FastPathChecksums.l4(Af.INET6, a[0], a[1], a[2], a[3], sport, dport, b[0], b[1], b[2], b[3],
                newSport, newDport);
            byte[] t0 = tcp(pseudo6(v6(a[0], a[1]), v6(a[2], a[3]), 6, 0), sport, dport, 0x18, data);
            byte[] t1 = tcp(pseudo6(v6(b[0], b[1]), v6(b[2], b[3]), 6, 0), newSport, newDport, 0x18, data);
            assertThat(FastPathChecksums.apply(get16(t0, 16), delta)).as("seed %x round %d", SEED, i)
                .isEqualTo(get16(t1, 16));
        }
    }

    @Test
    void anUnchangedPacketOnlyLosesOneTtl() {
        byte[] h = ipv4(6, 0x0a000001, 0x0a000064, 64, 0, 0, new byte[0], new byte[0]);
        int delta = FastPathChecksums.ipv4(0x0a000001L, 0x0a000064L, 0x0a000001L, 0x0a000064L);
        byte[] after = ipv4(6, 0x0a000001, 0x0a000064, 63, 0, 0, new byte[0], new byte[0]);
        assertThat(FastPathChecksums.apply(get16(h, 10), delta)).isEqualTo(get16(after, 10));
        assertThat(naiveChecksum(after)).as("a header with its checksum sums to all ones").isZero();
    }
}
