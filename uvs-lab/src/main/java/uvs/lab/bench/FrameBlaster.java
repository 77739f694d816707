package uvs.lab.bench;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import uvs.net.sys.Errno;
import uvs.net.sys.IfPacket;
import uvs.net.sys.Layouts;
import uvs.net.sys.Libc;
import uvs.net.sys.NativeException;

/**
 * A send-only AF_PACKET socket replaying a pool of pre-built frames with {@code sendmmsg} as fast as the kernel
 * takes them. Bound with protocol 0, so the kernel never queues received frames to it (no receive cost on the
 * path it measures); qdisc bypass sends straight to the driver. Open it on a thread inside the interface's
 * network namespace; one thread uses it.
 */
public final class FrameBlaster implements AutoCloseable {
    private static final int SLOT = 64;

    private final Arena arena;
    private final Libc libc;
    private final int fd;
    private final int pool;
    private final int batch;
    /** The mmsghdr array from each index on, so a send resumes after a dropped frame without slicing. */
    private final MemorySegment[] messagesFrom;
    private long sent;
    private long dropped;
    private boolean closed;

    private FrameBlaster(Arena arena, Libc libc, int fd, List<byte[]> frames, int batch) {
        this.arena = arena;
        this.libc = libc;
        this.fd = fd;
        this.pool = frames.size();
        this.batch = batch;
        int slot = Math.max(SLOT, frames.stream().mapToInt(f -> f.length).max().orElse(0) + 15 & ~15);
        MemorySegment data = arena.allocate((long) slot * pool, 64);
        MemorySegment iovecs = arena.allocate(Layouts.IOVEC, pool);
        MemorySegment messages = arena.allocate(Layouts.MMSGHDR, pool);
        messagesFrom = new MemorySegment[pool];
        for (int i = 0; i < pool; i++) {
            byte[] f = frames.get(i);
            MemorySegment frame = data.asSlice((long) slot * i, f.length);
            MemorySegment.copy(f, 0, frame, ValueLayout.JAVA_BYTE, 0, f.length);
            long iov = i * Layouts.IOVEC.byteSize();
            iovecs.set(ADDRESS, iov + Layouts.IOV_BASE, frame);
            iovecs.set(JAVA_LONG, iov + Layouts.IOV_LEN, f.length);
            long m = i * Layouts.MMSGHDR.byteSize();
            messages.set(ADDRESS, m + Layouts.MSG_IOV, iovecs.asSlice(iov, Layouts.IOVEC));
            messages.set(JAVA_LONG, m + Layouts.MSG_IOVLEN, 1);
            messagesFrom[i] = messages.asSlice(m);
        }
    }

    /**
     * Opens the socket on {@code ifname} of the calling thread's namespace and copies {@code frames} into
     * native memory; {@code batch} frames go per {@code sendmmsg}.
     *
     * @throws NativeException naming the failed call and errno
     * @throws IllegalArgumentException when there is no such interface or no frame
     */
    public static FrameBlaster open(String ifname, List<byte[]> frames, int batch) {
        if (frames.isEmpty() || batch < 1 || batch > 1024) {
            throw new IllegalArgumentException("blaster needs at least one frame and a batch of 1 to 1024, got "
                + frames.size() + " frames, batch " + batch);
        }
        Arena arena = Arena.ofShared();
        Libc libc = new Libc(arena);
        int fd = -1;
        try {
            int ifindex = libc.ifNameToIndex(arena.allocateFrom(ifname));
            if (ifindex == 0) {
                throw new IllegalArgumentException("no network interface " + ifname);
            }
            fd = libc.check(libc.socket(IfPacket.AF_PACKET, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, 0),
                "socket(AF_PACKET) for " + ifname);
            MemorySegment scratch = arena.allocate(8);
            libc.check(libc.setsockopt(fd, IfPacket.SOL_PACKET, IfPacket.PACKET_QDISC_BYPASS, 1, scratch),
                "setsockopt(PACKET_QDISC_BYPASS) on " + ifname);
            MemorySegment sll = arena.allocate(Layouts.SOCKADDR_LL);
            sll.set(JAVA_SHORT, Layouts.SLL_FAMILY, (short) IfPacket.AF_PACKET);
            sll.set(JAVA_SHORT, Layouts.SLL_PROTOCOL, (short) 0); // protocol 0: send only, nothing received
            sll.set(JAVA_INT, Layouts.SLL_IFINDEX, ifindex);
            libc.check(libc.bind(fd, sll, (int) sll.byteSize()), "bind(AF_PACKET) to " + ifname);
            return new FrameBlaster(arena, libc, fd, frames, batch);
        } catch (RuntimeException e) {
            if (fd >= 0) {
                libc.close(fd);
            }
            arena.close();
            throw e;
        }
    }

    /**
     * Sends the pool round and round until {@code nanos} have passed; a frame the device refuses (ENOBUFS: the
     * receiver's backlog is full) is counted as dropped and skipped.
     */
    public void run(long nanos) {
        long deadline = System.nanoTime() + nanos;
        int pos = 0;
        while (System.nanoTime() - deadline < 0) {
            int n = Math.min(batch, pool - pos);
            int r = libc.sendmmsg(fd, messagesFrom[pos], n, 0);
            if (r > 0) {
                sent += r;
                pos += r;
            } else {
                int errno = libc.errno();
                if (errno == Errno.ENOBUFS || errno == Errno.EAGAIN) {
                    dropped++;
                    pos++;
                } else if (errno != Errno.EINTR) {
                    throw new NativeException("sendmmsg", errno);
                }
            }
            if (pos >= pool) {
                pos = 0;
            }
        }
    }

    /** Frames the kernel took. */
    public long sent() {
        return sent;
    }

    /** Frames the device refused. */
    public long dropped() {
        return dropped;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            libc.close(fd);
            arena.close();
        }
    }
}
