package uvs.daemon.health;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import uvs.net.sys.Errno;
import uvs.net.sys.Libc;
import uvs.time.SystemNanoClock;

/**
 * ICMP echo check (keepalived PING_CHECK, ldirectord checktype=ping): up when an echo reply carrying this
 * request's token arrives within the timeout. It uses an unprivileged ICMP datagram socket
 * ({@code net.ipv4.ping_group_range}), else a raw socket (root or CAP_NET_RAW).
 */
public final class PingCheck implements HealthCheck {
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int IPPROTO_ICMP = 1;
    private static final int IPPROTO_ICMPV6 = 58;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_RAW = 3;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int MSG_DONTWAIT = 0x40;
    private static final short POLLIN = 1;
    private static final int TOKEN = 16;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final InetSocketAddress target;
    private final InetSocketAddress source;
    private final int attempts;
    private final Duration timeout;

    /** One echo to {@code target}'s address (its port is not used) from {@code source} (null = any). */
    public PingCheck(InetSocketAddress target, InetSocketAddress source, Duration timeout) {
        this(target, source, 1, timeout);
    }

    /** Up to {@code attempts} echoes, each waiting up to {@code timeout}. */
    public PingCheck(InetSocketAddress target, InetSocketAddress source, int attempts, Duration timeout) {
        this.target = target;
        this.source = source;
        this.attempts = attempts;
        this.timeout = timeout;
    }

    @Override
    public CheckResult run() {
        CheckResult r = once();
        for (int i = 1; i < attempts && !r.up(); i++) {
            r = once();
        }
        return r;
    }

    private CheckResult once() {
        boolean v6 = target.getAddress() instanceof Inet6Address;
        try (Arena arena = Arena.ofConfined()) {
            Libc libc = new Libc(arena);
            int family = v6 ? AF_INET6 : AF_INET;
            int protocol = v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
            boolean raw = false;
            int fd = libc.socket(family, SOCK_DGRAM | SOCK_CLOEXEC, protocol);
            if (fd < 0) {
                int datagramErrno = libc.errno();
                fd = libc.socket(family, SOCK_RAW | SOCK_CLOEXEC, protocol);
                if (fd < 0) {
                    return CheckResult.down("no ICMP socket: datagram " + Errno.name(datagramErrno) + " (is the group in "
                        + "net.ipv4.ping_group_range?), raw " + Errno.name(libc.errno()) + " (needs CAP_NET_RAW)");
                }
                raw = true;
            }
            try {
                return echo(libc, arena, fd, v6, raw);
            } finally {
                libc.close(fd);
            }
        }
    }

    private CheckResult echo(Libc libc, Arena arena, int fd, boolean v6, boolean raw) {
        if (source != null && libc.bind(fd, sockaddr(arena, source.getAddress()), v6 ? 28 : 16) < 0) {
            return CheckResult.down("bind to " + source.getAddress().getHostAddress() + ": " + Errno.name(libc.errno()));
        }
        if (libc.connect(fd, sockaddr(arena, target.getAddress()), v6 ? 28 : 16) < 0) {
            return CheckResult.down("connect: " + Errno.name(libc.errno()));
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        short id = (short) random.nextInt(0x10000);
        short seq = (short) random.nextInt(0x10000);
        byte[] token = new byte[TOKEN];
        random.nextBytes(token);
        MemorySegment request = arena.allocate(8 + TOKEN);
        request.set(ValueLayout.JAVA_BYTE, 0, (byte) (v6 ? 128 : 8));
        request.set(U16, 4, id);
        request.set(U16, 6, seq);
        MemorySegment.copy(token, 0, request, ValueLayout.JAVA_BYTE, 8, TOKEN);
        if (!v6) {
            // the kernel fills in ICMPv6 checksums itself, and a datagram socket's ICMPv4 one
            request.set(U16, 2, checksum(request));
        }
        if (libc.send(fd, request, 0) < 0) {
            return CheckResult.down("send: " + Errno.name(libc.errno()));
        }
        MemorySegment poll = arena.allocate(8);
        poll.set(ValueLayout.JAVA_INT, 0, fd);
        poll.set(ValueLayout.JAVA_SHORT, 4, POLLIN);
        MemorySegment reply = arena.allocate(1500);
        long end = SystemNanoClock.INSTANCE.nanoTime() + timeout.toNanos();
        while (true) {
            long left = end - SystemNanoClock.INSTANCE.nanoTime();
            if (left <= 0) {
                return CheckResult.down("no echo reply within " + timeout.toMillis() + " ms");
            }
            int ready = libc.poll(poll, 1, (int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000L)));
            if (ready < 0 && libc.errno() != Errno.EINTR) {
                return CheckResult.down("poll: " + Errno.name(libc.errno()));
            }
            if (ready <= 0) {
                continue;
            }
            long n = libc.recv(fd, reply, MSG_DONTWAIT);
            if (n < 0) {
                if (libc.errno() == Errno.EAGAIN || libc.errno() == Errno.EINTR) {
                    continue;
                }
                // e.g. an ICMP error for the request on a datagram socket
                return CheckResult.down("recv: " + Errno.name(libc.errno()));
            }
            // a raw IPv4 socket gets the IP header too
            int at = raw && !v6 ? (reply.get(ValueLayout.JAVA_BYTE, 0) & 0x0f) * 4 : 0;
            if (isReply(reply, at, n, v6, raw, id, seq, token)) {
                return CheckResult.up(raw ? "echo reply (raw socket)" : "echo reply (datagram socket)");
            }
        }
    }

    private static boolean isReply(MemorySegment m, int at, long n, boolean v6, boolean raw, short id, short seq,
                                   byte[] token) {
        if (n < at + 8 + TOKEN || m.get(ValueLayout.JAVA_BYTE, at) != (byte) (v6 ? 129 : 0)) {
            return false;
        }
        // a datagram socket's identifier is the kernel's; the token and sequence tell replies apart
        if (raw && m.get(U16, at + 4) != id || m.get(U16, at + 6) != seq) {
            return false;
        }
        for (int i = 0; i < TOKEN; i++) {
            if (m.get(ValueLayout.JAVA_BYTE, at + 8 + i) != token[i]) {
                return false;
            }
        }
        return true;
    }

    private static MemorySegment sockaddr(Arena arena, InetAddress a) {
        byte[] b = a.getAddress();
        MemorySegment s = arena.allocate(b.length == 16 ? 28 : 16);
        s.set(ValueLayout.JAVA_SHORT, 0, (short) (b.length == 16 ? AF_INET6 : AF_INET));
        MemorySegment.copy(b, 0, s, ValueLayout.JAVA_BYTE, b.length == 16 ? 8 : 4, b.length);
        if (a instanceof Inet6Address v6 && v6.getScopeId() != 0) {
            s.set(ValueLayout.JAVA_INT, 24, v6.getScopeId());
        }
        return s;
    }

    // the Internet checksum (RFC 1071) of an ICMPv4 message whose checksum field is 0
    private static short checksum(MemorySegment m) {
        long sum = 0;
        for (long i = 0; i + 1 < m.byteSize(); i += 2) {
            sum += m.get(U16, i) & 0xffff;
        }
        if ((m.byteSize() & 1) != 0) {
            sum += (m.get(ValueLayout.JAVA_BYTE, m.byteSize() - 1) & 0xff) << 8;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (short) ~sum;
    }
}
