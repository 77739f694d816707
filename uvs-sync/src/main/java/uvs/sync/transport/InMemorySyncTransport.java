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
 * other end receives on port {@code i}, in order. Give the same instance to the master's sender (which only
 * sends) and to the backup (which only receives); the two may run on different threads (one lock-free
 * single-producer single-consumer ring per port).
 *
 * <p>Loss is deterministic for a given seed and send order: each datagram is lost with probability
 * {@code dropPercent / 100}, or when the {@link DropFilter} says so. A lost datagram looks sent to the
 * sender, as on a real network. A datagram that does not fit into a full ring is lost as well (a full
 * socket receive buffer) and counted separately.
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

    private static final int MSG_TYPE = 1;

    private final OneToOneRingBuffer[] rings;
    private final SplittableRandom random;
    private final double dropPercent;
    private final RingCopier copier = new RingCopier();
    private DropFilter filter;
    private volatile boolean closed;
    private long sent;
    private long lost;
    private long overflowed;
    private long received;

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
        if (ports < 1 || ports > 64) {
            throw new IllegalArgumentException("ports " + ports + " outside 1..64");
        }
        if (bytesPerPort < 1024 || Integer.bitCount(bytesPerPort) != 1) {
            throw new IllegalArgumentException("bytes per port " + bytesPerPort + " is not a power of two >= 1024");
        }
        if (!(dropPercent >= 0 && dropPercent <= 100)) {
            throw new IllegalArgumentException("drop percent " + dropPercent + " outside 0..100");
        }
        this.rings = new OneToOneRingBuffer[ports];
        for (int i = 0; i < ports; i++) {
            int size = bytesPerPort + RingBufferDescriptor.TRAILER_LENGTH;
            rings[i] = new OneToOneRingBuffer(new UnsafeBuffer(ByteBuffer.allocateDirect(size)));
        }
        this.random = new SplittableRandom(seed);
        this.dropPercent = dropPercent;
    }

    /** Installs (or with null removes) a filter that loses chosen datagrams; set it before sending starts. */
    public InMemorySyncTransport dropFilter(DropFilter f) {
        this.filter = f;
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

    /** Datagrams handed out by {@link #receive} (receiving thread). */
    public long received() {
        return received;
    }
}
