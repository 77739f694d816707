package uvs.net.bpf;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import uvs.net.sys.Errno;
import uvs.net.sys.Libc;
import uvs.net.sys.NativeException;

/**
 * The {@code bpf(2)} calls UVS makes: maps, program load (the verifier's log in the error when it refuses),
 * XDP links and test runs. Each call fills a zeroed {@code union bpf_attr}; control path only (used by one thread at a
 * time, never per packet).
 */
public final class Bpf implements AutoCloseable {
    // enum bpf_cmd
    static final int MAP_CREATE = 0;
    static final int MAP_LOOKUP_ELEM = 1;
    static final int MAP_UPDATE_ELEM = 2;
    static final int MAP_DELETE_ELEM = 3;
    static final int PROG_LOAD = 5;
    static final int PROG_TEST_RUN = 10;
    static final int LINK_CREATE = 28;

    /** {@code BPF_MAP_TYPE_HASH}. */
    public static final int MAP_TYPE_HASH = 1;
    /** {@code BPF_MAP_TYPE_ARRAY}. */
    public static final int MAP_TYPE_ARRAY = 2;
    /** {@code BPF_MAP_TYPE_XSKMAP}: AF_XDP sockets by receive queue. */
    public static final int MAP_TYPE_XSKMAP = 17;
    /** {@code BPF_PROG_TYPE_XDP}. */
    public static final int PROG_TYPE_XDP = 6;
    /** {@code BPF_PROG_TYPE_SCHED_CLS}: a traffic-control classifier, run on the skb. */
    public static final int PROG_TYPE_SCHED_CLS = 3;
    /** {@code BPF_XDP} attach type. */
    public static final int ATTACH_XDP = 37;
    /** {@code BPF_TCX_INGRESS} attach type (Linux 6.6 and later). */
    public static final int ATTACH_TCX_INGRESS = 46;
    /** {@code BPF_ANY}: create or replace. */
    public static final long UPDATE_ANY = 0;

    /** {@code XDP_FLAGS_SKB_MODE}: generic XDP, after the kernel built an skb; works on every device. */
    public static final int XDP_FLAGS_SKB_MODE = 2;
    /** {@code XDP_FLAGS_DRV_MODE}: native XDP in the driver (veth and most 10G+ drivers). */
    public static final int XDP_FLAGS_DRV_MODE = 4;

    /** XDP verdicts. */
    public static final int XDP_ABORTED = 0;
    /** Drop. */
    public static final int XDP_DROP = 1;
    /** Hand to the kernel's stack. */
    public static final int XDP_PASS = 2;
    /** Send back out of the receiving device. */
    public static final int XDP_TX = 3;
    /** Redirect (to an AF_XDP socket, another device...). */
    public static final int XDP_REDIRECT = 4;

    /** Traffic-control verdict: go on as if no program ran (at tcx: and skip the programs after this one). */
    public static final int TC_ACT_OK = 0;
    /** Traffic-control verdict {@code TC_ACT_UNSPEC}, at tcx {@code TCX_NEXT}: on to the next program, if any. */
    public static final int TC_ACT_UNSPEC = -1;
    /** Traffic-control verdict of {@code bpf_redirect}: the skb was handed to another device (or queue). */
    public static final int TC_ACT_REDIRECT = 7;

    private static final int ATTR_SIZE = 128;
    private static final int LOG_SIZE = 1 << 20;

    private final Arena arena = Arena.ofShared();
    private final Libc libc = new Libc(arena);
    private final MemorySegment attr = arena.allocate(ATTR_SIZE, 8);

    private MemorySegment attr() {
        return attr.fill((byte) 0);
    }

    private int call(int cmd, String what) {
        int r = libc.bpf(cmd, attr, ATTR_SIZE);
        if (r < 0) {
            throw new NativeException(what, libc.errno());
        }
        return r;
    }

    /**
     * Creates a map and returns its file descriptor (the map lives while a descriptor or a loaded program
     * holds it).
     */
    public int createMap(int type, int keySize, int valueSize, int maxEntries, String name) {
        MemorySegment a = attr();
        a.set(JAVA_INT, 0, type);
        a.set(JAVA_INT, 4, keySize);
        a.set(JAVA_INT, 8, valueSize);
        a.set(JAVA_INT, 12, maxEntries);
        putName(a, 28, name); // map_name after map_flags, inner_map_fd, numa_node
        return call(MAP_CREATE, "bpf(BPF_MAP_CREATE) of map " + name);
    }

