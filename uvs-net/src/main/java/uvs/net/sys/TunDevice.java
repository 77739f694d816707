package uvs.net.sys;

import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A TUN interface that exists exactly as long as this process holds it: not persistent, so the kernel removes
 * it when the file descriptor closes — also when the process is killed with SIGKILL. uvsd points the routes of
 * the VIPs it announces at it, so that a routing daemon withdraws them the moment uvsd is gone. No packet is
 * ever read from it.
 */
public final class TunDevice implements AutoCloseable {
    private static final long TUNSETIFF = 0x400454caL;
    private static final long SIOCGIFFLAGS = 0x8913;
    private static final long SIOCSIFFLAGS = 0x8914;
    private static final short IFF_TUN = 0x0001;
    private static final short IFF_NO_PI = 0x1000;
    private static final short IFF_UP = 0x1;
    private static final int O_RDWR = 2;
    private static final long IFREQ_SIZE = 40;
    private static final long IFR_FLAGS = 16;

    private final String name;
    private int fd;

    private TunDevice(String name, int fd) {
        this.name = name;
        this.fd = fd;
    }

    /**
     * Creates TUN interface {@code name} in the calling thread's network namespace and sets it up.
     *
     * @throws NativeException naming the call that failed (no {@code /dev/net/tun}, the name taken by another
     *                         kind of interface, no CAP_NET_ADMIN)
     */
    public static TunDevice open(String name) {
        try (Arena arena = Arena.ofConfined()) {
            Libc libc = new Libc(arena);
            int fd = libc.check(libc.open(arena.allocateFrom("/dev/net/tun"), O_RDWR | Libc.O_CLOEXEC, 0),
                "open(/dev/net/tun)");
            try {
                MemorySegment ifreq = arena.allocate(IFREQ_SIZE);
                ifreq.setString(0, name);
                ifreq.set(JAVA_SHORT, IFR_FLAGS, (short) (IFF_TUN | IFF_NO_PI));
                libc.check(libc.ioctl(fd, TUNSETIFF, ifreq), "ioctl(TUNSETIFF) for " + name);
                up(libc, arena, name);
            } catch (RuntimeException e) {
                libc.close(fd);
                throw e;
            }
            return new TunDevice(name, fd);
        }
    }

    private static void up(Libc libc, Arena arena, String name) {
        int sock = libc.check(libc.socket(Libc.AF_INET, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0),
            "socket(AF_INET) for " + name);
        try {
            MemorySegment ifreq = arena.allocate(IFREQ_SIZE);
            ifreq.setString(0, name);
            libc.check(libc.ioctl(sock, SIOCGIFFLAGS, ifreq), "ioctl(SIOCGIFFLAGS) on " + name);
            ifreq.set(JAVA_SHORT, IFR_FLAGS, (short) (ifreq.get(JAVA_SHORT, IFR_FLAGS) | IFF_UP));
            libc.check(libc.ioctl(sock, SIOCSIFFLAGS, ifreq), "ioctl(SIOCSIFFLAGS) on " + name);
        } finally {
            libc.close(sock);
        }
    }

    /** The interface's name. */
    public String name() {
        return name;
    }

    /** Closes the descriptor: the kernel removes the interface. */
    @Override
    public void close() {
        if (fd < 0) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            new Libc(arena).close(fd);
        }
        fd = -1;
    }
}
