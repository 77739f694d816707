package uvs.net.io;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import uvs.net.sys.Errno;
import uvs.net.sys.IfPacket;
import uvs.net.sys.Layouts;
import uvs.net.sys.Libc;
import uvs.net.sys.NativeException;

/**
 * A {@link PacketIo} on an AF_PACKET socket bound to one interface: receives from a memory-mapped TPACKET_V3
 * ring (blocks handed back by {@link #releaseReceived()}), sends batches with one {@code sendmmsg} per
 * {@link #flush()}. Owned by one worker thread; open it on a thread inside the interface's network namespace.
 */
public final class AfPacketIo implements PacketIo {
    /** Block status words are shared with the kernel: acquire to read ownership, release to give back. */
    private static final VarHandle INT = JAVA_INT.varHandle();

    private static final int SOL_SOCKET = 1;
    private static final int SO_ATTACH_FILTER = 26;

    private final String ifname;
    private final Arena arena;
    private final Libc libc;
    private final int fd;
    private final MemorySegment ring;
    private final long ringAddress;
    private final int blockSize;
    private final int blockCount;
    private final PacketIoStats stats = new PacketIoStats();

    /** The mmsghdr array from each index on, so a partial send resumes without slicing per call. */
    private final MemorySegment[] messagesFrom;
    private final MemorySegment iovecs;
    private final int[] txLength;
    private int txCount;
    private int lastTxErrno;

    private final MemorySegment pollFd;
    private final MemorySegment statsBuffer;
    private final MemorySegment statsLength;

    /** Block being read, frames left in it, offset of the next frame; -1 frames left: not opened yet. */
    private int block;
    private int framesLeft = -1;
    private long frameOffset;
    /** First fully read block not yet given back, and how many follow it (all read, none given back). */
    private int releaseBlock;
    private int readBlocks;
    private boolean closed;

    /**
     * Ring, batch and group settings.
     *
     * @param blockSize bytes per ring block: a multiple of the 4 KiB page, a power of two
     * @param blockCount ring blocks
     * @param blockTimeoutMillis how long the kernel fills a block before handing it over partly filled
     * @param frameSizeHint expected frame slot size (only sizes the kernel's frame count), multiple of 16
     * @param txBatchSize frames queued per {@code sendmmsg}
     * @param qdiscBypass send straight to the driver (PACKET_QDISC_BYPASS): faster, no traffic shaping
     * @param fanout fanout group to join, or null
     * @param protocol the EtherType the socket is bound to: {@code ETH_P_ALL} (every frame, handed over before
     *     traffic control's ingress runs) or one protocol (delivered after it, so frames a tcx program
     *     redirected never arrive)
     */
    public record Options(int blockSize, int blockCount, int blockTimeoutMillis, int frameSizeHint, int txBatchSize,
            boolean qdiscBypass, Fanout fanout, int protocol) {
        /** 128 KiB blocks: about 60 full-size frames, and any frame up to 64 KiB, fit in one. */
        public static final int DEFAULT_BLOCK_SIZE = 1 << 17;
        /**
         * 128 blocks: a 16 MiB ring per socket. At low rates the kernel retires a block every block timeout,
         * however few frames it holds, so the block count is what lets a worker be away (descheduled on a busy
         * machine) for up to ~256 ms without losing frames.
         */
        public static final int DEFAULT_BLOCK_COUNT = 128;
        /** Low-rate traffic waits at most this long in a partly filled block. */
        public static final int DEFAULT_BLOCK_TIMEOUT_MILLIS = 2;
        /** A 1500-byte frame with headers fits in 2 KiB. */
        public static final int DEFAULT_FRAME_SIZE_HINT = 2048;
        /** Frames per sendmmsg. */
        public static final int DEFAULT_TX_BATCH_SIZE = 64;
        /** The defaults: no qdisc bypass, no fanout. */
        public static final Options DEFAULT = new Options(DEFAULT_BLOCK_SIZE, DEFAULT_BLOCK_COUNT,
                DEFAULT_BLOCK_TIMEOUT_MILLIS, DEFAULT_FRAME_SIZE_HINT, DEFAULT_TX_BATCH_SIZE, false, null,
                IfPacket.ETH_P_ALL);

        /** Checks what the kernel would reject with a bare EINVAL. */
        public Options {
            if (blockSize < 4096 || Integer.bitCount(blockSize) != 1) {
                throw new IllegalArgumentException("ring block size " + blockSize
                        + " must be a power of two of at least 4096");
            }
            if (blockCount < 1) {
                throw new IllegalArgumentException("ring block count " + blockCount + " must be at least 1");
            }
            if (blockTimeoutMillis < 1) {
                throw new IllegalArgumentException("block timeout " + blockTimeoutMillis + " ms must be at least 1");
            }
            if (frameSizeHint < 128 || frameSizeHint % 16 != 0 || frameSizeHint > blockSize) {
                throw new IllegalArgumentException("frame size hint " + frameSizeHint
                        + " must be a multiple of 16 between 128 and the block size");
            }
            if (txBatchSize < 1 || txBatchSize > 1024) {
                throw new IllegalArgumentException("TX batch size " + txBatchSize + " must be 1..1024");
            }
        }

        /** These options with another ring geometry. */
        public Options withRing(int size, int count, int timeoutMillis) {
            return new Options(size, count, timeoutMillis, Math.min(frameSizeHint, size), txBatchSize, qdiscBypass,
                    fanout, protocol);
        }

        /** These options with another TX batch size. */
        public Options withTxBatchSize(int size) {
            return new Options(blockSize, blockCount, blockTimeoutMillis, frameSizeHint, size, qdiscBypass, fanout,
                    protocol);
        }

        /** These options with qdisc bypass on or off. */
        public Options withQdiscBypass(boolean bypass) {
            return new Options(blockSize, blockCount, blockTimeoutMillis, frameSizeHint, txBatchSize, bypass, fanout,
                    protocol);
        }

        /** These options joining {@code group} (null: none). */
        public Options withFanout(Fanout group) {
            return new Options(blockSize, blockCount, blockTimeoutMillis, frameSizeHint, txBatchSize, qdiscBypass,
                    group, protocol);
        }

        /** These options bound to EtherType {@code ethertype} rather than every frame. */
        public Options withProtocol(int ethertype) {
            return new Options(blockSize, blockCount, blockTimeoutMillis, frameSizeHint, txBatchSize, qdiscBypass,
                    fanout, ethertype);
        }
    }

