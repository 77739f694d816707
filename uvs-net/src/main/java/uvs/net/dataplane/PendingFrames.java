package uvs.net.dataplane;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Frames waiting for their next hop's MAC, like the kernel's per-neighbour queue of unresolved packets
 * ({@code unres_qlen}): at most {@code queueLength} frames per neighbour, the oldest dropped when a new one
 * comes, and a fixed number of slots in all. Each frame is a copy in preallocated native memory (the
 * received frame's ring slot is given back long before ARP/ND answers), so queueing never allocates.
 * One worker's, single-threaded.
 */
public final class PendingFrames {
    /** The kernel's default per-neighbour queue ({@code unres_qlen}). */
    public static final int DEFAULT_QUEUE_LENGTH = 3;
    /** Most frames per neighbour. */
    public static final int MAX_QUEUE_LENGTH = 256;
    /**
     * How long a next hop may take to answer before its frames are given up: the kernel's three
     * solicitations ({@code mcast_solicit}) one second apart ({@code retrans_time}).
     */
    public static final long RESOLVE_NANOS = 3_000_000_000L;
    /** What {@link #add} did: the frame waits. */
    public static final int QUEUED = 0;
    /** What {@link #add} did: the frame waits, and its neighbour's oldest frame was dropped to make room. */
    public static final int QUEUED_DROPPED_OLDEST = 1;
    /** What {@link #add} did: no room (all slots in use, or the frame is larger than a slot); dropped. */
    public static final int REFUSED = 2;

    private final int queueLength;
    private final int slotBytes;
    private final Arena arena = Arena.ofShared();
    private final long base;
    private final UnsafeBuffer[] view;
    private final UnsafeBuffer source = new UnsafeBuffer(0, 0);
    private final boolean[] used;
    private final boolean[] sent;
    private final int[] port;
    private final int[] af;
    private final long[] hi;
    private final long[] lo;
    private final int[] length;
    private final long[] queuedAt;
    private final long[] sequence;
    private long nextSequence;
    private int size;

    /**
     * Room for {@code queueLength} frames per neighbour, {@code slots} frames in all, each up to
     * {@code slotBytes} long (the largest MTU plus the Ethernet header).
     */
    public PendingFrames(int queueLength, int slots, int slotBytes) {
        if (queueLength < 0 || queueLength > MAX_QUEUE_LENGTH) {
            throw new IllegalArgumentException("neighbour queue length must be 0.." + MAX_QUEUE_LENGTH + ", got "
                + queueLength);
        }
        if (slots < 1 || slotBytes < 64) {
            throw new IllegalArgumentException("pending frames: " + slots + " slots of " + slotBytes + " bytes");
        }
        this.queueLength = queueLength;
        this.slotBytes = (slotBytes + 63) & ~63;
        MemorySegment memory = arena.allocate((long) slots * this.slotBytes, 64);
        this.base = memory.address();
        this.view = new UnsafeBuffer[slots];
        for (int i = 0; i < slots; i++) {
            view[i] = new UnsafeBuffer(base + (long) i * this.slotBytes, this.slotBytes);
        }
        used = new boolean[slots];
        sent = new boolean[slots];
        port = new int[slots];
        af = new int[slots];
        hi = new long[slots];
        lo = new long[slots];
        length = new int[slots];
        queuedAt = new long[slots];
        sequence = new long[slots];
    }

    /**
     * Copies the frame at native {@code address} in to wait for neighbour {@code <nAf, nHi, nLo>} on interface
     * {@code through}; returns {@link #QUEUED}, {@link #QUEUED_DROPPED_OLDEST} or {@link #REFUSED}.
     */
    public int add(int through, int nAf, long nHi, long nLo, long address, int frameLength, long now) {
        if (queueLength == 0 || frameLength > slotBytes) {
            return REFUSED;
        }
        int waiting = 0;
        int oldest = -1;
        int free = -1;
        for (int i = 0; i < used.length; i++) {
            if (!used[i]) {
                free = free < 0 ? i : free;
            } else if (!sent[i] && isFor(i, through, nAf, nHi, nLo)) {
                waiting++;
                if (oldest < 0 || sequence[i] < sequence[oldest]) {
                    oldest = i;
                }
            }
        }
        // resolution is the neighbour's: its frames are given up together, RESOLVE_NANOS after the first came
        long since = waiting > 0 ? queuedAt[oldest] : now;
        int result = QUEUED;
        int slot = free;
        if (waiting >= queueLength) {
            // the kernel drops the head of a full queue and keeps the newest
            slot = oldest;
            result = QUEUED_DROPPED_OLDEST;
        } else if (free < 0) {
            return REFUSED;
        }
        if (!used[slot]) {
            used[slot] = true;
            sent[slot] = false;
            size++;
        }
        source.wrap(address, frameLength);
        view[slot].putBytes(0, source, 0, frameLength);
        port[slot] = through;
        af[slot] = nAf;
        hi[slot] = nHi;
        lo[slot] = nLo;
        length[slot] = frameLength;
        queuedAt[slot] = since;
        sequence[slot] = nextSequence++;
        return result;
    }

    private boolean isFor(int i, int through, int nAf, long nHi, long nLo) {
        return port[i] == through && af[i] == nAf && hi[i] == nHi && lo[i] == nLo;
    }

    /**
     * The waiting slot queued first after sequence number {@code after} ({@code -1} for the first), or -1:
     * walking with it sends each neighbour's frames in the order they came.
     */
    public int next(long after) {
        int best = -1;
        for (int i = 0; i < used.length; i++) {
            if (used[i] && !sent[i] && sequence[i] > after && (best < 0 || sequence[i] < sequence[best])) {
                best = i;
            }
        }
        return best;
    }

    /** Frees slot {@code i} (given up). */
    public void remove(int i) {
        if (used[i]) {
            used[i] = false;
            sent[i] = false;
            size--;
        }
    }

    /** Marks slot {@code i} as handed to the port; it stays until {@link #removeSent()} (after the flush). */
    public void markSent(int i) {
        sent[i] = true;
    }

    /** Frees every slot marked sent. */
    public void removeSent() {
        for (int i = 0; i < used.length; i++) {
            if (sent[i]) {
                remove(i);
            }
        }
    }

    /** Frames waiting. */
    public int size() {
        return size;
    }

    /** The most frames per neighbour. */
    public int queueLength() {
        return queueLength;
    }

    /** Sequence number of slot {@code i}. */
    public long sequence(int i) {
        return sequence[i];
    }

    /** Interface of slot {@code i}'s neighbour. */
    public int port(int i) {
        return port[i];
    }

    /** Family of slot {@code i}'s neighbour. */
    public int af(int i) {
        return af[i];
    }

    /** High half of slot {@code i}'s neighbour. */
    public long hi(int i) {
        return hi[i];
    }

    /** Low half of slot {@code i}'s neighbour. */
    public long lo(int i) {
        return lo[i];
    }

    /** When the first frame still waiting for slot {@code i}'s neighbour was queued (resolution began). */
    public long queuedAt(int i) {
        return queuedAt[i];
    }

    /** Length of slot {@code i}'s frame. */
    public int length(int i) {
        return length[i];
    }

    /** Slot {@code i}'s frame (valid until the slot is reused). */
    public UnsafeBuffer frame(int i) {
        return view[i];
    }

    /** Releases the memory. */
    public void close() {
        arena.close();
    }
}
