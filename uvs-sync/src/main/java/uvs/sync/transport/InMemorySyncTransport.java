package uvs.sync.transport;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * An in-process multicast "wire" for tests and the simulator: what one end sends on port {@code i} the
 * other end receives on port {@code i}, in order. Give the same instance to the master's sender (which
 * sends, and takes replies) and to one backup (which receives, and replies); the two may run on different
 * threads (lock-free single-producer single-consumer rings per port and direction).
 *
 * <p>Loss is deterministic for a given seed and send order: each datagram is lost with probability
 * {@code dropPercent / 100}, or when the {@link DropFilter} says so. A lost datagram looks sent to the
 * sender, as on a real network. A datagram that does not fit into a full ring is lost as well (a full
 * socket receive buffer) and counted separately.
 *
 * <p>The reverse channel (a backup's {@link #reply}, the master's {@link #receiveReply}) has its own seeded
 * loss rate, {@code replyDropPercent}, drawn from a second generator so that it does not change which
 * forward datagrams are lost, and its own filter. There is a single peer, handle 0.
 */
public final class InMemorySyncTransport implements SyncTransport {
    /** Decides to lose particular datagrams, e.g. "the 3rd one on port 0". */
    @FunctionalInterface
    public interface DropFilter {
        /**
         * True to lose this datagram.
         *
         * @param portIndex port it is sent on
         * @param sequence  number of datagrams sent before it on any port (0 for the first)
         */
        boolean drop(int portIndex, long sequence, DirectBuffer buffer, int offset, int length);
    }

    /** Default ring size per port: 1 MiB, room for hundreds of default-size messages. */
    public static final int DEFAULT_BYTES_PER_PORT = 1 << 20;

    /** Ring size per port of the reverse channel: NACKs and requests are small. */
    public static final int REPLY_BYTES_PER_PORT = 1 << 16;

    private static final int MSG_TYPE = 1;
    /** Derives the reverse channel's seed from the forward one. */
    private static final long REPLY_SEED_MIX = 0x9E37_79B9_7F4A_7C15L;

    private final OneToOneRingBuffer[] rings;
    private final OneToOneRingBuffer[] replyRings;
    private final SplittableRandom random;
    private final SplittableRandom replyRandom;
    private final double dropPercent;
    private final double replyDropPercent;
    private final RingCopier copier = new RingCopier();
    private final RingCopier replyCopier = new RingCopier();
    private DropFilter filter;
    private DropFilter replyFilter;
    private volatile boolean closed;
    private long sent;
    private long lost;
    private long overflowed;
    private long received;
    private long repliesSent;
    private long repliesLost;

    /** A channel of {@code ports} ports with 1 MiB per port. */
    public InMemorySyncTransport(int ports, long seed, double dropPercent) {
        this(ports, DEFAULT_BYTES_PER_PORT, seed, dropPercent);
    }

    /**
     * A channel with an explicit ring size.
     *
     * @param ports        1..64
     * @param bytesPerPort ring capacity per port, a power of two of at least 1024
     * @param seed         seed of the loss decisions
     * @param dropPercent  0..100
     * @throws IllegalArgumentException on an argument out of range
     */
    public InMemorySyncTransport(int ports, int bytesPerPort, long seed, double dropPercent) {
        this(ports, bytesPerPort, seed, dropPercent, 0);
    }

    /**
     * A channel with an explicit ring size and a lossy reverse channel.
     *
     * @param ports            1..64
     * @param bytesPerPort     ring capacity per port, a power of two of at least 1024
     * @param seed             seed of the loss decisions
     * @param dropPercent      0..100, master to backup
     * @param replyDropPercent 0..100, backup to master
     * @throws IllegalArgumentException on an argument out of range
     */
    public InMemorySyncTransport(int ports, int bytesPerPort, long seed, double dropPercent, double replyDropPercent) {
        if (ports < 1 || ports > 64) {
            throw new IllegalArgumentException("ports " + ports + " outside 1..64");
        }
        if (bytesPerPort < 1024 || Integer.bitCount(bytesPerPort) != 1) {
            throw new IllegalArgumentException("bytes per port " + bytesPerPort + " is not a power of two >= 1024");
        }
        if (!(dropPercent >= 0 && dropPercent <= 100)) {
            throw new IllegalArgumentException("drop percent " + dropPercent + " outside 0..100");
        }
        if (!(replyDropPercent >= 0 && replyDropPercent <= 100)) {
            throw new IllegalArgumentException("reply drop percent " + replyDropPercent + " outside 0..100");
        }
        this.rings = new OneToOneRingBuffer[ports];
        this.replyRings = new OneToOneRingBuffer[ports];
        for (int i = 0; i < ports; i++) {
            rings[i] = ring(bytesPerPort);
            replyRings[i] = ring(REPLY_BYTES_PER_PORT);
        }
        this.random = new SplittableRandom(seed);
        this.replyRandom = new SplittableRandom(seed ^ REPLY_SEED_MIX);
        this.dropPercent = dropPercent;
        this.replyDropPercent = replyDropPercent;
    }

    private static OneToOneRingBuffer ring(int bytes) {
        int size = bytes + RingBufferDescriptor.TRAILER_LENGTH;
        return new OneToOneRingBuffer(new UnsafeBuffer(ByteBuffer.allocateDirect(size)));
    }

    /** Installs (or with null removes) a filter that loses chosen datagrams; set it while nothing is being sent. */
    public InMemorySyncTransport dropFilter(DropFilter f) {
        this.filter = f;
        return this;
    }

    /**
     * Installs (or with null removes) a filter that loses chosen replies (its {@code sequence} counts replies);
     * set it while the backup's thread is not replying.
     */
    public InMemorySyncTransport replyDropFilter(DropFilter f) {
        this.replyFilter = f;
        return this;
    }

    /** Sending side: every datagram is "sent"; it may be lost on the way. */
    @Override
    public int send(DirectBuffer buffer, int offset, int length, int portIndex) {
        if (closed) {
            return ERROR;
        }
        long seq = sent++;
        boolean drop = (dropPercent > 0 && random.nextDouble() * 100 < dropPercent)
            || (filter != null && filter.drop(portIndex, seq, buffer, offset, length));
        if (drop) {
            lost++;
        } else {
            OneToOneRingBuffer ring = rings[portIndex];
            if (length > ring.maxMsgLength() || !ring.write(MSG_TYPE, buffer, offset, length)) {
                overflowed++;
            }
        }
        return length;
    }

    /** Receiving side: the next datagram of the port, truncated to {@code buffer}'s capacity. */
    @Override
    public int receive(MutableDirectBuffer buffer, int portIndex) {
        if (closed) {
            return NONE;
        }
        int n = copier.take(rings[portIndex], buffer);
        if (n != NONE) {
            received++;
        }
        return n;
    }

    /** Backup side: sends a reply to the master's side of port {@code portIndex}; it may be lost on the way. */
    @Override
    public int reply(DirectBuffer buffer, int offset, int length, int portIndex, int peer) {
        if (closed) {
            return ERROR;
        }
        long seq = repliesSent++;
        if ((replyDropPercent > 0 && replyRandom.nextDouble() * 100 < replyDropPercent)
            || (replyFilter != null && replyFilter.drop(portIndex, seq, buffer, offset, length))) {
            repliesLost++;
        } else {
            OneToOneRingBuffer ring = replyRings[portIndex];
            if (length > ring.maxMsgLength() || !ring.write(MSG_TYPE, buffer, offset, length)) {
                // counted with the losses: a full reverse ring is a full socket buffer
                repliesLost++;
            }
        }
        return length;
    }

    /** Master side: the next reply sent to port {@code portIndex}, truncated to {@code buffer}'s capacity. */
    @Override
    public int receiveReply(MutableDirectBuffer buffer, int portIndex) {
        if (closed) {
            return NONE;
        }
        return replyCopier.take(replyRings[portIndex], buffer);
    }

    /** After closing, sends fail and nothing is received. */
    @Override
    public void close() {
        closed = true;
    }

    /** Number of ports. */
    public int ports() {
        return rings.length;
    }

    /** Datagrams given to {@link #send} (sending thread). */
    public long sent() {
        return sent;
    }

    /** Datagrams lost by the drop rate or the filter (sending thread). */
    public long lost() {
        return lost;
    }

    /** Datagrams lost because the port's ring was full (sending thread). */
    public long overflowed() {
        return overflowed;
    }

    /** Replies given to {@link #reply} (backup thread). */
    public long repliesSent() {
        return repliesSent;
    }

    /** Replies lost by the reverse channel's drop rate, its filter or a full reverse ring (backup thread). */
    public long repliesLost() {
        return repliesLost;
    }

    /** Datagrams handed out by {@link #receive} (receiving thread). */
    public long received() {
        return received;
    }
}
