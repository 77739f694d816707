package uvs.net.sys;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * An {@code AF_NETLINK}/{@code NETLINK_ROUTE} socket of the calling thread's network namespace (a socket keeps
 * the namespace it was opened in), subscribed to multicast groups, read without blocking. Use it from one
 * thread.
 */
public final class NetlinkSocket implements AutoCloseable {
    private static final int AF_NETLINK = 16;
    private static final int NETLINK_ROUTE = 0;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVBUF = 8;
    private static final int ENOBUFS = 105;
    /** Room for one datagram: the kernel sends dump parts of at most 32 KiB. */
    private static final int BUFFER = 64 * 1024;
    /** The socket's receive buffer: a burst of route changes must fit between two polls. */
    private static final int RCVBUF = 1 << 20;
    /** Datagrams read per {@link #receive} at most, so one call never runs long. */
    private static final int MAX_DATAGRAMS = 64;

    /** {@link #receive} found that the kernel dropped messages (ENOBUFS): a fresh dump is needed. */
    public static final int OVERRUN = -1;

    private final Arena arena = Arena.ofShared();
    private final Libc libc = new Libc(arena);
    private final MemorySegment buffer = arena.allocate(BUFFER, 8);
    private final MemorySegment request = arena.allocate(RtNetlink.NLMSG_HDRLEN + RtNetlink.RTMSG_LEN, 8);
    private final int fd;

    private NetlinkSocket(int fd) {
        this.fd = fd;
    }

    /**
     * Opens a socket subscribed to {@code groups} ({@code RtNetlink.RTMGRP_*} bits).
     *
     * @throws NativeException naming the call and errno when the kernel refuses
     */
    public static NetlinkSocket open(int groups) {
        NetlinkSocket s = null;
        try (Arena a = Arena.ofConfined()) {
            Libc l = new Libc(a);
            int fd = l.check(l.socket(AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, NETLINK_ROUTE),
                "socket(AF_NETLINK, NETLINK_ROUTE)");
            s = new NetlinkSocket(fd);
            // a smaller buffer only means more resyncs: not worth failing for
            s.libc.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, RCVBUF, a.allocate(4));
            MemorySegment addr = a.allocate(12, 4); // sockaddr_nl: family u16, pad u16, pid u32, groups u32
            addr.set(JAVA_SHORT, 0, (short) AF_NETLINK);
            addr.set(JAVA_INT, 8, groups);
            s.libc.check(s.libc.bind(fd, addr, 12), "bind(AF_NETLINK, groups 0x" + Integer.toHexString(groups) + ")");
            return s;
        } catch (RuntimeException e) {
            if (s != null) {
                s.close();
            }
            throw e;
        }
    }

    /**
     * Asks the kernel for a dump of every object of {@code type} ({@code RTM_GETROUTE}, {@code RTM_GETNEIGH})
     * of both families; the answer (ending with {@code NLMSG_DONE} of {@code seq}) arrives through
     * {@link #receive}.
     */
    public void dump(int type, int seq) {
        request.fill((byte) 0);
        request.set(JAVA_INT, 0, (int) request.byteSize());
        request.set(JAVA_SHORT, 4, (short) type);
        request.set(JAVA_SHORT, 6, (short) (RtNetlink.NLM_F_REQUEST | RtNetlink.NLM_F_DUMP));
        request.set(JAVA_INT, 8, seq);
        request.set(JAVA_BYTE, RtNetlink.NLMSG_HDRLEN, (byte) 0); // AF_UNSPEC: IPv4 and IPv6
        long n = libc.send(fd, request, 0);
        if (n < 0) {
            throw new NativeException("send(RTM_GET dump " + type + ")", libc.errno());
        }
    }

    /**
     * Reads what has arrived, without waiting, and gives it to {@code l}.
     *
     * @return datagrams read, or {@link #OVERRUN} when the kernel dropped messages for this socket
     * @throws NativeException on another failure of recv(2)
     */
    public int receive(RtNetlink.Listener l) {
        int n = 0;
        while (n < MAX_DATAGRAMS) {
            long got = libc.recv(fd, buffer, Libc.MSG_DONTWAIT);
            if (got < 0) {
                int errno = libc.errno();
                if (errno == Errno.EAGAIN || errno == Errno.EINTR) {
                    return n;
                }
                if (errno == ENOBUFS) {
                    return OVERRUN;
                }
                throw new NativeException("recv(AF_NETLINK)", errno);
            }
            n++;
            RtNetlink.parse(buffer, (int) got, l);
        }
        return n;
    }

    @Override
    public void close() {
        libc.close(fd);
        arena.close();
    }
}