    /**
     * A PACKET_FANOUT group: sockets of one process joining the same id on the same interface share its
     * frames; outgoing frames are never fed to the group.
     *
     * @param groupId group id (0..65535)
     * @param mode {@link IfPacket#PACKET_FANOUT_HASH}, {@link IfPacket#PACKET_FANOUT_CBPF}...
     * @param program the steering program of a CBPF group, else null
     */
    public record Fanout(int groupId, int mode, ClassicBpf.Program program) {
        /** Checks the id range and that a program comes exactly with CBPF mode. */
        public Fanout {
            if (groupId < 0 || groupId > 0xffff) {
                throw new IllegalArgumentException("fanout group id " + groupId + " must be 0..65535");
            }
            if ((mode == IfPacket.PACKET_FANOUT_CBPF) != (program != null)) {
                throw new IllegalArgumentException("a fanout program goes with PACKET_FANOUT_CBPF mode only");
            }
        }

        /** Steering by flow hash. */
        public static Fanout hash(int groupId) {
            return new Fanout(groupId, IfPacket.PACKET_FANOUT_HASH, null);
        }

        /** Steering by the socket index {@code program} returns (modulo the group size). */
        public static Fanout cbpf(int groupId, ClassicBpf.Program program) {
            return new Fanout(groupId, IfPacket.PACKET_FANOUT_CBPF, program);
        }
    }

    private AfPacketIo(String ifname, Options opts, Arena arena, Libc libc, int fd, MemorySegment ring) {
        this.ifname = ifname;
        this.arena = arena;
        this.libc = libc;
        this.fd = fd;
        this.ring = ring;
        this.ringAddress = ring.address();
        this.blockSize = opts.blockSize();
        this.blockCount = opts.blockCount();
        int batch = opts.txBatchSize();
        MemorySegment messages = arena.allocate(Layouts.MMSGHDR, batch);
        messagesFrom = new MemorySegment[batch];
        iovecs = arena.allocate(Layouts.IOVEC, batch);
        for (int i = 0; i < batch; i++) {
            long m = i * Layouts.MMSGHDR.byteSize();
            // no msg_name: the kernel sends on the bound interface with the bound protocol
            messages.set(ADDRESS, m + Layouts.MSG_IOV, iovecs.asSlice(i * Layouts.IOVEC.byteSize(), Layouts.IOVEC));
            messages.set(JAVA_LONG, m + Layouts.MSG_IOVLEN, 1);
            messagesFrom[i] = messages.asSlice(m);
        }
        txLength = new int[batch];
        pollFd = arena.allocate(Layouts.POLLFD);
        pollFd.set(JAVA_INT, 0, fd);
        pollFd.set(JAVA_SHORT, 4, Libc.POLLIN);
        statsBuffer = arena.allocate(Layouts.TPACKET_STATS_V3);
        statsLength = arena.allocate(JAVA_INT);
    }

