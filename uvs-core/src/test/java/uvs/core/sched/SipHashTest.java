package uvs.core.sched;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SipHashTest {
    /** Key 00 01 … 0f as two little-endian words, as in the SipHash reference test. */
    private static final long K0 = 0x0706050403020100L;
    private static final long K1 = 0x0f0e0d0c0b0a0908L;

    /** Official SipHash-2-4 vectors (reference test.c, vectors_sip64) for messages 00 01 … (n − 1). */
    private static final long[] VECTORS = {
        0x726fdb47dd0e0e31L, 0x74f839c593dc67fdL, 0x0d6c8009d9a94f5aL, 0x85676696d7fb7e2dL,
        0xcf2794e0277187b7L, 0x18765564cd99a68dL, 0xcbc9466e58fee3ceL, 0xab0200f58b01d137L,
        0x93f5f5799a932462L, 0x9e0082df0ba9e4b0L, 0x7a5dbbc594ddb9f3L, 0xf4b32f46226bada7L,
        0x751e8fbc860ee5fbL, 0x14ea5627c0843d90L, 0xf723ca908e7af2eeL, 0xa129ca6149be45e5L,
        0x3f2acc7f57c29bdbL, 0x699ae9f52cbe4794L, 0x4bc1b3f0968dd39cL, 0xbb6dc91da77961bdL,
    };

    @Test
    void shouldMatchOfficialSipHash24Vectors() {
        byte[] msg = new byte[64];
        for (int i = 0; i < msg.length; i++) {
            msg[i] = (byte) i;
        }
        for (int n = 0; n < VECTORS.length; n++) {
            assertThat(SipHash.hash(2, 4, K0, K1, msg, 0, n)).as("length %d", n).isEqualTo(VECTORS[n]);
        }
        assertThat(SipHash.hash(2, 4, K0, K1, msg, 0, 32)).as("length 32").isEqualTo(0x7127512f72f27cceL);
    }

    @Test
    void shouldHashFromOffset() {
        byte[] msg = new byte[20];
        for (int i = 0; i < 15; i++) {
            msg[5 + i] = (byte) i;
        }
        assertThat(SipHash.hash(2, 4, K0, K1, msg, 5, 15)).isEqualTo(0xa129ca6149be45e5L);
    }

    @Test
    void shouldMatchMaglevCheckValueWithOneThreeRounds() {
        // spec §7.2 mh: client 203.0.113.7 (0xCB007107), port 0, hash1 key 2654435761 → 0xa86e2c15
        assertThat(SipHash.hsiphash(2654435761L, 2654435761L, 0xCB007107)).isEqualTo(0xa86e2c15);
        // the 4-byte little-endian message through the general path gives the same 64-bit result
        byte[] le = {0x07, 0x71, 0x00, (byte) 0xCB};
        assertThat((int) SipHash.hash(1, 3, 2654435761L, 2654435761L, le, 0, 4)).isEqualTo(0xa86e2c15);
    }

    @Test
    void shouldRejectBadArguments() {
        byte[] msg = new byte[4];
        assertThatThrownBy(() -> SipHash.hash(0, 4, K0, K1, msg, 0, 4)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("rounds");
        assertThatThrownBy(() -> SipHash.hash(2, 4, K0, K1, msg, 2, 4)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("outside");
    }
}
