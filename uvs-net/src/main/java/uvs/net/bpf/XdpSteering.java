package uvs.net.bpf;

import static uvs.net.bpf.EbpfAssembler.AND;
import static uvs.net.bpf.EbpfAssembler.ADD;
import static uvs.net.bpf.EbpfAssembler.B;
import static uvs.net.bpf.EbpfAssembler.DW;
import static uvs.net.bpf.EbpfAssembler.H;
import static uvs.net.bpf.EbpfAssembler.JEQ;
import static uvs.net.bpf.EbpfAssembler.JGT;
import static uvs.net.bpf.EbpfAssembler.JLT;
import static uvs.net.bpf.EbpfAssembler.JNE;
import static uvs.net.bpf.EbpfAssembler.LSH;
import static uvs.net.bpf.EbpfAssembler.R0;
import static uvs.net.bpf.EbpfAssembler.R1;
import static uvs.net.bpf.EbpfAssembler.R10;
import static uvs.net.bpf.EbpfAssembler.R2;
import static uvs.net.bpf.EbpfAssembler.R3;
import static uvs.net.bpf.EbpfAssembler.R6;
import static uvs.net.bpf.EbpfAssembler.R7;
import static uvs.net.bpf.EbpfAssembler.R8;
import static uvs.net.bpf.EbpfAssembler.R9;
import static uvs.net.bpf.EbpfAssembler.W;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import uvs.net.sys.Errno;
import uvs.net.sys.NativeException;

/**
 * The XDP program that sends UVS the frames it must see and passes everything else to the kernel:
 * <ul>
 *   <li>IPv4/IPv6 TCP, UDP and SCTP to a virtual service (destination address, port and protocol, or port 0
 *       for a port-less service) and from a NAT real server (source address, port and protocol);</li>
 *   <li>ICMP/ICMPv6 errors and fragments to a virtual service address or from a NAT real server address;</li>
 *   <li>ARP requests and neighbour solicitations for an address UVS announces.</li>
 * </ul>
 * Those are redirected to the AF_XDP socket of the receiving queue (XSKMAP index = {@code rx_queue_index});
 * a queue without a socket aborts the frame (dropped, visible on the {@code xdp:xdp_exception} tracepoint).
 * ARP replies and neighbour advertisements stay with the kernel, which needs them too: UVS reads copies through
 * a small AF_PACKET socket. The steering map ({@link SteeringEntry} keys, 4-byte values) is filled by UVS as
 * services change; its capacity bounds the entries, not the traffic.
 *
 * <p>Created with a {@link FastPathMap}, the program starts with {@link XdpFastPath}: the established flows the
 * map holds are forwarded in the driver's context, and everything else comes to the steering above unchanged.
 */
public final class XdpSteering implements AutoCloseable {
    /** {@code bpf_map_lookup_elem}. */
    static final int HELPER_MAP_LOOKUP = 1;
    /** {@code bpf_redirect_map}. */
    static final int HELPER_REDIRECT_MAP = 51;
    /** Default steering map capacity. */
    public static final int DEFAULT_ENTRIES = 65536;
    /** Most AF_XDP sockets (receive queues) per interface. */
    public static final int MAX_QUEUES = 256;

    // the key on the stack (24 bytes from fp-24) and the saved ports and protocol below it
    private static final int KEY = -24;
    private static final int KEY_PORT = KEY + 16;
    private static final int KEY_PROTO = KEY + 18;
    private static final int KEY_KIND = KEY + 19;
    private static final int SPORT = -32;
    private static final int DPORT = -30;
    private static final int PROTO = -28;

    private final Bpf bpf;
    private final int steerMap;
    private final FastPathMap fastPath;
    private final XdpFastPath.Helpers helpers;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment key = arena.allocate(24, 8);
    private final MemorySegment value = arena.allocate(8, 8);
    private final Set<SteeringEntry> entries = new HashSet<>();
    private final List<Port> ports = new ArrayList<>();
    private Port testPort;

