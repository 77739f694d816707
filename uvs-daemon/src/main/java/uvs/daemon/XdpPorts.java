package uvs.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import uvs.core.Engine;
import uvs.core.net.IpAddress;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServer;
import uvs.core.svc.ServiceKey;
import uvs.core.svc.VirtualService;
import uvs.net.bpf.SteeringEntry;
import uvs.net.bpf.XdpSteering;
import uvs.net.dataplane.Link;
import uvs.net.io.AfXdpIo;
import uvs.net.sys.Capabilities;
import uvs.net.sys.Libc;

/**
 * The AF_XDP ports of the data plane: UVS's steering program attached to every data-plane interface (native
 * mode where the driver has it, else generic) through BPF links, one {@link AfXdpIo} per interface with a socket
 * per receive queue, and the steering map kept equal to the configuration (virtual services, NAT real servers,
 * announced addresses).
 */
final class XdpPorts implements AutoCloseable {
    private final XdpSteering steering;
    private final List<XdpSteering.Port> programs;
    private final List<AfXdpIo> ports;
    private final String summary;

    private XdpPorts(XdpSteering steering, List<XdpSteering.Port> programs, List<AfXdpIo> ports, String summary) {
        this.steering = steering;
        this.programs = programs;
        this.ports = ports;
        this.summary = summary;
    }

    /** Why AF_XDP cannot serve this data plane, or null when it can be tried. */
    static String unsupported(int workers, List<Link> links) {
        if (workers > 1) {
            return "--workers " + workers + ": an AF_XDP socket gets the frames of its receive queue only, so "
                + "both directions of a connection would not meet on one shard; AF_XDP runs one worker";
        }
        if (!Capabilities.current().has(Capabilities.CAP_SYS_ADMIN)) {
            return "loading the XDP program needs CAP_SYS_ADMIN (or CAP_BPF)";
        }
        for (Link l : links) {
            if (l.mtu() + 14 > AfXdpIo.Options.DEFAULT.maxFrameLength()) {
                return l.name() + ": MTU " + l.mtu() + " does not fit an AF_XDP frame of "
                    + AfXdpIo.Options.DEFAULT.maxFrameLength() + " bytes";
            }
        }
        return null;
    }

    /**
     * Attaches the steering program to each of {@code links} and opens their ports (the first port also reads the
     * ARP/ND frames the kernel keeps). On failure nothing stays attached or open.
     */
    static XdpPorts open(List<Link> links, Set<SteeringEntry> entries) {
        XdpSteering steering = XdpSteering.create(XdpSteering.DEFAULT_ENTRIES);
        List<XdpSteering.Port> programs = new ArrayList<>();
        List<AfXdpIo> ports = new ArrayList<>();
        try {
            steering.steer(entries);
            List<String> parts = new ArrayList<>();
            for (Link l : links) {
                XdpSteering.Port program = steering.port(l.name());
                programs.add(program);
                int queues = rxQueues(l.name());
                AfXdpIo io = AfXdpIo.open(l.name(), l.mac(), queues, program, AfXdpIo.Options.DEFAULT, true);
                ports.add(io);
                String mode = program.attach(Libc.ifIndex(l.name()), false);
                parts.add(l.name() + ": " + mode + " XDP, " + io.bindMode() + " AF_XDP, " + queues
                    + (queues == 1 ? " queue" : " queues"));
            }
            return new XdpPorts(steering, programs, ports, String.join("; ", parts));
        } catch (RuntimeException e) {
            ports.forEach(AfXdpIo::close);
            steering.close();
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

    /** Per interface: XDP mode, AF_XDP bind mode, queues. */
    String summary() {
        return summary;
    }

    /** Makes the steering map hold {@code entries}. */
    void steer(Set<SteeringEntry> entries) {
        steering.steer(entries);
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
    }
}