    /**
     * Opens a socket on {@code ifname} of the calling thread's network namespace with a TPACKET_V3 receive ring,
     * ignoring this host's outgoing frames, and joins the fanout group of {@code opts} if any.
     *
     * @throws NativeException naming the failed call, the interface and the errno
     * @throws IllegalArgumentException when there is no such interface
     */
    public static AfPacketIo open(String ifname, Options opts) {
        Arena arena = Arena.ofShared();
        Libc libc = new Libc(arena);
        int fd = -1;
        MemorySegment ring = null;
        try {
            int ifindex = libc.ifNameToIndex(arena.allocateFrom(ifname));
            if (ifindex == 0) {
                throw new IllegalArgumentException("no network interface " + ifname + " ("
                        + Errno.name(libc.errno()) + ")");
            }
            // protocol 0 until bind: a socket made with ETH_P_ALL would queue every interface's frames meanwhile
            fd = libc.check(libc.socket(IfPacket.AF_PACKET, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, 0),
                    "socket(AF_PACKET) for " + ifname);
            MemorySegment scratch = arena.allocate(64);
            libc.check(libc.setsockopt(fd, IfPacket.SOL_PACKET, IfPacket.PACKET_VERSION, IfPacket.TPACKET_V3,
                    scratch), "setsockopt(PACKET_VERSION) on " + ifname);
            MemorySegment req = arena.allocate(Layouts.TPACKET_REQ3);
            req.set(JAVA_INT, 0, opts.blockSize());
            req.set(JAVA_INT, 4, opts.blockCount());
            req.set(JAVA_INT, 8, opts.frameSizeHint());
            req.set(JAVA_INT, 12, opts.blockSize() / opts.frameSizeHint() * opts.blockCount());
            req.set(JAVA_INT, 16, opts.blockTimeoutMillis());
            libc.check(libc.setsockopt(fd, IfPacket.SOL_PACKET, IfPacket.PACKET_RX_RING, req),
                    "setsockopt(PACKET_RX_RING) on " + ifname);
            long ringSize = (long) opts.blockSize() * opts.blockCount();
            ring = libc.mmap(ringSize, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED, fd, 0);
            if (ring == null) {
                throw new NativeException("mmap(" + ringSize + " byte RX ring) on " + ifname, libc.errno());
            }
            // drop what our own sends loop back before anything can arrive
            libc.check(libc.setsockopt(fd, IfPacket.SOL_PACKET, IfPacket.PACKET_IGNORE_OUTGOING, 1, scratch),
                    "setsockopt(PACKET_IGNORE_OUTGOING) on " + ifname);
            if (opts.qdiscBypass()) {
                libc.check(libc.setsockopt(fd, IfPacket.SOL_PACKET, IfPacket.PACKET_QDISC_BYPASS, 1, scratch),
                        "setsockopt(PACKET_QDISC_BYPASS) on " + ifname);
            }
            MemorySegment sll = arena.allocate(Layouts.SOCKADDR_LL);
            sll.set(JAVA_SHORT, Layouts.SLL_FAMILY, (short) IfPacket.AF_PACKET);
            sll.set(JAVA_SHORT, Layouts.SLL_PROTOCOL, (short) IfPacket.htons(opts.protocol()));
            sll.set(JAVA_INT, Layouts.SLL_IFINDEX, ifindex);
            libc.check(libc.bind(fd, sll, (int) sll.byteSize()), "bind(AF_PACKET) to " + ifname);
            if (opts.fanout() != null) {
                joinFanout(libc, fd, ifname, opts.fanout(), arena, scratch);
            }
            return new AfPacketIo(ifname, opts, arena, libc, fd, ring);
        } catch (RuntimeException e) {
            if (ring != null) {
                libc.munmap(ring);
            }
            if (fd >= 0) {
                libc.close(fd);
            }
            arena.close();
            throw e;
        }
    }