    private XdpSteering(Bpf bpf, int steerMap, FastPathMap fastPath) {
        this.bpf = bpf;
        this.steerMap = steerMap;
        this.fastPath = fastPath;
        this.helpers = fastPath == null ? null : XdpFastPath.Helpers.probe(bpf);
    }

    /**
     * Creates the steering map (shared by the programs of every interface).
     *
     * @throws NativeException when the kernel refuses
     */
    public static XdpSteering create(int maxEntries) {
        return create(maxEntries, null);
    }

    /**
     * Creates the steering map; the programs of {@link #port} start with the fast path of {@code fastPath} (none
     * when null). The caller keeps and closes {@code fastPath}.
     *
     * @throws NativeException when the kernel refuses
     */
    public static XdpSteering create(int maxEntries, FastPathMap fastPath) {
        Bpf bpf = new Bpf();
        try {
            return new XdpSteering(bpf, bpf.createMap(Bpf.MAP_TYPE_HASH, SteeringEntry.KEY_SIZE, 4, maxEntries,
                "uvs_steer"), fastPath);
        } catch (RuntimeException e) {
            bpf.close();
            throw e;
        }
    }

    /**
     * The program of one interface with its own socket map (queue numbers are per interface), loaded and not
     * yet attached.
     *
     * @throws NativeException when the kernel refuses (with the verifier's log for the program)
     */
    public synchronized Port port(String ifname) {
        int xsk = bpf.createMap(Bpf.MAP_TYPE_XSKMAP, 4, 4, MAX_QUEUES, "uvs_xsks");
        try {
            byte[] insns = program(steerMap, xsk, fastPath == null ? -1 : fastPath.fd(), helpers);
            // GPL-compatible: the fast path's bpf_check_mtu is offered only to such programs
            Port p = new Port(ifname, xsk, bpf.loadProgram(Bpf.PROG_TYPE_XDP, insns, "GPL", "uvs_steer"));
            ports.add(p);
            return p;
        } catch (RuntimeException e) {
            bpf.close(xsk);
            throw e;
        }
    }

    /**
     * Makes the map hold exactly {@code wanted} (adds and removes the difference). Control path. Returns how many
     * entries did not fit (the map is full: their frames go to the kernel; they are tried again next time).
     */
    public synchronized int steer(Set<SteeringEntry> wanted) {
        for (SteeringEntry e : Set.copyOf(entries)) {
            if (!wanted.contains(e)) {
                e.writeKey(key);
                bpf.delete(steerMap, key);
                entries.remove(e);
            }
        }
        value.set(ValueLayout.JAVA_INT, 0, 1);
        int missing = 0;
        for (SteeringEntry e : wanted) {
            if (!entries.contains(e)) {
                e.writeKey(key);
                try {
                    bpf.update(steerMap, key, value, Bpf.UPDATE_ANY);
                    entries.add(e);
                } catch (NativeException full) {
                    if (full.errno() != Errno.E2BIG && full.errno() != Errno.ENOMEM) {
                        throw full;
                    }
                    missing++;
                }
            }
        }
        return missing;
    }

    /** What the map holds now. */
    public synchronized Set<SteeringEntry> entries() {
        return Set.copyOf(entries);
    }

    /** Whether the kernel's map holds {@code e} (for tests and diagnostics). */
    public synchronized boolean holds(SteeringEntry e) {
        e.writeKey(key);
        return bpf.lookup(steerMap, key, value);
    }

    /** Runs the program once on {@code frame} and returns the verdict (BPF_PROG_TEST_RUN). */
    public synchronized int verdict(byte[] frame) {
        return testRun(frame).verdict();
    }

    /** Runs the program once on {@code frame} (BPF_PROG_TEST_RUN): the verdict and the frame as it left it. */
    public synchronized Bpf.TestRun testRun(byte[] frame) {
        if (testPort == null) {
            testPort = port("test");
        }
        return bpf.testRunFrame(testPort.program, frame);
    }

