package uvs.net.dataplane;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.agrona.BitUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import uvs.core.SyncUpdate;

/**
 * What other threads hand to one worker's shard: frames the kernel steered to the wrong worker (ICMP errors
 * about another shard's connections, neighbour discovery for the first worker, and over AF_XDP ports any IP
 * packet of this shard's clients that arrived on another worker's queue) and sync entries for
 * connections of this shard's clients. A lock-free many-to-one ring; the owning worker drains it each cycle.
 * Writers copy into the ring, so nothing is allocated.
 */
public final class ShardInbox {
    /** Message type of an Ethernet frame. */
    public static final int FRAME = 1;
    /** Message type of an encoded {@link SyncUpdate}. */
    public static final int SYNC_UPDATE = 2;
    /** Message type of a next hop another worker needs the MAC of ({@link #offerNeighbourRequest}). */
    public static final int NEIGHBOUR_REQUEST = 3;
    /** Message types above this are frames of interface (type - FRAME_OF_PORT). */
    private static final int FRAME_OF_PORT = 16;
    /** Default ring capacity in bytes. */
    public static final int DEFAULT_CAPACITY = 1 << 20;

    // af, protocol, flags, state, cport, vport, dport, fwmark, timeout, peDataLength, expiresInMillis;
    // 6 address halves; PE data
    private static final int SYNC_INTS = 11;
    private static final int SYNC_LENGTH = SYNC_INTS * 4 + 6 * 8;
    // port, af; address halves
    private static final int NEIGHBOUR_LENGTH = 2 * 4 + 2 * 8;

    private final RingBuffer ring;
    private volatile Thread owner;
    private final AtomicLong refused = new AtomicLong();

