package uvs.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToIntFunction;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import uvs.core.Engine;
import uvs.core.net.IpAddress;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServer;
import uvs.core.svc.ServiceKey;
import uvs.core.svc.VirtualService;
import uvs.net.bpf.FastPathMap;
import uvs.net.bpf.SteeringEntry;
import uvs.net.bpf.XdpSteering;
import uvs.net.dataplane.Link;
import uvs.net.io.AfXdpIo;
import uvs.net.sys.Libc;

/**
 * The AF_XDP ports of the data plane: UVS's steering program attached to every data-plane interface (native
 * mode where the driver has it, else generic) through BPF links, one {@link AfXdpIo} per interface with a socket
 * per receive queue, and the steering map kept equal to the configuration (virtual services, NAT real servers,
 * announced addresses).
 */
final class XdpPorts implements AutoCloseable {
    private final XdpSteering steering;
    private final FastPathMap fastPath;
    private final List<XdpSteering.Port> programs;
    private final List<AfXdpIo> ports;
    private final String summary;

    private XdpPorts(XdpSteering steering, FastPathMap fastPath, List<XdpSteering.Port> programs,
                     List<AfXdpIo> ports, String summary) {
        this.steering = steering;
        this.fastPath = fastPath;
        this.programs = programs;
        this.ports = ports;
        this.summary = summary;
    }

    /**
     * Why AF_XDP cannot serve this data plane (besides capabilities), or null when it can be tried.
     *
     * @param queues receive queues of an interface
     */
    static String unsupported(int workers, List<Link> links, ToIntFunction<String> queues) {
        for (Link l : links) {
            if (l.mtu() + 14 > AfXdpIo.Options.DEFAULT.maxFrameLength()) {
                return l.name() + ": MTU " + l.mtu() + " does not fit an AF_XDP frame of "
                    + AfXdpIo.Options.DEFAULT.maxFrameLength() + " bytes";
            }
            int q = queues.applyAsInt(l.name());
            if (workers > q) {
                return "--workers " + workers + ": " + l.name() + " has " + q + " receive queue" + (q == 1 ? "" : "s")
                    + ", and each worker needs its own AF_XDP socket on a queue of every interface (add queues: "
                    + "ethtool -L, or numrxqueues for veth)";
            }
        }
        return null;
    }

    /**
     * Attaches the steering program to each of {@code links} and opens the ports of {@code workers} workers:
     * worker i gets the sockets of queues i, i + workers, ... of every interface (worker 0's ports also read the
     * ARP/ND frames the kernel keeps). The ports are listed worker by worker, then by interface. With
     * {@code fastPathEntries} &gt; 0 the program starts with the XDP fast path over a flow map of that many
     * entries. On failure nothing stays attached or open.
     */
    static XdpPorts open(List<Link> links, Set<SteeringEntry> entries, int workers, int fastPathEntries) {
        FastPathMap fastPath = fastPathEntries > 0 ? FastPathMap.create(fastPathEntries) : null;
        XdpSteering steering;
        try {
            steering = XdpSteering.create(XdpSteering.DEFAULT_ENTRIES, fastPath);
        } catch (RuntimeException e) {
            if (fastPath != null) {
                fastPath.close();
            }
            throw e;
        }
        List<XdpSteering.Port> programs = new ArrayList<>();
        List<AfXdpIo> ports = new ArrayList<>();
        try {
            int missing = steering.steer(entries);
            if (missing > 0) {
                throw new IllegalArgumentException(missing + " steering entries do not fit the XDP map of "
                    + XdpSteering.DEFAULT_ENTRIES);
            }
            List<String> parts = new ArrayList<>();
            AfXdpIo[][] byWorker = new AfXdpIo[workers][links.size()];
            for (int p = 0; p < links.size(); p++) {
                Link l = links.get(p);
                XdpSteering.Port program = steering.port(l.name());
                programs.add(program);
                int queues = rxQueues(l.name());
                String bind = "";
                for (int w = 0; w < workers; w++) {
                    int worker = w;
                    int[] own = IntStream.range(0, queues).filter(q -> q % workers == worker).toArray();
                    AfXdpIo io = AfXdpIo.open(l.name(), l.mac(), own, program, AfXdpIo.Options.DEFAULT, w == 0);
                    byWorker[w][p] = io;
                    ports.add(io);
                    bind = io.bindMode();
                }
                String mode = program.attach(Libc.ifIndex(l.name()), false);
                parts.add(l.name() + ": " + mode + " XDP, " + bind + " AF_XDP, " + queues
                    + (queues == 1 ? " queue" : " queues"));
            }
            List<AfXdpIo> ordered = new ArrayList<>();
            for (AfXdpIo[] w : byWorker) {
                ordered.addAll(List.of(w));
            }
            if (fastPath != null) {
                parts.add("fast path " + fastPathEntries + " entries");
            }
            return new XdpPorts(steering, fastPath, programs, ordered, String.join("; ", parts));
        } catch (RuntimeException e) {
            ports.forEach(AfXdpIo::close);
            steering.close();
            if (fastPath != null) {
                fastPath.close();
            }
            throw e;
        }
    }