    /**
     * Runs the program {@code repeat} times on {@code frame}, each run on the frame as the previous one left it,
     * and returns the kernel's average nanoseconds per run (BPF_PROG_TEST_RUN; for measurements).
     */
    public synchronized int nanosPerRun(byte[] frame, int repeat) {
        if (testPort == null) {
            testPort = port("test");
        }
        return bpf.testRunNanos(testPort.program, frame, repeat);
    }

    /** Detaches and unloads every port's program and frees the maps. */
    @Override
    public synchronized void close() {
        ports.forEach(Port::close);
        ports.clear();
        bpf.close(steerMap);
        bpf.close();
        arena.close();
    }

    /** The steering program of one interface: its socket map, the program and, once attached, the BPF link. */
    public final class Port implements AutoCloseable {
        private final String ifname;
        private final int xskMap;
        private final int program;
        private int link = -1;
        private String mode = "detached";

        private Port(String ifname, int xskMap, int program) {
            this.ifname = ifname;
            this.xskMap = xskMap;
            this.program = program;
        }

        /**
         * Attaches the program to the interface through a BPF link: native (driver) mode when the driver has it,
         * else generic mode ({@code generic}: generic mode only). The kernel removes a link's program when its
         * last descriptor closes, also when the process is killed, so UVS never leaves a program behind.
         *
         * @return "native" or "generic"
         * @throws NativeException when neither mode attaches
         * @throws IllegalStateException when another program is attached (EBUSY)
         */
        public String attach(int ifindex, boolean generic) {
            synchronized (XdpSteering.this) {
                if (!generic) {
                    try {
                        link = bpf.attachXdp(program, ifindex, Bpf.XDP_FLAGS_DRV_MODE, ifname);
                        mode = "native";
                        return mode;
                    } catch (NativeException e) {
                        if (e.errno() == Errno.EBUSY || e.errno() == Errno.EEXIST) {
                            throw busy(e);
                        }
                        // the driver has no native XDP: generic mode works on every device
                    }
                }
                try {
                    link = bpf.attachXdp(program, ifindex, Bpf.XDP_FLAGS_SKB_MODE, ifname);
                } catch (NativeException g) {
                    throw busy(g);
                }
                mode = "generic";
                return mode;
            }
        }

        /** Detaches the program (closes the link); it stays loaded and can be attached again. */
        public void detach() {
            synchronized (XdpSteering.this) {
                bpf.close(link);
                link = -1;
                mode = "detached";
            }
        }

        private RuntimeException busy(NativeException e) {
            if (e.errno() == Errno.EBUSY || e.errno() == Errno.EEXIST) {
                return new IllegalStateException(ifname + " already has an XDP program that is not UVS's (UVS "
                    + "attaches through BPF links, which the kernel removes when uvsd exits); see it with 'ip -d "
                    + "link show dev " + ifname + "' and remove it with 'ip link set dev " + ifname + " xdp off' "
                    + "if nothing needs it", e);
            }
            return e;
        }

        /** "native", "generic" or "detached". */
        public String mode() {
            return mode;
        }

        /** Puts AF_XDP socket {@code socketFd} at index {@code queue} of this interface's socket map. */
        public void bindQueue(int queue, int socketFd) {
            synchronized (XdpSteering.this) {
                key.set(ValueLayout.JAVA_INT, 0, queue);
                value.set(ValueLayout.JAVA_INT, 0, socketFd);
                bpf.update(xskMap, key, value, Bpf.UPDATE_ANY);
            }
        }

        /** Detaches (closes the link) and unloads. */
        @Override
        public void close() {
            synchronized (XdpSteering.this) {
                detach();
                bpf.close(program);
                bpf.close(xskMap);
            }
        }
    }