    private static void joinFanout(Libc libc, int fd, String ifname, Fanout fanout, Arena arena, MemorySegment scratch) {
        int arg = fanout.groupId() | (fanout.mode() | IfPacket.PACKET_FANOUT_FLAG_IGNORE_OUTGOING) << 16;
        libc.check(libc.setsockopt(fd, IfPacket.SOL_PACKET, IfPacket.PACKET_FANOUT, arg, scratch),
                "setsockopt(PACKET_FANOUT group " + fanout.groupId() + ") on " + ifname);
        if (fanout.program() != null) {
            MemorySegment filter = arena.allocate(fanout.program().byteSize(), 8);
            fanout.program().writeTo(filter);
            MemorySegment fprog = arena.allocate(Layouts.SOCK_FPROG);
            fprog.set(JAVA_SHORT, 0, (short) fanout.program().length());
            fprog.set(ADDRESS, 8, filter);
            libc.check(libc.setsockopt(fd, IfPacket.SOL_PACKET, IfPacket.PACKET_FANOUT_DATA, fprog),
                    "setsockopt(PACKET_FANOUT_DATA) on " + ifname);
        }
    }

    /**
     * Replaces the steering program of this socket's PACKET_FANOUT_CBPF group (the kernel copies it); control
     * path, on the thread that uses the socket.
     *
     * @throws NativeException when the kernel refuses it (for example: the socket is in no CBPF group)
     */
    public void fanoutProgram(ClassicBpf.Program program) {
        setProgram(IfPacket.SOL_PACKET, IfPacket.PACKET_FANOUT_DATA, program, "PACKET_FANOUT_DATA");
    }

