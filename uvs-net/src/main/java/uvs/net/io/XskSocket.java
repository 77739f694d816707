package uvs.net.io;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import uvs.net.sys.Errno;
import uvs.net.sys.IfXdp;
import uvs.net.sys.Libc;
import uvs.net.sys.NativeException;

/**
 * One AF_XDP socket bound to one receive queue of one interface, with its own UMEM (frames of
 * {@code frameSize} bytes) shared by its RX and TX rings: a received frame can be rewritten in place and sent
 * from where it lies. Tracks where each UMEM frame is (kernel, held by UVS, being sent, free) so a frame goes
 * back to the fill ring only when UVS and the kernel are both done with it. Not thread-safe.
 */
final class XskSocket implements AutoCloseable {
    static final byte KERNEL = 0;
    static final byte HELD = 1;
    static final byte SENDING = 2;
    static final byte FREE = 3;

    final int fd;
    final int queue;
    /** Bound in zero-copy mode (else copy mode). */
    boolean zeroCopy;
    final MemorySegment umem;
    final long base;
    final long umemSize;
    final int frameShift;
    final XskRing fill;
    final XskRing completion;
    final XskRing rx;
    final XskRing tx;
    private final Libc libc;
    private final MemorySegment[] maps;
    /** Where each frame is. */
    final byte[] state;
    private final int[] freeFrames;
    private int freeCount;
    /** Frames handed out by receive and not yet released. */
    private final int[] held;
    private int heldCount;
    /** TX descriptors written and not yet published. */
    int txQueued;

    private XskSocket(int fd, int queue, MemorySegment umem, int frameShift, XskRing fill,
                      XskRing completion, XskRing rx, XskRing tx, Libc libc, MemorySegment[] maps) {
        this.fd = fd;
        this.queue = queue;
        this.umem = umem;
        this.base = umem.address();
        this.umemSize = umem.byteSize();
        this.frameShift = frameShift;
        this.fill = fill;
        this.completion = completion;
        this.rx = rx;
        this.tx = tx;
        this.libc = libc;
        this.maps = maps;
        int frames = (int) (umemSize >>> frameShift);
        state = new byte[frames];
        freeFrames = new int[frames];
        held = new int[frames];
    }

