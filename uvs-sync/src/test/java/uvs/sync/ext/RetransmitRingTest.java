package uvs.sync.ext;

import static org.assertj.core.api.Assertions.assertThat;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class RetransmitRingTest {
    @Test
    void shouldKeepTheLastDatagramsBySequence() {
        RetransmitRing ring = new RetransmitRing(4, 16);
        UnsafeBuffer src = new UnsafeBuffer(new byte[16]);
        for (long s = 0; s < 6; s++) {
            src.putLong(0, s * 100);
            ring.store(s, src, 0, 8);
        }
        UnsafeBuffer dst = new UnsafeBuffer(new byte[16]);
        assertThat(ring.copy(1, dst, 0)).as("overwritten by 5").isEqualTo(-1);
        assertThat(ring.copy(5, dst, 0)).isEqualTo(8);
        assertThat(dst.getLong(0)).isEqualTo(500);
        assertThat(ring.copy(2, dst, 0)).isEqualTo(8);
        assertThat(dst.getLong(0)).isEqualTo(200);
        assertThat(ring.copy(9, dst, 0)).isEqualTo(-1);
    }
}
