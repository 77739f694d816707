package uvs.daemon;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uvs.core.net.IpAddress;
import uvs.net.dataplane.DataPlaneCounters;
import uvs.net.dataplane.DataPlaneWorker;
import uvs.net.dataplane.KernelNextHops;
import uvs.net.dataplane.Link;
import uvs.net.io.AfPacketIo;
import uvs.net.io.PacketIoStats;
import uvs.net.sys.Capabilities;
import uvs.net.sys.LinkInfo;
import uvs.net.sys.RouteTable;
import uvs.time.NanoClock;

/**
 * uvsd's packet data plane: checks the capabilities, opens an AF_PACKET port on the interface and runs a
 * {@link DataPlaneWorker} on the engine thread (the engine's single writer). Announced addresses change
 * through the engine thread too.
 */
public final class DataPlane implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DataPlane.class);

    private final DataPlaneSpec spec;
    private final AfPacketIo io;
    private final DataPlaneWorker worker;
    private final EngineAgent agent;

    private DataPlane(DataPlaneSpec spec, AfPacketIo io, DataPlaneWorker worker, EngineAgent agent) {
        this.spec = spec;
        this.io = io;
        this.worker = worker;
        this.agent = agent;
    }

    /**
     * Starts the data plane of {@code spec} on {@code agent}'s engine.
     *
     * @throws IllegalArgumentException when a capability is missing, the interface does not exist or the
     *     kernel would forward the same packets (nothing is started then)
     */
    public static DataPlane start(DataPlaneSpec spec, EngineAgent agent, NanoClock clock) {
        String what = "uvsd --interface " + spec.iface();
        Capabilities.current().requireNetAdmin(what);
        LinkInfo info = LinkInfo.of(spec.iface());
        checkKernelForwarding(spec.iface());
        List<IpAddress> addresses = new ArrayList<>();
        info.addresses().forEach(a -> addresses.add(a.address()));
        Link link = new Link(info.name(), info.mac(), info.mtu(), addresses);
        AfPacketIo io = AfPacketIo.open(spec.iface(), AfPacketIo.Options.DEFAULT);
        try {
            DataPlaneWorker worker = agent.call(engine -> {
                DataPlaneWorker w = new DataPlaneWorker(engine, io, link,
                    new KernelNextHops(spec.iface(), RouteTable::load), clock, spec.burst(),
                    uvs.net.dataplane.NeighbourTable.DEFAULT_CAPACITY);
                spec.announce().forEach(w.announced()::add);
                return w;
            }, 30);
            agent.addCycleWork(e -> worker.doWork());
            agent.idleStrategy(worker::idle);
            LOG.info("data plane on {} (MAC {}, MTU {}), announcing {}", info.name(), macText(info.mac()), info.mtu(),
                spec.announce());
            return new DataPlane(spec, io, worker, agent);
        } catch (Exception e) {
            io.close();
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
    }

    /**
     * The director's kernel must not forward what UVS forwards, or every packet leaves twice: refuses an
     * interface with IPv4 forwarding on.
     */
    private static void checkKernelForwarding(String iface) {
        Path p = Path.of("/proc/sys/net/ipv4/conf", iface, "forwarding");
        try {
            if (Files.exists(p) && Files.readString(p).trim().equals("1")) {
                throw new IllegalArgumentException("uvsd --interface " + iface + ": the kernel forwards IPv4 on "
                    + iface + " (net.ipv4.conf." + iface + ".forwarding = 1), so every packet UVS forwards would "
                    + "leave twice; set it to 0");
            }
        } catch (java.io.IOException e) {
            LOG.warn("cannot read {}: {}", p, e.getMessage());
        }
    }

    /** Starts answering ARP/ND for {@code a} (with gratuitous announcements); false if it already was. */
    public boolean announce(IpAddress a) throws Exception {
        return agent.call(e -> worker.announced().add(a), 30);
    }

    /** Stops answering for {@code a}; false if it was not announced. */
    public boolean withdraw(IpAddress a) throws Exception {
        return agent.call(e -> worker.announced().remove(a), 30);
    }

    /** The listing of {@code uvsadm -L --dataplane}, taken on the engine thread. */
    public String describe() throws Exception {
        return agent.call(e -> {
            DataPlaneCounters c = worker.counters();
            io.refreshStats();
            PacketIoStats s = io.stats();
            StringBuilder sb = new StringBuilder();
            sb.append("interface ").append(spec.iface()).append('\n');
            sb.append("announced ").append(worker.announced().list()).append('\n');
            sb.append(String.format("rx frames %d bytes %d ring-drops %d%n", s.rxFrames, s.rxBytes, s.rxDropped));
            sb.append(String.format("tx frames %d bytes %d dropped %d%n", s.txFrames, s.txBytes, s.txDropped));
            sb.append(String.format("packets %d forwarded %d replies %d engine-drops %d%n",
                c.packets, c.forwarded, c.replies, c.dropped));
            sb.append(String.format("icmp relayed %d sent %d; ttl-expired %d too-big %d malformed %d fragments %d%n",
                c.icmpRelayed, c.icmpSent, c.ttlExpired, c.tooBig, c.malformed, c.fragments));
            sb.append(String.format("neighbours %d requests %d misses %d no-route %d announcements %d%n",
                worker.neighbours().size(), c.neighbourRequests, c.neighbourMisses, c.noRoute, c.announcements));
            return sb.toString();
        }, 30);
    }

    /** The worker's counters (read racily by monitoring). */
    public DataPlaneCounters counters() {
        return worker.counters();
    }

    /** The port's counters (read racily by monitoring). */
    public PacketIoStats ioStats() {
        return io.stats();
    }

    /** The interface. */
    public String iface() {
        return spec.iface();
    }

    private static String macText(long mac) {
        StringBuilder sb = new StringBuilder();
        for (int shift = 40; shift >= 0; shift -= 8) {
            sb.append(String.format("%02x", (mac >>> shift) & 0xff));
            if (shift > 0) {
                sb.append(':');
            }
        }
        return sb.toString();
    }

    /** Closes the port (after the engine thread stopped). */
    @Override
    public void close() {
        io.close();
        worker.close();
    }
}