    /** An inbox of {@code capacity} bytes (a power of two). */
    public ShardInbox(int capacity) {
        if (!BitUtil.isPowerOfTwo(capacity)) {
            throw new IllegalArgumentException("inbox capacity " + capacity + " must be a power of two");
        }
        ring = new ManyToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(capacity + RingBufferDescriptor.TRAILER_LENGTH)));
    }

    /** Copies a frame in; false (counted) when the inbox is full. Any thread. */
    public boolean offerFrame(MutableDirectBuffer frame, int length) {
        return offerFrame(frame, length, 0);
    }

    /** Copies a frame received on data-plane interface {@code port} in; as {@link #offerFrame(MutableDirectBuffer, int)}. */
    public boolean offerFrame(MutableDirectBuffer frame, int length, int port) {
        int at = ring.tryClaim(frameType(port), length);
        if (at <= 0) {
            refused.incrementAndGet();
            return false;
        }
        ring.buffer().putBytes(at, frame, 0, length);
        ring.commit(at);
        return true;
    }

    /** Copies a sync entry in; false (counted) when the inbox is full. Any thread. */
    public boolean offerSync(SyncUpdate u) {
        int at = ring.tryClaim(SYNC_UPDATE, SYNC_LENGTH + u.peDataLength);
        if (at <= 0) {
            refused.incrementAndGet();
            return false;
        }
        MutableDirectBuffer b = ring.buffer();
        int i = at;
        b.putInt(i, u.af);
        b.putInt(i + 4, u.protocol);
        b.putInt(i + 8, u.flags);
        b.putInt(i + 12, u.state);
        b.putInt(i + 16, u.cport);
        b.putInt(i + 20, u.vport);
        b.putInt(i + 24, u.dport);
        b.putInt(i + 28, u.fwmark);
        b.putInt(i + 32, u.timeoutSeconds);
        b.putInt(i + 36, u.peDataLength);
        b.putInt(i + 40, u.expiresInMillis);
        i += SYNC_INTS * 4;
        b.putLong(i, u.caddrHi);
        b.putLong(i + 8, u.caddrLo);
        b.putLong(i + 16, u.vaddrHi);
        b.putLong(i + 24, u.vaddrLo);
        b.putLong(i + 32, u.daddrHi);
        b.putLong(i + 40, u.daddrLo);
        b.putBytes(i + 48, u.peData, 0, u.peDataLength);
        ring.commit(at);
        return true;
    }

    /**
     * Asks the worker that keeps the neighbour caches to resolve next hop {@code <af, hi, lo>} on interface
     * {@code port}; false (counted) when the inbox is full. Any thread.
     */
    public boolean offerNeighbourRequest(int port, int af, long hi, long lo) {
        int at = ring.tryClaim(NEIGHBOUR_REQUEST, NEIGHBOUR_LENGTH);
        if (at <= 0) {
            refused.incrementAndGet();
            return false;
        }
        MutableDirectBuffer b = ring.buffer();
        b.putInt(at, port);
        b.putInt(at + 4, af);
        b.putLong(at + 8, hi);
        b.putLong(at + 16, lo);
        ring.commit(at);
        return true;
    }

    /** The interface of a neighbour request written by {@link #offerNeighbourRequest} at {@code index}. */
    public static int requestPort(MutableDirectBuffer b, int index) {
        return b.getInt(index);
    }

    /** The address family of a neighbour request. */
    public static int requestAf(MutableDirectBuffer b, int index) {
        return b.getInt(index + 4);
    }

    /** The upper half of a neighbour request's address (IPv6; 0 for IPv4). */
    public static long requestHi(MutableDirectBuffer b, int index) {
        return b.getLong(index + 8);
    }

    /** The lower half of a neighbour request's address. */
    public static long requestLo(MutableDirectBuffer b, int index) {
        return b.getLong(index + 16);
    }

    /** Reads a sync entry written by {@link #offerSync} at {@code index} of {@code b} into {@code u}. */
    public static void readSync(MutableDirectBuffer b, int index, SyncUpdate u) {
        int i = index;
        u.af = b.getInt(i);
        u.protocol = b.getInt(i + 4);
        u.flags = b.getInt(i + 8);
        u.state = b.getInt(i + 12);
        u.cport = b.getInt(i + 16);
        u.vport = b.getInt(i + 20);
        u.dport = b.getInt(i + 24);
        u.fwmark = b.getInt(i + 28);
        u.timeoutSeconds = b.getInt(i + 32);
        u.peDataLength = b.getInt(i + 36);
        u.expiresInMillis = b.getInt(i + 40);
        i += SYNC_INTS * 4;
        u.caddrHi = b.getLong(i);
        u.caddrLo = b.getLong(i + 8);
        u.vaddrHi = b.getLong(i + 16);
        u.vaddrLo = b.getLong(i + 24);
        u.daddrHi = b.getLong(i + 32);
        u.daddrLo = b.getLong(i + 40);
        b.getBytes(i + 48, u.peData, 0, u.peDataLength);
    }

    /** The message type of a frame received on interface {@code port}. */
    public static int frameType(int port) {
        return port == 0 ? FRAME : FRAME_OF_PORT + port;
    }

    /** The interface a frame message of type {@code type} was received on. */
    public static int portOf(int type) {
        return type == FRAME ? 0 : type - FRAME_OF_PORT;
    }

    /** Hands up to {@code limit} waiting messages to {@code handler}; the owning worker only. */
    public int drain(MessageHandler handler, int limit) {
        return ring.read(handler, limit);
    }

    /** Whether messages are waiting (a cheap read of the ring's indexes). */
    public boolean waiting() {
        return ring.size() > 0;
    }

    /** The thread that drains this inbox, for {@link #wake}; set by the owning worker. */
    public void owner(Thread t) {
        owner = t;
    }

    /** Wakes the owning worker if it parks waiting for work (see {@code DataPlaneWorker.idle}). Any thread. */
    public void wake() {
        Thread t = owner;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** Messages refused because the inbox was full. */
    public long refused() {
        return refused.get();
    }
}
