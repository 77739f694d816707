package uvs.sim;

import java.util.ArrayDeque;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import uvs.sync.SyncDaemonConfig;
import uvs.sync.transport.SyncTransport;
import uvs.time.NanoClock;

/**
 * The simulated sync link from one director's master to the other's backup, in virtual time: seeded loss
 * (both ways), one-way latency, a bandwidth cap (datagrams are serialised on the link one after the other;
 * what does not fit into the link's queue is dropped, as a full interface queue drops it) and reordering
 * (a reordered datagram is held back by an extra {@link #REORDER_EXTRA_NANOS}, so later ones overtake it).
 * A datagram becomes receivable once the virtual clock reaches its arrival time; the simulator advances the
 * clock in ticks, so latencies are effectively rounded up to the tick.
 *
 * <p>Not part of a packet path: it copies each datagram into a fresh array (simplicity over allocation).
 */
final class SimSyncChannel implements SyncTransport {
    /** Extra delay of a reordered datagram: a few datagrams sent after it arrive first. */
    static final long REORDER_EXTRA_NANOS = 50_000_000L;
    /**
     * Backlog the link's queue holds before it drops: one second of its capacity (so that it scales with the
     * capacity under --scale).
     */
    static final long QUEUE_NANOS = 1_000_000_000L;
    private static final long REPLY_SEED_MIX = 0x9E37_79B9_7F4A_7C15L;

    /** A datagram on its way: arrival time, send order (ties), payload. */
    private record InFlight(long arriveAt, long order, byte[] data) implements Comparable<InFlight> {
        @Override
        public int compareTo(InFlight o) {
            int c = Long.compare(arriveAt, o.arriveAt);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }

    private final NanoClock clock;
    private final SplittableRandom random;
    private final SplittableRandom replyRandom;
    private final double lossPercent;
    private final long latencyNanos;
    private final double bitsPerNano;
    private final double reorderPercent;
    private final PriorityQueue<InFlight>[] forward;
    private final ArrayDeque<InFlight>[] replies;
    private long linkFreeAt;
    private long order;
    private long sent;
    private long sentBytes;
    private long lost;
    private boolean receiverDown;
    private long overflowed;
    private long reordered;
    private long repliesLost;
    private boolean closed;

    /**
     * A link of {@code ports} ports.
     *
     * @param bandwidthMbit link capacity in Mbit/s, 0 = unlimited
     */
    @SuppressWarnings("unchecked")
    SimSyncChannel(NanoClock clock, int ports, long seed, double lossPercent, int latencyMs, double bandwidthMbit,
                   double reorderPercent) {
        this.clock = clock;
        this.random = new SplittableRandom(seed);
        this.replyRandom = new SplittableRandom(seed ^ REPLY_SEED_MIX);
        this.lossPercent = lossPercent;
        this.latencyNanos = latencyMs * 1_000_000L;
        this.bitsPerNano = bandwidthMbit / 1000.0;
        this.reorderPercent = reorderPercent;
        this.forward = new PriorityQueue[ports];
        this.replies = new ArrayDeque[ports];
        for (int i = 0; i < ports; i++) {
            forward[i] = new PriorityQueue<>();
            replies[i] = new ArrayDeque<>();
        }
    }

    @Override
    public int send(DirectBuffer buffer, int offset, int length, int portIndex) {
        if (closed) {
            return ERROR;
        }
        sent++;
        sentBytes += length + SyncDaemonConfig.HLEN_V4;
        long now = clock.nanoTime();
        if (receiverDown) {
            // not counted as lost: the loss counters are the link's
            return length;
        }
        if (lossPercent > 0 && random.nextDouble() * 100 < lossPercent) {
            lost++;
            return length;
        }
        long departAt = now;
        if (bitsPerNano > 0) {
            long start = Math.max(now, linkFreeAt);
            if (start - now > QUEUE_NANOS) {
                overflowed++;
                return length;
            }
            long wireBits = (long) (length + SyncDaemonConfig.HLEN_V4) * 8;
            linkFreeAt = start + (long) Math.ceil(wireBits / bitsPerNano);
            departAt = linkFreeAt;
        }
        long arriveAt = departAt + latencyNanos;
        if (reorderPercent > 0 && random.nextDouble() * 100 < reorderPercent) {
            arriveAt += REORDER_EXTRA_NANOS;
            reordered++;
        }
        byte[] copy = new byte[length];
        buffer.getBytes(offset, copy);
        forward[portIndex].add(new InFlight(arriveAt, order++, copy));
        return length;
    }

    @Override
    public int receive(MutableDirectBuffer buffer, int portIndex) {
        if (closed) {
            return NONE;
        }
        InFlight f = forward[portIndex].peek();
        if (f == null || f.arriveAt > clock.nanoTime()) {
            return NONE;
        }
        forward[portIndex].poll();
        int n = Math.min(f.data.length, buffer.capacity());
        buffer.putBytes(0, f.data, 0, n);
        return n;
    }

    @Override
    public int reply(DirectBuffer buffer, int offset, int length, int portIndex, int peer) {
        if (closed) {
            return ERROR;
        }
        if (lossPercent > 0 && replyRandom.nextDouble() * 100 < lossPercent) {
            repliesLost++;
            return length;
        }
        byte[] copy = new byte[length];
        buffer.getBytes(offset, copy);
        replies[portIndex].add(new InFlight(clock.nanoTime() + latencyNanos, 0, copy));
        return length;
    }

    @Override
    public int receiveReply(MutableDirectBuffer buffer, int portIndex) {
        if (closed) {
            return NONE;
        }
        InFlight f = replies[portIndex].peek();
        if (f == null || f.arriveAt > clock.nanoTime()) {
            return NONE;
        }
        replies[portIndex].poll();
        int n = Math.min(f.data.length, buffer.capacity());
        buffer.putBytes(0, f.data, 0, n);
        return n;
    }

    /** What was on its way to the receiver is gone (the receiving director restarted or died). */
    /** The receiving director is down (true) or up again: while down, what is sent to it is lost. */
    void receiverDown(boolean down) {
        receiverDown = down;
    }

    void dropInFlight() {
        for (PriorityQueue<InFlight> q : forward) {
            lost += q.size();
            q.clear();
        }
    }

    @Override
    public void close() {
        closed = true;
    }

    /** Datagrams given to {@link #send}. */
    long sent() {
        return sent;
    }

    /** Wire bytes (payload + IPv4/UDP headers) of the datagrams given to {@link #send}. */
    long sentBytes() {
        return sentBytes;
    }

    /** Datagrams lost by the loss rate (and in flight to a restarted receiver). */
    long lost() {
        return lost;
    }

    /** Datagrams dropped because the link's queue was full (bandwidth cap). */
    long overflowed() {
        return overflowed;
    }

    /** Datagrams held back to arrive after later ones. */
    long reordered() {
        return reordered;
    }

    /** Replies (NACKs, resync requests) lost. */
    long repliesLost() {
        return repliesLost;
    }
}