    /** Sets {@code key} to {@code value} in map {@code fd}; flags {@link #UPDATE_ANY}. */
    public void update(int fd, MemorySegment key, MemorySegment value, long flags) {
        elem(fd, key, value, flags);
        call(MAP_UPDATE_ELEM, "bpf(BPF_MAP_UPDATE_ELEM) on map fd " + fd);
    }

    /**
     * Sets {@code key} to {@code value} in map {@code fd} and returns 0, or the errno when the kernel refuses
     * ({@link Errno#E2BIG} when a hash map is full): for callers to whom a refusal is an ordinary outcome.
     */
    public int tryUpdate(int fd, MemorySegment key, MemorySegment value, long flags) {
        elem(fd, key, value, flags);
        return libc.bpf(MAP_UPDATE_ELEM, attr, ATTR_SIZE) < 0 ? libc.errno() : 0;
    }

    /** Removes {@code key} from map {@code fd}; false when it was not there. */
    public boolean delete(int fd, MemorySegment key) {
        elem(fd, key, MemorySegment.NULL, 0);
        int r = libc.bpf(MAP_DELETE_ELEM, attr, ATTR_SIZE);
        if (r < 0 && libc.errno() != Errno.ENOENT) {
            throw new NativeException("bpf(BPF_MAP_DELETE_ELEM) on map fd " + fd, libc.errno());
        }
        return r == 0;
    }

    /** Copies the value of {@code key} into {@code value}; false when the key is not in map {@code fd}. */
    public boolean lookup(int fd, MemorySegment key, MemorySegment value) {
        elem(fd, key, value, 0);
        int r = libc.bpf(MAP_LOOKUP_ELEM, attr, ATTR_SIZE);
        if (r < 0 && libc.errno() != Errno.ENOENT) {
            throw new NativeException("bpf(BPF_MAP_LOOKUP_ELEM) on map fd " + fd, libc.errno());
        }
        return r == 0;
    }

    private void elem(int fd, MemorySegment key, MemorySegment value, long flags) {
        MemorySegment a = attr();
        a.set(JAVA_INT, 0, fd);
        a.set(JAVA_LONG, 8, key.address());
        a.set(JAVA_LONG, 16, value.address());
        a.set(JAVA_LONG, 24, flags);
    }