    /** Receive queues of {@code ifname} (from sysfs; 1 when it cannot be read). */
    static int rxQueues(String ifname) {
        Path dir = Path.of("/sys/class/net", ifname, "queues");
        try (Stream<Path> s = Files.list(dir)) {
            int n = (int) s.filter(p -> p.getFileName().toString().startsWith("rx-")).count();
            return Math.max(1, Math.min(n, XdpSteering.MAX_QUEUES));
        } catch (IOException e) {
            return 1;
        }
    }

    /** The ports, in the order of the links. */
    List<AfXdpIo> ports() {
        return ports;
    }

    /** The fast path's flow map, or null when the program has no fast path. */
    FastPathMap fastPath() {
        return fastPath;
    }

    /** Per interface: XDP mode, AF_XDP bind mode, queues. */
    String summary() {
        return summary;
    }

    /** Makes the steering map hold {@code entries}; returns how many did not fit. */
    int steer(Set<SteeringEntry> entries) {
        return steering.steer(entries);
    }

    /**
     * What the steering program must send to UVS for {@code e}'s configuration: each virtual service (address,
     * port, protocol) and its address (ICMP errors, fragments), each NAT real server (address, port, protocol)
     * and its address, each announced address. What AF_XDP cannot serve is counted in {@code unserved}:
     * [0] firewall-mark services (no address to match: the mark is set after XDP ran), [1] services with a
     * local real server (the kernel gets no copy of a redirected frame to deliver locally).
     */
    static Set<SteeringEntry> entries(Engine e, List<IpAddress> announced, int[] unserved) {
        Set<SteeringEntry> out = new HashSet<>();
        int fwmarks = 0;
        int local = 0;
        for (VirtualService s : e.services()) {
            ServiceKey k = s.key();
            boolean hasLocal = false;
            for (RealServer r : s.dests()) {
                hasLocal |= r.forward() == ForwardMethod.LOCAL;
            }
            if (hasLocal) {
                local++;
            }
            if (k.isFwmark()) {
                fwmarks++;
            } else {
                out.add(new SteeringEntry(SteeringEntry.SERVICE, k.address(), k.port(), k.protocol()));
                out.add(new SteeringEntry(SteeringEntry.SERVICE, k.address(), 0, 0));
            }
            for (RealServer r : s.dests()) {
                if (r.forward() != ForwardMethod.MASQ) {
                    continue;
                }
                if (k.isFwmark()) {
                    // any port of any protocol a mark may cover
                    for (int protocol : new int[] {6, 17, 132}) {
                        out.add(new SteeringEntry(SteeringEntry.REAL_SERVER, r.address(), 0, protocol));
                    }
                } else {
                    out.add(new SteeringEntry(SteeringEntry.REAL_SERVER, r.address(), r.port(), k.protocol()));
                }
                out.add(new SteeringEntry(SteeringEntry.REAL_SERVER, r.address(), 0, 0));
            }
        }
        for (IpAddress a : announced) {
            out.add(new SteeringEntry(SteeringEntry.ANNOUNCED, a, 0, 0));
        }
        unserved[0] = fwmarks;
        unserved[1] = local;
        return out;
    }

    /** Closes the ports, then the links (the kernel detaches the programs), then the maps. */
    @Override
    public void close() {
        ports.forEach(AfXdpIo::close);
        steering.close();
        if (fastPath != null) {
            fastPath.close();
        }
    }
}
