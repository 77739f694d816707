package uvs.net.packet;

import static java.nio.ByteOrder.BIG_ENDIAN;
import static org.assertj.core.api.Assertions.assertThat;
import static uvs.net.packet.TestFrames.hex;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChecksumTest {

    @Test
    void shouldMatchRfc1071Example() {
        // RFC 1071 §3 example: 0001 + f203 + f4f5 + f6f7 = 0x2ddf0, folded 0xddf2, checksum ~0xddf2 = 0x220d
        UnsafeBuffer b = new UnsafeBuffer(hex("0001f203f4f5f6f7"));
        assertThat(Checksum.fold(Checksum.add(b, 0, 8, 0))).isEqualTo(0xddf2);
        assertThat(Checksum.compute(b, 0, 8)).isEqualTo(0x220d);
    }

    @Test
    void shouldComputeIpv4HeaderChecksum() {
        // the classic example header 4500 0073 0000 4000 4011 xxxx c0a8 0001 c0a8 00c7: words sum to 0x2479c,
        // folded 0x479e, checksum 0xb861
        UnsafeBuffer b = new UnsafeBuffer(hex("450000730000400040110000c0a80001c0a800c7"));
        Ipv4.writeChecksum(b, 0);
        assertThat(Ipv4.checksum(b, 0)).isEqualTo(0xb861);
    }

    @Test
    void shouldPadOddLengthWithZero() {
        // 01 02 03 -> 0x0102 + 0x0300 = 0x0402, checksum 0xfbfd
        assertThat(Checksum.compute(new UnsafeBuffer(hex("010203")), 0, 3)).isEqualTo(0xfbfd);
    }

    @Test
    void shouldMatchRfc3720Crc32cVectors() {
        byte[] zeros = new byte[32];
        byte[] ones = new byte[32];
        Arrays.fill(ones, (byte) 0xff);
        byte[] up = new byte[32];
        byte[] down = new byte[32];
        for (int i = 0; i < 32; i++) {
            up[i] = (byte) i;
            down[i] = (byte) (31 - i);
        }
        // RFC 3720 B.4 lists the CRC bytes as sent (little-endian): aa 36 91 8a etc.
        assertThat(Crc32c.compute(new UnsafeBuffer(zeros), 0, 32)).isEqualTo(0x8a9136aa);
        assertThat(Crc32c.compute(new UnsafeBuffer(ones), 0, 32)).isEqualTo(0x62a8ab43);
        assertThat(Crc32c.compute(new UnsafeBuffer(up), 0, 32)).isEqualTo(0x46dd794e);
        assertThat(Crc32c.compute(new UnsafeBuffer(down), 0, 32)).isEqualTo(0x113fdb5c);
        // the standard CRC-32C check value of "123456789"
        assertThat(Crc32c.compute(new UnsafeBuffer("123456789".getBytes()), 0, 9)).isEqualTo(0xe3069283);
    }

    @ParameterizedTest
    @ValueSource(longs = {1L, 2L, 3L, 42L, 20240601L})
    void shouldMakeIncrementalUpdatesEqualFullRecompute(long seed) {
        RandomGenerator rnd = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
        for (int round = 0; round < 2000; round++) {
            int len = 20 + rnd.nextInt(60) * 2;
            byte[] data = new byte[len];
            rnd.nextBytes(data);
            // sparse data hits the 0x0000/0xffff corner cases
            if (rnd.nextInt(4) == 0) {
                Arrays.fill(data, 0, len - 2, (byte) (rnd.nextBoolean() ? 0 : 0xff));
            }
            UnsafeBuffer b = new UnsafeBuffer(data);
            int check = TestFrames.naiveChecksum(data);
            int at = rnd.nextInt((len - 16) / 2) * 2;
            int kind = rnd.nextInt(3);
            int updated;
            if (kind == 0) {
                int old = b.getShort(at, BIG_ENDIAN) & 0xffff;
                int now = rnd.nextInt(0x10000);
                b.putShort(at, (short) now, BIG_ENDIAN);
                updated = Checksum.update16(check, old, now);
            } else if (kind == 1) {
                int old = b.getInt(at, BIG_ENDIAN);
                int now = rnd.nextInt();
                b.putInt(at, now, BIG_ENDIAN);
                updated = Checksum.update32(check, old, now);
            } else {
                long oldHi = b.getLong(at, BIG_ENDIAN);
                long oldLo = b.getLong(at + 8, BIG_ENDIAN);
                long hi = rnd.nextLong();
                long lo = rnd.nextLong();
                b.putLong(at, hi, BIG_ENDIAN);
                b.putLong(at + 8, lo, BIG_ENDIAN);
                updated = Checksum.update128(check, oldHi, oldLo, hi, lo);
            }
            int full = TestFrames.naiveChecksum(data);
            assertThat(updated).as("seed %d round %d kind %d", seed, round, kind).isEqualTo(full);
            assertThat(Checksum.compute(b, 0, len)).as("seed %d round %d full", seed, round).isEqualTo(full);
        }
    }
}