    /**
     * The program's instructions for maps {@code steerFd} and {@code xskFd}, after the fast path of flow map
     * {@code flowFd} (with {@code helpers}) unless it is negative.
     */
    static byte[] program(int steerFd, int xskFd, int flowFd, XdpFastPath.Helpers helpers) {
        EbpfAssembler a = new EbpfAssembler();
        a.movReg(R6, R1);
        if (flowFd >= 0) {
            XdpFastPath.emit(a, flowFd, helpers, XdpFastPath.Hook.XDP);
        }
        a.label("steer")
            .load(W, R7, R6, 0) // xdp_md.data
            .load(W, R8, R6, 4) // xdp_md.data_end
            .storeImm(DW, R10, KEY, 0)
            .storeImm(DW, R10, KEY + 8, 0)
            .storeImm(DW, R10, KEY + 16, 0);
        bounds(a, R7, 14);
        // EtherType, read little-endian: 0x0800 reads as 0x0008
        a.load(H, R1, R7, 12)
            .jump(JEQ, R1, 0x0008, "v4")
            .jump(JEQ, R1, 0xdd86, "v6")
            .jump(JEQ, R1, 0x0608, "arp")
            .label("pass").mov(R0, Bpf.XDP_PASS).exit();

        a.label("v4");
        bounds(a, R7, 34);
        a.load(B, R1, R7, 23).store(B, R10, PROTO, R1)
            .load(H, R1, R7, 20).jump(EbpfAssembler.JSET, R1, 0xff3f, "v4addr") // MF or an offset: a fragment
            .load(B, R3, R7, 14).alu(AND, R3, 0x0f).alu(LSH, R3, 2)
            .jump(JLT, R3, 20, "pass")
            .movReg(R9, R7).alu(ADD, R9, 14).aluReg(ADD, R9, R3)
            .load(B, R1, R10, PROTO)
            .jump(JEQ, R1, 6, "v4ports").jump(JEQ, R1, 17, "v4ports").jump(JEQ, R1, 132, "v4ports")
            .jump(JNE, R1, 1, "pass");
        bounds(a, R9, 1);
        a.load(B, R1, R9, 0) // ICMP type: only errors (unreachable, source quench, redirect, time exceeded, parameter problem)
            .jump(JEQ, R1, 3, "v4addr").jump(JEQ, R1, 4, "v4addr").jump(JEQ, R1, 5, "v4addr")
            .jump(JEQ, R1, 11, "v4addr").jump(JEQ, R1, 12, "v4addr").ja("pass");
        a.label("v4ports");
        bounds(a, R9, 4);
        a.load(H, R1, R9, 0).store(H, R10, SPORT, R1)
            .load(H, R1, R9, 2).store(H, R10, DPORT, R1)
            .load(W, R1, R7, 30).store(W, R10, KEY, R1);
        portLookups(a, steerFd, "v4src");
        a.label("v4src").load(W, R1, R7, 26).store(W, R10, KEY, R1);
        sourceLookups(a, steerFd);
        a.ja("pass");
        a.label("v4addr").load(W, R1, R7, 30).store(W, R10, KEY, R1);
        lookup(a, steerFd);
        a.load(W, R1, R7, 26).store(W, R10, KEY, R1).storeImm(B, R10, KEY_KIND, SteeringEntry.REAL_SERVER);
        lookup(a, steerFd);
        a.ja("pass");

        a.label("v6");
        bounds(a, R7, 54);
        a.load(B, R1, R7, 20).store(B, R10, PROTO, R1)
            .movReg(R9, R7).alu(ADD, R9, 54)
            .jump(JEQ, R1, 6, "v6ports").jump(JEQ, R1, 17, "v6ports").jump(JEQ, R1, 132, "v6ports")
            .jump(JEQ, R1, 44, "v6addr") // fragment header
            .jump(JNE, R1, 58, "pass");
        bounds(a, R9, 1);
        a.load(B, R1, R9, 0)
            .jump(JEQ, R1, 135, "solicit")
            .jump(JEQ, R1, 0, "pass")
            .jump(JGT, R1, 4, "pass") // ICMPv6 errors are types 1-4
            .ja("v6addr");
        a.label("solicit");
        bounds(a, R9, 24);
        a.load(DW, R1, R9, 8).store(DW, R10, KEY, R1)
            .load(DW, R1, R9, 16).store(DW, R10, KEY + 8, R1)
            .storeImm(B, R10, KEY_KIND, SteeringEntry.ANNOUNCED);
        lookup(a, steerFd);
        a.ja("pass");
        a.label("v6ports");
        bounds(a, R9, 4);
        a.load(H, R1, R9, 0).store(H, R10, SPORT, R1)
            .load(H, R1, R9, 2).store(H, R10, DPORT, R1);
        v6Address(a, 38);
        portLookups(a, steerFd, "v6src");
        a.label("v6src");
        v6Address(a, 22);
        sourceLookups(a, steerFd);
        a.ja("pass");
        a.label("v6addr");
        v6Address(a, 38);
        lookup(a, steerFd);
        v6Address(a, 22);
        a.storeImm(B, R10, KEY_KIND, SteeringEntry.REAL_SERVER);
        lookup(a, steerFd);
        a.ja("pass");

        a.label("arp");
        bounds(a, R7, 42);
        a.load(H, R1, R7, 20).jump(JNE, R1, 0x0100, "pass") // a request
            .load(H, R1, R7, 16).jump(JNE, R1, 0x0008, "pass") // for IPv4
            .load(W, R1, R7, 38).store(W, R10, KEY, R1)
            .storeImm(B, R10, KEY_KIND, SteeringEntry.ANNOUNCED);
        lookup(a, steerFd);
        a.ja("pass");

        a.label("hit")
            .loadMap(R1, xskFd)
            .load(W, R2, R6, 16) // xdp_md.rx_queue_index
            .mov(R3, 0)
            .call(HELPER_REDIRECT_MAP)
            .exit();
        return a.assemble();
    }