    /** Sets a {@code struct sock_fprog} socket option (the kernel copies the program). */
    private void setProgram(int level, int option, ClassicBpf.Program program, String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment filter = a.allocate(program.byteSize(), 8);
            program.writeTo(filter);
            MemorySegment fprog = a.allocate(Layouts.SOCK_FPROG);
            fprog.set(JAVA_SHORT, 0, (short) program.length());
            fprog.set(ADDRESS, 8, filter);
            libc.check(libc.setsockopt(fd, level, option, fprog), "setsockopt(" + name + ") on " + ifname);
        }
    }

    /** The socket's file descriptor (for polling beside other sockets). */
    public int fd() {
        return fd;
    }

    /**
     * Lets only the frames {@code program} accepts into this socket (SO_ATTACH_FILTER; the kernel copies it).
     * Control path, on the thread that uses the socket.
     */
    public void attachFilter(ClassicBpf.Program program) {
        setProgram(SOL_SOCKET, SO_ATTACH_FILTER, program, "SO_ATTACH_FILTER");
    }

    @Override
    public int receive(RxFrames frames) {
        return receiveInto(frames, 0);
    }

    /**
     * Like {@link #receive} but fills {@code frames} from index {@code start} on (after another port's frames);
     * returns how many it added and sets the count to {@code start} plus that.
     */
    public int receiveInto(RxFrames frames, int start) {
        int n = start;
        int capacity = frames.capacity();
        while (n < capacity) {
            long blockBase = (long) block * blockSize;
            if (framesLeft < 0) {
                // every block is read but not given back: the next one is still ours from last time
                if (readBlocks == blockCount) {
                    break;
                }
                int status = (int) INT.getAcquire(ring, blockBase + Layouts.BLOCK_STATUS);
                if ((status & IfPacket.TP_STATUS_USER) == 0) {
                    break;
                }
                framesLeft = ring.get(JAVA_INT, blockBase + Layouts.BLOCK_NUM_PKTS);
                frameOffset = blockBase + Integer.toUnsignedLong(ring.get(JAVA_INT, blockBase + Layouts.BLOCK_FIRST_PKT));
            }
            if (framesLeft > 0) {
                long frame = frameOffset;
                int snaplen = ring.get(JAVA_INT, frame + Layouts.TP3_SNAPLEN);
                int mac = Short.toUnsignedInt(ring.get(JAVA_SHORT, frame + Layouts.TP3_MAC));
                byte type = ring.get(JAVA_BYTE, frame + Layouts.TP3_SOCKADDR_LL + Layouts.SLL_PKTTYPE);
                frameOffset = frame + Integer.toUnsignedLong(ring.get(JAVA_INT, frame + Layouts.TP3_NEXT_OFFSET));
                framesLeft--;
                // PACKET_IGNORE_OUTGOING already filters these; kept as a guard against older kernels
                if (type != RxFrames.OUTGOING) {
                    frames.address[n] = ringAddress + frame + mac;
                    frames.length[n] = snaplen;
                    frames.packetType[n] = type;
                    frames.checksumPartial[n] = (ring.get(JAVA_INT, frame + Layouts.TP3_STATUS)
                        & IfPacket.TP_STATUS_CSUMNOTREADY) != 0;
                    n++;
                    stats.rxFrames++;
                    stats.rxBytes += snaplen;
                }
            }
            if (framesLeft == 0) {
                framesLeft = -1;
                readBlocks++;
                block = block + 1 == blockCount ? 0 : block + 1;
            }
        }
        frames.count = n;
        return n - start;
    }

    @Override
    public void releaseReceived() {
        for (; readBlocks > 0; readBlocks--) {
            INT.setRelease(ring, (long) releaseBlock * blockSize + Layouts.BLOCK_STATUS, IfPacket.TP_STATUS_KERNEL);
            releaseBlock = releaseBlock + 1 == blockCount ? 0 : releaseBlock + 1;
        }
    }

    @Override
    public boolean transmit(long address, int length) {
        if (txCount == txLength.length) {
            return false;
        }
        long iov = txCount * Layouts.IOVEC.byteSize();
        iovecs.set(JAVA_LONG, iov + Layouts.IOV_BASE, address);
        iovecs.set(JAVA_LONG, iov + Layouts.IOV_LEN, length);
        txLength[txCount++] = length;
        return true;
    }

    @Override
    public int flush() {
        int sent = 0;
        int count = txCount;
        txCount = 0;
        int at = 0;
        while (at < count) {
            int r = libc.sendmmsg(fd, messagesFrom[at], count - at, Libc.MSG_DONTWAIT);
            if (r > 0) {
                for (int i = at; i < at + r; i++) {
                    stats.txBytes += txLength[i];
                }
                at += r;
                sent += r;
                continue;
            }
            int errno = libc.errno();
            if (errno == Errno.EINTR) {
                continue;
            }
            lastTxErrno = errno;
            if (errno == Errno.EAGAIN || errno == Errno.ENOBUFS) {
                // the socket or device queue is full: the rest would fail the same way now
                stats.txDropped += count - at;
                break;
            }
            // this frame is bad (too big, interface down...): drop it and try the rest
            stats.txDropped++;
            at++;
        }
        stats.txFrames += sent;
        return sent;
    }

    /** The errno of the last failed send (0: none yet), for diagnostics. */
    public int lastTxErrno() {
        return lastTxErrno;
    }

    /** True when frames wait in the ring: a read of the ring, no syscall. */
    boolean ready() {
        return framesLeft > 0 || readBlocks < blockCount
            && ((int) INT.getAcquire(ring, (long) block * blockSize + Layouts.BLOCK_STATUS)
                & IfPacket.TP_STATUS_USER) != 0;
    }

    @Override
    public boolean await(int timeoutMillis) {
        if (ready()) {
            return true; // no syscall needed
        }
        pollFd.set(JAVA_SHORT, Layouts.POLLFD_REVENTS, (short) 0);
        int r = libc.poll(pollFd, 1, timeoutMillis);
        return r > 0 && (pollFd.get(JAVA_SHORT, Layouts.POLLFD_REVENTS) & Libc.POLLIN) != 0;
    }

    /**
     * Adds the kernel's drop count since the last call (PACKET_STATISTICS, which resets it) to
     * {@link PacketIoStats#rxDropped}. Control path: call it from the owning worker now and then.
     */
    @Override
    public void refreshStats() {
        statsLength.set(JAVA_INT, 0, (int) statsBuffer.byteSize());
        libc.check(libc.getsockopt(fd, IfPacket.SOL_PACKET, IfPacket.PACKET_STATISTICS, statsBuffer, statsLength),
                "getsockopt(PACKET_STATISTICS) on " + ifname);
        stats.rxDropped += Integer.toUnsignedLong(statsBuffer.get(JAVA_INT, Layouts.TP_STATS_DROPS));
    }

    @Override
    public PacketIoStats stats() {
        return stats;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        libc.munmap(ring);
        libc.close(fd);
        arena.close();
    }
}
