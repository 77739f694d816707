package uvs.sync.transport;

import java.nio.ByteBuffer;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * The backup's hand-over between a receiver thread and the engine's thread: {@link #doWork()}, run on the
 * receiver thread, reads datagrams from a socket transport (truncated to the backup's sync_maxlen) into one
 * lock-free single-producer single-consumer ring per port; {@link #receive}, called on the engine's thread
 * (by the backup), takes them out. When a ring is full the datagram is lost and counted, like a full socket
 * receive buffer. Each datagram travels with the wrapped transport's {@link SyncTransport#source} handle (as
 * the ring's message type), and {@link #reply} goes straight to the wrapped transport, on the engine's thread;
 * the ring's ordering makes whatever the wrapped transport recorded about a peer before the datagram was
 * moved visible to the engine's thread. Receive only: {@link #send} fails.
 */
public final class ReceiveRingTransport implements SyncTransport, Agent {
    /** Datagrams moved per port and {@link #doWork()} call. */
    static final int BATCH = 64;

    private final SyncTransport source;
    private final OneToOneRingBuffer[] rings;
    private final UnsafeBuffer scratch;
    private final RingCopier copier = new RingCopier();
    private final int[] lastPeer;
    private long moved;
    private long overflowed;

    /**
     * Wraps {@code source}.
     *
     * @param ports        ports to read, 1..64
     * @param maxlen       the backup's sync_maxlen: the size datagrams are truncated to
     * @param bytesPerPort ring capacity per port, a power of two of at least 8 × maxlen
     * @throws IllegalArgumentException on an argument out of range
     */
    public ReceiveRingTransport(SyncTransport source, int ports, int maxlen, int bytesPerPort) {
        if (source == null) {
            throw new IllegalArgumentException("source transport is null");
        }
        if (ports < 1 || ports > 64) {
            throw new IllegalArgumentException("ports " + ports + " outside 1..64");
        }
        if (maxlen < 1 || maxlen > 65535) {
            throw new IllegalArgumentException("maxlen " + maxlen + " outside 1..65535");
        }
        if (Integer.bitCount(bytesPerPort) != 1 || bytesPerPort / 8 < maxlen) {
            throw new IllegalArgumentException("bytes per port " + bytesPerPort
                + " is not a power of two of at least 8 x maxlen (" + maxlen + ")");
        }
        this.source = source;
        this.scratch = new UnsafeBuffer(new byte[maxlen]);
        this.rings = new OneToOneRingBuffer[ports];
        this.lastPeer = new int[ports];
        for (int i = 0; i < ports; i++) {
            int size = bytesPerPort + RingBufferDescriptor.TRAILER_LENGTH;
            rings[i] = new OneToOneRingBuffer(new UnsafeBuffer(ByteBuffer.allocateDirect(size)));
        }
    }

    /** Receiver thread: moves waiting datagrams into the rings; returns how many. */
    @Override
    public int doWork() {
        int work = 0;
        for (int port = 0; port < rings.length; port++) {
            for (int k = 0; k < BATCH; k++) {
                int n = source.receive(scratch, port);
                if (n == NONE) {
                    break;
                }
                // message types must be positive: peer handle + 1
                if (rings[port].write(source.source(port) + 1, scratch, 0, n)) {
                    moved++;
                } else {
                    overflowed++;
                }
                work++;
            }
        }
        return work;
    }

    /** Agent role name. */
    @Override
    public String roleName() {
        return "uvs-sync-receiver";
    }

    /** Not supported: this transport only receives. */
    @Override
    public int send(DirectBuffer buffer, int offset, int length, int portIndex) {
        return ERROR;
    }

    /** Engine thread: the next datagram moved into the port's ring. */
    @Override
    public int receive(MutableDirectBuffer buffer, int portIndex) {
        int n = copier.take(rings[portIndex], buffer);
        if (n != NONE) {
            lastPeer[portIndex] = copier.lastType() - 1;
        }
        return n;
    }

    /** Engine thread: the peer handle of the last datagram {@link #receive}d on the port. */
    @Override
    public int source(int portIndex) {
        return lastPeer[portIndex];
    }

    /** Engine thread: replies through the wrapped transport. */
    @Override
    public int reply(DirectBuffer buffer, int offset, int length, int portIndex, int peer) {
        return source.reply(buffer, offset, length, portIndex, peer);
    }

    /** Closes the wrapped transport. */
    @Override
    public void close() {
        source.close();
    }

    /** Datagrams moved into the rings (receiver thread). */
    public long moved() {
        return moved;
    }

    /** Datagrams lost because a ring was full (receiver thread). */
    public long overflowed() {
        return overflowed;
    }
}