    /** Passes the frame unless {@code need} bytes from {@code reg} lie within it. */
    private static void bounds(EbpfAssembler a, int reg, int need) {
        a.movReg(R1, reg).alu(ADD, R1, need).jumpReg(JGT, R1, R8, "pass");
    }

    /** Looks the key up; on a hit, goes to the redirect. Clobbers R0-R5. */
    private static void lookup(EbpfAssembler a, int steerFd) {
        a.loadMap(R1, steerFd)
            .movReg(R2, R10).alu(ADD, R2, KEY)
            .call(HELPER_MAP_LOOKUP)
            .jump(JNE, R0, 0, "hit");
    }

    private static void v6Address(EbpfAssembler a, int offset) {
        a.load(DW, R1, R7, offset).store(DW, R10, KEY, R1)
            .load(DW, R1, R7, offset + 8).store(DW, R10, KEY + 8, R1);
    }

    /** Service lookups with the destination already in the key: by port, then port-less; then {@code next}. */
    private static void portLookups(EbpfAssembler a, int steerFd, String next) {
        a.load(H, R1, R10, DPORT).store(H, R10, KEY_PORT, R1)
            .load(B, R1, R10, PROTO).store(B, R10, KEY_PROTO, R1);
        lookup(a, steerFd);
        a.storeImm(H, R10, KEY_PORT, 0);
        lookup(a, steerFd);
        a.ja(next);
    }

    /** NAT real server lookups with the source in the key: by its port, then port-less. */
    private static void sourceLookups(EbpfAssembler a, int steerFd) {
        a.load(H, R1, R10, SPORT).store(H, R10, KEY_PORT, R1)
            .storeImm(B, R10, KEY_KIND, SteeringEntry.REAL_SERVER);
        lookup(a, steerFd);
        a.storeImm(H, R10, KEY_PORT, 0);
        lookup(a, steerFd);
    }
}