    /**
     * Loads a program of {@code type} and returns its file descriptor.
     *
     * @throws NativeException when the kernel refuses it; the message carries the verifier's log
     */
    public int loadProgram(int type, byte[] instructions, String license, String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment insns = a.allocate(instructions.length, 8);
            MemorySegment.copy(instructions, 0, insns, JAVA_BYTE, 0, instructions.length);
            MemorySegment lic = a.allocateFrom(license);
            MemorySegment log = a.allocate(LOG_SIZE);
            for (int level = 0; level <= 1; level++) {
                MemorySegment at = attr();
                at.set(JAVA_INT, 0, type);
                at.set(JAVA_INT, 4, instructions.length / 8);
                at.set(JAVA_LONG, 8, insns.address());
                at.set(JAVA_LONG, 16, lic.address());
                if (level > 0) {
                    // only after a refusal: a logged load costs verifier time and memory
                    at.set(JAVA_INT, 24, 1);
                    at.set(JAVA_INT, 28, LOG_SIZE);
                    at.set(JAVA_LONG, 32, log.address());
                }
                putName(at, 48, name);
                int fd = libc.bpf(PROG_LOAD, attr, ATTR_SIZE);
                if (fd >= 0) {
                    return fd;
                }
                if (level > 0) {
                    int errno = libc.errno();
                    String text = log.getString(0).strip();
                    throw new NativeException("bpf(BPF_PROG_LOAD) of program " + name + " refused"
                        + (text.isEmpty() ? "" : "; verifier log:\n" + tail(text) + "\n"), errno);
                }
            }
            throw new IllegalStateException("unreachable");
        }
    }

    /** The last lines of a long verifier log: where it gave up. */
    private static String tail(String log) {
        String[] lines = log.split("\n");
        int from = Math.max(0, lines.length - 40);
        return String.join("\n", Arrays.copyOfRange(lines, from, lines.length));
    }

    /**
     * Attaches XDP program {@code progFd} to interface {@code ifindex} through a BPF link and returns the link's
     * file descriptor: the kernel detaches the program when the last descriptor of the link closes, so a
     * process that dies (even by SIGKILL) leaves nothing attached.
     *
     * @param flags {@link #XDP_FLAGS_DRV_MODE}, {@link #XDP_FLAGS_SKB_MODE} or 0 (the driver's best)
     */
    public int attachXdp(int progFd, int ifindex, int flags, String ifname) {
        MemorySegment a = attr();
        a.set(JAVA_INT, 0, progFd);
        a.set(JAVA_INT, 4, ifindex);
        a.set(JAVA_INT, 8, ATTACH_XDP);
        a.set(JAVA_INT, 12, flags);
        return call(LINK_CREATE, "bpf(BPF_LINK_CREATE) of an XDP program ("
            + ((flags & XDP_FLAGS_DRV_MODE) != 0 ? "native" : (flags & XDP_FLAGS_SKB_MODE) != 0 ? "generic" : "any")
            + " mode) on " + ifname);
    }

    /**
     * Attaches traffic-control program {@code progFd} to the ingress of interface {@code ifindex} (tcx) through a
     * BPF link and returns the link's file descriptor; as with {@link #attachXdp}, the program goes when the
     * last descriptor of the link closes.
     */
    public int attachTcxIngress(int progFd, int ifindex, String ifname) {
        MemorySegment a = attr();
        a.set(JAVA_INT, 0, progFd);
        a.set(JAVA_INT, 4, ifindex);
        a.set(JAVA_INT, 8, ATTACH_TCX_INGRESS);
        return call(LINK_CREATE, "bpf(BPF_LINK_CREATE) of a tcx ingress program on " + ifname);
    }

    /**
     * Runs program {@code progFd} once on {@code frame} (BPF_PROG_TEST_RUN) and returns its verdict; nothing is
     * sent or redirected.
     */
    public int testRun(int progFd, byte[] frame) {
        return testRunFrame(progFd, frame).verdict();
    }

    /** What one test run returned: the verdict and the frame as the program left it. */
    public record TestRun(int verdict, byte[] frame) {
    }

    /**
     * Runs program {@code progFd} once on {@code frame} (BPF_PROG_TEST_RUN) and returns its verdict with the frame
     * as the program left it; nothing is sent or redirected.
     */
    public TestRun testRunFrame(int progFd, byte[] frame) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment in = a.allocate(frame.length);
            MemorySegment.copy(frame, 0, in, JAVA_BYTE, 0, frame.length);
            MemorySegment out = a.allocate(frame.length + 256);
            MemorySegment at = attr();
            at.set(JAVA_INT, 0, progFd);
            at.set(JAVA_INT, 8, frame.length);
            at.set(JAVA_INT, 12, (int) out.byteSize());
            at.set(JAVA_LONG, 16, in.address());
            at.set(JAVA_LONG, 24, out.address());
            at.set(JAVA_INT, 32, 1);
            call(PROG_TEST_RUN, "bpf(BPF_PROG_TEST_RUN) of program fd " + progFd);
            byte[] result = new byte[attr.get(JAVA_INT, 12)];
            MemorySegment.copy(out, JAVA_BYTE, 0, result, 0, result.length);
            return new TestRun(attr.get(JAVA_INT, 4), result);
        }
    }

    /**
     * Runs program {@code progFd} {@code repeat} times on {@code frame} in the kernel (BPF_PROG_TEST_RUN; the
     * program sees the frame as the previous run left it) and returns the kernel's average time per run in
     * nanoseconds.
     */
    public int testRunNanos(int progFd, byte[] frame, int repeat) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment in = a.allocate(frame.length);
            MemorySegment.copy(frame, 0, in, JAVA_BYTE, 0, frame.length);
            MemorySegment at = attr();
            at.set(JAVA_INT, 0, progFd);
            at.set(JAVA_INT, 8, frame.length);
            at.set(JAVA_LONG, 16, in.address());
            at.set(JAVA_INT, 32, repeat);
            call(PROG_TEST_RUN, "bpf(BPF_PROG_TEST_RUN) of program fd " + progFd);
            return attr.get(JAVA_INT, 36);
        }
    }

    /** Closes a map, program or link descriptor. */
    public void close(int fd) {
        if (fd >= 0) {
            libc.close(fd);
        }
    }

    private static void putName(MemorySegment a, long offset, String name) {
        // BPF object names: up to 15 characters of [A-Za-z0-9_.]
        byte[] b = name.getBytes(StandardCharsets.US_ASCII);
        MemorySegment.copy(b, 0, a, JAVA_BYTE, offset, Math.min(15, b.length));
    }

    @Override
    public void close() {
        arena.close();
    }
}