    /**
     * Opens, maps and binds a socket on queue {@code queue} of interface {@code ifindex} (zero-copy when the
     * driver offers it and {@code tryZeroCopy}, else copy mode), and fills its fill ring.
     */
    static XskSocket open(Arena arena, Libc libc, String ifname, int ifindex, int queue, AfXdpIo.Options opts) {
        int fd = -1;
        MemorySegment umem = null;
        MemorySegment[] maps = new MemorySegment[4];
        String on = ifname + " queue " + queue;
        try {
            fd = libc.check(libc.socket(IfXdp.AF_XDP, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, 0), "socket(AF_XDP) for " + on);
            long size = (long) opts.frameSize() * opts.frameCount();
            umem = libc.mmap(size, Libc.PROT_READ | Libc.PROT_WRITE,
                IfXdp.MAP_PRIVATE | IfXdp.MAP_ANONYMOUS | IfXdp.MAP_POPULATE, -1, 0);
            if (umem == null) {
                throw new NativeException("mmap(" + size + " byte UMEM) for " + on, libc.errno());
            }
            MemorySegment reg = arena.allocate(IfXdp.UMEM_REG_SIZE, 8);
            reg.set(JAVA_LONG, 0, umem.address());
            reg.set(JAVA_LONG, 8, size);
            reg.set(JAVA_INT, 16, opts.frameSize());
            reg.set(JAVA_INT, 20, 0);
            if (libc.setsockopt(fd, IfXdp.SOL_XDP, IfXdp.XDP_UMEM_REG, reg) < 0) {
                int errno = libc.errno();
                // the kernel pins the UMEM against RLIMIT_MEMLOCK unless the process has CAP_IPC_LOCK
                throw new NativeException("setsockopt(XDP_UMEM_REG) of " + size + " bytes on " + on
                    + (errno == Errno.ENOBUFS || errno == Errno.ENOMEM || errno == Errno.EPERM
                        ? " (pinning it needs CAP_IPC_LOCK or a RLIMIT_MEMLOCK that large: LimitMEMLOCK=infinity)"
                        : ""), errno);
            }
            MemorySegment scratch = arena.allocate(8);
            int ring = opts.ringSize();
            libc.check(libc.setsockopt(fd, IfXdp.SOL_XDP, IfXdp.XDP_UMEM_FILL_RING, ring, scratch),
                "setsockopt(XDP_UMEM_FILL_RING) on " + on);
            libc.check(libc.setsockopt(fd, IfXdp.SOL_XDP, IfXdp.XDP_UMEM_COMPLETION_RING, ring, scratch),
                "setsockopt(XDP_UMEM_COMPLETION_RING) on " + on);
            libc.check(libc.setsockopt(fd, IfXdp.SOL_XDP, IfXdp.XDP_RX_RING, ring, scratch),
                "setsockopt(XDP_RX_RING) on " + on);
            libc.check(libc.setsockopt(fd, IfXdp.SOL_XDP, IfXdp.XDP_TX_RING, ring, scratch),
                "setsockopt(XDP_TX_RING) on " + on);
            MemorySegment off = arena.allocate(IfXdp.MMAP_OFFSETS_SIZE, 8);
            MemorySegment len = arena.allocate(JAVA_INT);
            len.set(JAVA_INT, 0, IfXdp.MMAP_OFFSETS_SIZE);
            libc.check(libc.getsockopt(fd, IfXdp.SOL_XDP, IfXdp.XDP_MMAP_OFFSETS, off, len),
                "getsockopt(XDP_MMAP_OFFSETS) on " + on);
            // rx, tx, fill, completion: {producer, consumer, desc, flags} each
            XskRing rx = ring(libc, fd, off, 0, IfXdp.XDP_PGOFF_RX_RING, ring, IfXdp.DESC_SIZE, maps, 0, on);
            XskRing tx = ring(libc, fd, off, 32, IfXdp.XDP_PGOFF_TX_RING, ring, IfXdp.DESC_SIZE, maps, 1, on);
            XskRing fill = ring(libc, fd, off, 64, IfXdp.XDP_UMEM_PGOFF_FILL_RING, ring, 8, maps, 2, on);
            XskRing comp = ring(libc, fd, off, 96, IfXdp.XDP_UMEM_PGOFF_COMPLETION_RING, ring, 8, maps, 3, on);
            XskSocket s = new XskSocket(fd, queue, umem, Integer.numberOfTrailingZeros(opts.frameSize()), fill,
                comp, rx, tx, libc, maps);
            s.start(opts.ringSize());
            s.zeroCopy = bind(libc, arena, fd, ifindex, queue, opts.zeroCopy(), on);
            return s;
        } catch (RuntimeException e) {
            for (MemorySegment m : maps) {
                if (m != null) {
                    libc.munmap(m);
                }
            }
            if (umem != null) {
                libc.munmap(umem);
            }
            if (fd >= 0) {
                libc.close(fd);
            }
            throw e;
        }
    }

    /** Zero-copy when asked and the driver has it; else copy mode. Returns whether zero-copy is in use. */
    private static boolean bind(Libc libc, Arena arena, int fd, int ifindex, int queue, boolean tryZeroCopy,
                                String on) {
        MemorySegment sxdp = arena.allocate(IfXdp.SOCKADDR_XDP_SIZE, 4);
        sxdp.set(JAVA_SHORT, 0, (short) IfXdp.AF_XDP);
        sxdp.set(JAVA_INT, 4, ifindex);
        sxdp.set(JAVA_INT, 8, queue);
        if (tryZeroCopy) {
            sxdp.set(JAVA_SHORT, 2, (short) (IfXdp.XDP_ZEROCOPY | IfXdp.XDP_USE_NEED_WAKEUP));
            if (libc.bind(fd, sxdp, IfXdp.SOCKADDR_XDP_SIZE) == 0) {
                return true;
            }
            int errno = libc.errno();
            if (errno != Errno.EOPNOTSUPP && errno != Errno.EINVAL && errno != Errno.EPERM) {
                throw new NativeException("bind(AF_XDP, zero-copy) to " + on, errno);
            }
        }
        sxdp.set(JAVA_SHORT, 2, (short) (IfXdp.XDP_COPY | IfXdp.XDP_USE_NEED_WAKEUP));
        libc.check(libc.bind(fd, sxdp, IfXdp.SOCKADDR_XDP_SIZE), "bind(AF_XDP, copy mode) to " + on);
        return false;
    }

