package uvs.sync.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** The in-process wire: ordering per port, seeded loss, chosen losses, truncation, overflow. */
class InMemorySyncTransportTest {
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[100]);
    private final UnsafeBuffer in = new UnsafeBuffer(new byte[100]);

    private void sendTagged(InMemorySyncTransport t, int tag, int port) {
        out.putInt(0, tag);
        assertThat(t.send(out, 0, 100, port)).isEqualTo(100);
    }

    private List<Integer> receiveTags(InMemorySyncTransport t, int port) {
        List<Integer> tags = new ArrayList<>();
        while (t.receive(in, port) != SyncTransport.NONE) {
            tags.add(in.getInt(0));
        }
        return tags;
    }

    @Test
    void shouldDeliverInOrderPerPort() {
        InMemorySyncTransport t = new InMemorySyncTransport(2, 1, 0);
        sendTagged(t, 1, 0);
        sendTagged(t, 2, 1);
        sendTagged(t, 3, 0);
        assertThat(receiveTags(t, 0)).containsExactly(1, 3);
        assertThat(receiveTags(t, 1)).containsExactly(2);
        assertThat(t.received()).isEqualTo(3);
    }

    @Test
    void shouldLoseTheSameDatagramsForTheSameSeed() {
        long seed = 42;
        List<Integer> first = lossRun(seed);
        assertThat(lossRun(seed)).isEqualTo(first);
        // 20 % of 5000: the seeded draw must land near 1000 (a binomial's sd is about 28)
        assertThat(5000 - first.size()).as("seed %d: lost", seed).isBetween(850, 1150);
    }

    private List<Integer> lossRun(long seed) {
        InMemorySyncTransport t = new InMemorySyncTransport(1, 1 << 20, seed, 20);
        List<Integer> got = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            sendTagged(t, i, 0);
            got.addAll(receiveTags(t, 0));
        }
        assertThat(t.lost()).isEqualTo(5000 - got.size());
        return got;
    }

    @Test
    void shouldLoseTheDatagramsTheFilterChooses() {
        InMemorySyncTransport t = new InMemorySyncTransport(1, 7, 0)
            .dropFilter((port, seq, buf, off, len) -> seq == 1 || seq == 3);
        for (int i = 0; i < 5; i++) {
            sendTagged(t, i, 0);
        }
        assertThat(receiveTags(t, 0)).containsExactly(0, 2, 4);
        assertThat(t.lost()).isEqualTo(2);
    }

    @Test
    void shouldTruncateToTheReceiveBuffer() {
        InMemorySyncTransport t = new InMemorySyncTransport(1, 1, 0);
        sendTagged(t, 0x01020304, 0);
        UnsafeBuffer small = new UnsafeBuffer(new byte[3]);
        assertThat(t.receive(small, 0)).isEqualTo(3);
        assertThat(small.getByte(2)).isEqualTo((byte) 0x02);
    }

    @Test
    void shouldCountDatagramsThatDoNotFitAFullRing() {
        InMemorySyncTransport t = new InMemorySyncTransport(1, 1024, 1, 0);
        for (int i = 0; i < 20; i++) {
            sendTagged(t, i, 0);
        }
        // each 100-byte datagram takes 112 ring bytes (8-byte header, 8-byte alignment): 9 fit in 1024
        assertThat(receiveTags(t, 0)).hasSize(9);
        assertThat(t.overflowed()).isEqualTo(11);
    }

    @Test
    void shouldRefuseEverythingWhenClosed() {
        InMemorySyncTransport t = new InMemorySyncTransport(1, 1, 0);
        sendTagged(t, 1, 0);
        t.close();
        assertThat(t.send(out, 0, 100, 0)).isEqualTo(SyncTransport.ERROR);
        assertThat(t.receive(in, 0)).isEqualTo(SyncTransport.NONE);
    }

    @Test
    void shouldRejectBadArguments() {
        assertThatThrownBy(() -> new InMemorySyncTransport(0, 1, 0)).hasMessageContaining("ports 0");
        assertThatThrownBy(() -> new InMemorySyncTransport(1, 1000, 1, 0)).hasMessageContaining("power of two");
        assertThatThrownBy(() -> new InMemorySyncTransport(1, 1, 101)).hasMessageContaining("drop percent 101");
    }

    @Test
    void shouldCarryRepliesBackWithTheirOwnSeededLoss() {
        InMemorySyncTransport t = new InMemorySyncTransport(2, 1 << 16, 42, 0, 20);
        List<Integer> got = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            out.putInt(0, i);
            assertThat(t.reply(out, 0, 100, 1, 0)).isEqualTo(100);
            while (t.receiveReply(in, 1) != SyncTransport.NONE) {
                got.add(in.getInt(0));
            }
        }
        // in order, nothing on the other port, and the same seeded 20 % (sd about 28 of 5000) lost
        assertThat(got).isSorted();
        assertThat(t.receiveReply(in, 0)).isEqualTo(SyncTransport.NONE);
        assertThat(t.repliesLost()).isEqualTo(5000 - got.size()).isBetween(850L, 1150L);
        assertThat(t.source(1)).isZero();
        // the forward direction is untouched by the reply draws: no loss configured there
        sendTagged(t, 7, 0);
        assertThat(receiveTags(t, 0)).containsExactly(7);
    }

    @Test
    void shouldLoseTheRepliesTheReplyFilterChooses() {
        InMemorySyncTransport t = new InMemorySyncTransport(1, 7, 0)
            .replyDropFilter((port, seq, buf, off, len) -> seq == 0);
        out.putInt(0, 1);
        t.reply(out, 0, 4, 0, 0);
        out.putInt(0, 2);
        t.reply(out, 0, 4, 0, 0);
        assertThat(t.receiveReply(in, 0)).isEqualTo(4);
        assertThat(in.getInt(0)).isEqualTo(2);
        assertThat(t.repliesLost()).isEqualTo(1);
        assertThatThrownBy(() -> new InMemorySyncTransport(1, 1024, 1, 0, -1))
            .hasMessageContaining("reply drop percent -1");
    }
}