    private static XskRing ring(Libc libc, int fd, MemorySegment off, long at, long pgoff, int size, int entrySize,
                                MemorySegment[] maps, int slot, String on) {
        long producer = off.get(JAVA_LONG, at);
        long consumer = off.get(JAVA_LONG, at + 8);
        long desc = off.get(JAVA_LONG, at + 16);
        long flags = off.get(JAVA_LONG, at + 24);
        long length = desc + (long) size * entrySize;
        MemorySegment m = libc.mmap(length, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED | IfXdp.MAP_POPULATE,
            fd, pgoff);
        if (m == null) {
            throw new NativeException("mmap(AF_XDP ring at " + Long.toHexString(pgoff) + ") on " + on, libc.errno());
        }
        maps[slot] = m;
        return new XskRing(m, producer, consumer, desc, flags, size);
    }

    /** Every frame free, then as many as the fill ring takes handed to the kernel for receiving. */
    private void start(int ringSize) {
        for (int f = state.length - 1; f >= 0; f--) {
            state[f] = FREE;
            freeFrames[freeCount++] = f;
        }
        refill(state.length - ringSize);
    }

    /** Moves free frames to the fill ring while more than {@code reserve} stay free for copies to send. */
    void refill(int reserve) {
        int n = Math.min(fill.free(), freeCount - reserve);
        if (n <= 0) {
            return;
        }
        for (int i = 0; i < n; i++) {
            int f = freeFrames[--freeCount];
            state[f] = KERNEL;
            fill.map.set(JAVA_LONG, fill.entry(fill.local++, 8), (long) f << frameShift);
        }
        fill.publish();
    }

    /** Records a received frame (its UMEM offset) as held by UVS. */
    void hold(long offset) {
        int f = (int) (offset >>> frameShift);
        state[f] = HELD;
        held[heldCount++] = f;
    }

    /** Held frames not being sent go back to the fill ring (or the free list when it is full). */
    void releaseHeld(int reserve) {
        int room = fill.free();
        boolean published = false;
        for (int i = 0; i < heldCount; i++) {
            int f = held[i];
            if (state[f] != HELD) {
                continue; // being sent: the completion ring returns it
            }
            if (room > 0) {
                state[f] = KERNEL;
                fill.map.set(JAVA_LONG, fill.entry(fill.local++, 8), (long) f << frameShift);
                room--;
                published = true;
            } else {
                state[f] = FREE;
                freeFrames[freeCount++] = f;
            }
        }
        heldCount = 0;
        if (published) {
            fill.publish();
        }
        refill(reserve);
    }

    /** Marks the frame at UMEM offset {@code offset} as being sent. */
    void sending(long offset) {
        state[(int) (offset >>> frameShift)] = SENDING;
    }

    /** Gives back a frame taken by {@link #takeFree} that was not sent after all. */
    void releaseCopy(long offset) {
        int f = (int) (offset >>> frameShift);
        state[f] = FREE;
        freeFrames[freeCount++] = f;
    }

    /** A free frame for a copy to send, or -1. */
    int takeFree() {
        if (freeCount == 0) {
            reapCompletions();
            if (freeCount == 0) {
                return -1;
            }
        }
        int f = freeFrames[--freeCount];
        state[f] = SENDING;
        return f;
    }

    /** Frames the kernel finished sending become free. Returns how many. */
    int reapCompletions() {
        int n = completion.available();
        for (int i = 0; i < n; i++) {
            long addr = completion.map.get(JAVA_LONG, completion.entry(completion.local++, 8));
            int f = (int) (addr >>> frameShift);
            state[f] = FREE;
            freeFrames[freeCount++] = f;
        }
        if (n > 0) {
            completion.release();
        }
        return n;
    }

    /** Frames free for copies. */
    int freeCount() {
        return freeCount;
    }

    /** Whether {@code address} lies in this socket's UMEM. */
    boolean owns(long address) {
        return address - base >= 0 && address - base < umemSize;
    }

    @Override
    public void close() {
        for (MemorySegment m : maps) {
            if (m != null) {
                libc.munmap(m);
            }
        }
        libc.close(fd);
        libc.munmap(umem);
    }
}
