package uvs.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.CompositeAgent;
import org.agrona.concurrent.IdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uvs.core.Engine;
import uvs.core.SyncUpdate;
import uvs.core.net.Af;
import uvs.core.net.IpAddress;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServer;
import uvs.core.svc.VirtualService;
import uvs.ctl.model.DataPlaneSpec;
import uvs.ctl.model.FastPathChoice;
import uvs.ctl.model.PacketIoChoice;
import uvs.net.bpf.FastPathMap;
import uvs.net.bpf.SteeringEntry;
import uvs.net.bpf.TcFastPath;
import uvs.net.dataplane.DataPlaneCounters;
import uvs.net.dataplane.DataPlaneWorker;
import uvs.net.dataplane.KernelNextHops;
import uvs.net.dataplane.Link;
import uvs.net.dataplane.NeighbourTable;
import uvs.net.dataplane.RouteWatch;
import uvs.net.dataplane.Shard;
import uvs.net.dataplane.ShardInbox;
import uvs.net.io.AfPacketIo;
import uvs.net.io.PacketIo;
import uvs.net.io.PacketIoStats;
import uvs.net.io.ProtocolPorts;
import uvs.net.io.ShardSteering;
import uvs.net.packet.Ethernet;
import uvs.net.sys.Capabilities;
import uvs.net.sys.LinkInfo;
import uvs.net.sys.RouteTable;
import uvs.sync.backup.SyncApplier;
import uvs.time.NanoClock;

/**
 * uvsd's packet data plane: checks the capabilities, opens one packet port per worker on each data-plane
 * interface ({@code --io}: AF_PACKET, or AF_XDP sockets fed by UVS's XDP steering program, see {@link XdpPorts})
 * and runs a {@link DataPlaneWorker} on each engine shard's thread (the shard's single writer); a
 * worker sends each packet out of the interface the kernel's routes reach its next hop through. The routes
 * and the kernel's neighbours come from one {@link RouteWatch} (a netlink listener opened in uvsd's network
 * namespace) run on shard 0's thread beside worker 0. Each worker is an Agrona {@link Agent} invoked by an
 * {@link AgentInvoker} every cycle of its engine's thread, which waits with the worker's
 * {@link DataPlaneWorker#idleStrategy} (poll(2) on the ports) when a cycle found nothing to do; what the
 * worker throws goes to the {@link Supervisor}: counted and logged once, the loop goes on, and an
 * {@link Error} stops uvsd. With several
 * workers the ports of each interface form a PACKET_FANOUT group whose classic BPF program
 * ({@link ShardSteering}) sends both directions of every client's connections to the same worker, whichever
 * interface they arrive on; the program follows the configuration (NAT real servers, persistence netmasks).
 * Worker 0 keeps the neighbour caches (one per interface) and the announced addresses.
 */
public final class DataPlane implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DataPlane.class);
    private static final long STEERING_CHECK_NANOS = 1_000_000_000L;
    /** How long start-up waits for the kernel's route dump. */
    private static final long ROUTE_DUMP_NANOS = 5_000_000_000L;

    private final DataPlaneSpec spec;
    private final EngineGroup engines;
    /** Every port; worker i's are {@code ports.subList(i * interfaces, (i + 1) * interfaces)}. */
    private final List<? extends PacketIo> ports;
    /** The AF_XDP ports and their steering, or null on AF_PACKET. */
    private final XdpPorts xdp;
    /** The ports as opened, with the fast path's program and flow map when there is one. */
    private final Ports opened;
    /** Which packet port runs, as {@code -L --dataplane} shows it. */
    private final String io;
    private Set<SteeringEntry> steered = Set.of();
    private int unserved;
    private int missingEntries;
    private final RealServerReach reach;
    private final List<DataPlaneWorker> workers;
    /** Each worker's agent (worker 0's with the route listener) as its engine thread invokes it. */
    private final List<AgentInvoker> invokers;
    /** The route and neighbour listener (run beside worker 0). */
    private final RouteWatch watch;
    private final List<Shard> shards;
    private final NanoClock clock;
    private SteeringInputs steeringInputs;
    private long nextSteeringCheck;
    private long nextXdpCheck;

    private DataPlane(DataPlaneSpec spec, EngineGroup engines, Ports opened, List<DataPlaneWorker> workers,
                      List<AgentInvoker> invokers, KernelNextHops routes, RouteWatch watch, List<Shard> shards,
                      SteeringInputs inputs, NanoClock clock) {
        this.watch = watch;
        this.spec = spec;
        this.xdp = opened.xdp();
        this.io = opened.description();
        this.reach = new RealServerReach(spec.interfaces(), routes::table);
        this.invokers = invokers;
        this.engines = engines;
        this.ports = opened.ports();
        this.opened = opened;
        this.workers = workers;
        this.shards = shards;
        this.steeringInputs = inputs;
        this.clock = clock;
    }

    /**
     * Starts the data plane of {@code spec}: one worker per engine shard of {@code engines}; a sync backup
     * started later routes each entry to the shard owning its client. Failures of the workers go to
     * {@code supervisor}.
     *
     * @throws IllegalArgumentException when a capability is missing, the interface does not exist or the
     *     kernel would forward the same packets (nothing is started then)
     */
    public static DataPlane start(DataPlaneSpec spec, EngineGroup engines, SyncDaemonGroup daemons, NanoClock clock,
                                  Supervisor supervisor) {
        String what = "uvsd --interface " + spec.names();
        Capabilities.current().requireNetAdmin(what);
        List<Link> links = new ArrayList<>();
        int[] ifindex = new int[spec.interfaces().size()];
        for (String iface : spec.interfaces()) {
            LinkInfo info = LinkInfo.of(iface);
            ifindex[links.size()] = info.ifindex();
            checkKernelForwarding(iface);
            List<IpAddress> addresses = new ArrayList<>();
            info.addresses().forEach(a -> addresses.add(a.address()));
            links.add(new Link(info.name(), info.mac(), info.mtu(), addresses));
        }
        int n = engines.size();
        int k = links.size();
        Ports opened = null;
        RouteWatch watch = null;
        try {
            SteeringInputs inputs = engines.primary().call(SteeringInputs::of, 30);
            ShardSteering steering = n == 1 ? null : inputs.steering(n);
            opened = openPorts(spec, links, n, steering, engines);
            List<? extends PacketIo> ports = opened.ports();
            List<ShardInbox> inboxes = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                inboxes.add(new ShardInbox(ShardInbox.DEFAULT_CAPACITY));
            }
            List<NeighbourTable> neighbours = new ArrayList<>();
            for (int p = 0; p < k; p++) {
                neighbours.add(new NeighbourTable(NeighbourTable.DEFAULT_CAPACITY));
            }
            // one route table for all workers, written by the listener on shard 0's thread
            KernelNextHops routes = new KernelNextHops(spec.interfaces(), RouteTable.of(List.of()));
            watch = engines.primary().call(e -> {
                RouteWatch rw = new RouteWatch(spec.interfaces(), ifindex, routes, neighbours, clock);
                try {
                    if (!rw.awaitRoutes(ROUTE_DUMP_NANOS)) {
                        LOG.warn("data plane: the kernel's route dump did not end within {} s; routes follow as "
                            + "they come", ROUTE_DUMP_NANOS / 1_000_000_000L);
                    }
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
                return rw;
            }, 30);
            List<Shard> shards = new ArrayList<>();
            List<DataPlaneWorker> workers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Shard shard = new Shard(i, inboxes, neighbours, steering);
                List<? extends PacketIo> own = ports.subList(i * k, (i + 1) * k);
                DataPlaneWorker w = engines.agent(i).call(engine -> new DataPlaneWorker(engine, own, links, routes,
                    clock, spec.burst(), shard, spec.queueLength()), 30);
                shards.add(shard);
                workers.add(w);
            }
            FastPathMap fastPath = opened.fastPath();
            if (fastPath != null) {
                for (int i = 0; i < n; i++) {
                    DataPlaneWorker w = workers.get(i);
                    engines.agent(i).call(e -> {
                        w.offload(fastPath, ifindex, fastPath.capacity());
                        return null;
                    }, 30);
                }
            }
            DataPlaneWorker first = workers.get(0);
            engines.primary().call(e -> {
                spec.announce().forEach(first.announced()::add);
                return null;
            }, 30);
            List<AgentInvoker> invokers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                DataPlaneWorker w = workers.get(i);
                // AF_XDP sockets get their queue's frames, whatever the client: the workers pass them on
                w.handOffByClient(opened.xdp() != null && n > 1);
                ErrorHandler errors = errorHandler(supervisor, w.roleName());
                w.errorHandler(errors);
                Agent agent = i == 0 ? new CompositeAgent(w, watch) : w;
                AgentInvoker invoker = new AgentInvoker(errors, null, agent);
                invoker.start();
                invokers.add(invoker);
                IdleStrategy idle = w.idleStrategy();
                engines.agent(i).addCycleWork(e -> invoker.invoke());
                engines.agent(i).idleStrategy(millis -> idle.idle());
            }
            DataPlane dp = new DataPlane(spec, engines, opened, workers, invokers, routes, watch, shards, inputs, clock);
            if (n > 1) {
                engines.primary().addCycleWork(dp::checkSteering);
                daemons.router(dp.syncRouter(engines.primary().engine()));
            }
            if (dp.xdp != null) {
                dp.refreshSteering();
                engines.primary().addCycleWork(dp::checkXdpSteering);
            }
            LOG.info("data plane io: {}", dp.io);
            for (Link l : links) {
                LOG.info("data plane on {} (MAC {}, MTU {}, addresses {})", l.name(), Ethernet.macText(l.mac()), l.mtu(),
                    l.addresses());
            }
            LOG.info("data plane: {} worker(s), {} packet(s) kept per unresolved neighbour, announcing {}", n,
                spec.queueLength(), spec.announce());
            dp.logUnreachable();
            return dp;
        } catch (Exception e) {
            if (opened != null) {
                opened.close();
            }
            if (watch != null) {
                watch.onClose();
            }
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
    }

    /**
     * Where a worker's failures go: the supervisor counts it ({@code uvs_daemon_thread_errors_total}) and logs
     * it once with its stack, and the worker goes on; an {@link Error} stops uvsd.
     */
    static ErrorHandler errorHandler(Supervisor supervisor, String part) {
        // not errorHandlerFor(part): its pause after each failure would hold up the rest of a burst
        return e -> {
            if (e instanceof Error) {
                supervisor.fatal(part, e);
            } else {
                supervisor.onError(part, e);
            }
        };
    }

    /**
     * The opened ports: AF_XDP ones with their steering (and the XDP fast path's map), or AF_PACKET ones (with
     * the fast path at tcx, its program and map, when it is on).
     */
    private record Ports(List<? extends PacketIo> ports, XdpPorts xdp, TcFastPath tc, FastPathMap tcFlows,
                         String description) {
        Ports(List<? extends PacketIo> ports, XdpPorts xdp, String description) {
            this(ports, xdp, null, null, description);
        }

        FastPathMap fastPath() {
            return xdp != null ? xdp.fastPath() : tcFlows;
        }

        void close() {
            if (xdp != null) {
                xdp.close();
                return;
            }
            if (tc != null) {
                tc.close(); // the links first: the kernel detaches the program
            }
            ports.forEach(PacketIo::close);
            if (tcFlows != null) {
                tcFlows.close();
            }
        }
    }

    /**
     * Opens the ports {@code --io} asks for; with {@code auto}, AF_XDP when it can serve this data plane and
     * opens, else AF_PACKET, saying why in the description the start-up log line shows.
     */
    private static Ports openPorts(DataPlaneSpec spec, List<Link> links, int n, ShardSteering steering,
                                   EngineGroup engines) throws Exception {
        String why = "--io af_packet";
        if (spec.io() != PacketIoChoice.AF_PACKET) {
            Capabilities caps = Capabilities.current();
            String unsupported = caps.has(Capabilities.CAP_BPF) || caps.has(Capabilities.CAP_SYS_ADMIN)
                ? XdpPorts.unsupported(n, links, XdpPorts::rxQueues)
                : "loading the XDP program needs CAP_BPF (or CAP_SYS_ADMIN)";
            if (unsupported == null) {
                try {
                    Set<SteeringEntry> entries = engines.primary().call(e -> XdpPorts.entries(e, spec.announce(),
                        new int[2]), 30);
                    XdpPorts x = XdpPorts.open(links, entries, n, fastPathEntries(spec, links));
                    return new Ports(x.ports(), x, "af_xdp (" + x.summary() + ")");
                } catch (RuntimeException e) {
                    if (spec.io() == PacketIoChoice.AF_XDP) {
                        throw e;
                    }
                    why = "AF_XDP did not open: " + e.getMessage();
                }
            } else if (spec.io() == PacketIoChoice.AF_XDP) {
                throw new IllegalArgumentException("--io af_xdp: " + unsupported);
            } else {
                why = "AF_XDP not used: " + unsupported;
            }
        }
        boolean tcx = spec.fastPath() == FastPathChoice.ON;
        if (spec.fastPath() == FastPathChoice.AUTO) {
            LOG.info("data plane: fast path off over AF_PACKET; --fast-path on puts it at traffic control's ingress "
                + "(tcx, Linux 6.6 or later)");
        }
        List<PacketIo> ports = new ArrayList<>();
        FastPathMap flows = null;
        TcFastPath tc = null;
        try {
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < links.size(); p++) {
                    // the director's frames need no queueing discipline of this host: send straight to the driver
                    AfPacketIo.Options opts = AfPacketIo.Options.DEFAULT.withQdiscBypass(true);
                    if (n > 1) {
                        // one fanout group per interface, all steered alike
                        int group = (int) ((ProcessHandle.current().pid() + p) & 0xffff);
                        opts = opts.withFanout(AfPacketIo.Fanout.cbpf(group, steering.program()));
                    }
                    String name = spec.interfaces().get(p);
                    // with the fast path at tcx, sockets bound per protocol: they get only what it passed on
                    ports.add(tcx ? ProtocolPorts.open(name, opts) : AfPacketIo.open(name, opts));
                }
            }
            if (tcx) {
                flows = FastPathMap.create(spec.fastPathEntries());
                tc = TcFastPath.create(flows);
                for (Link l : links) {
                    try {
                        tc.attach(l.name());
                    } catch (RuntimeException e) {
                        throw new IllegalArgumentException("--fast-path on over AF_PACKET attaches UVS's program at "
                            + "traffic control's ingress (tcx, Linux 6.6 or later): " + e.getMessage(), e);
                    }
                }
            }
        } catch (RuntimeException e) {
            new Ports(ports, null, tc, flows, "").close(); // what did open, in Ports' order
            throw e;
        }
        String fast = tcx ? "; fast path at tcx, " + spec.fastPathEntries() + " entries" : "";
        return new Ports(ports, null, tc, flows, "af_packet (" + why + fast + ")");
    }

    /**
     * The fast path's map size for {@code --fast-path}, 0 for none: {@code auto} leaves it off on a virtual
     * interface (a veth drops the frames XDP sends back unless its peer runs an XDP program), saying so.
     */
    static int fastPathEntries(DataPlaneSpec spec, List<Link> links) {
        if (spec.fastPath() == FastPathChoice.OFF) {
            return 0;
        }
        if (spec.fastPath() == FastPathChoice.AUTO) {
            for (Link l : links) {
                if (Files.exists(Path.of("/sys/devices/virtual/net", l.name()))) {
                    LOG.info("data plane: XDP fast path off: {} is a virtual interface (veth), whose peer takes the "
                        + "frames an XDP program sends back only when it runs an XDP program itself; --fast-path on "
                        + "uses it anyway", l.name());
                    return 0;
                }
            }
        }
        return spec.fastPathEntries();
    }

    /**
     * Makes the XDP steering map match the configuration now (after a change of services, real servers or
     * announced addresses); nothing on AF_PACKET.
     */
    public void refreshSteering() throws Exception {
        if (xdp != null) {
            engines.primary().call(e -> {
                updateXdpSteering(e);
                return null;
            }, 30);
        }
    }

    /** Shard 0's thread, each cycle: once a second, catches configuration changes made by other paths. */
    private int checkXdpSteering(Engine e) {
        long now = clock.nanoTime();
        if (now - nextXdpCheck < 0) {
            return 0;
        }
        nextXdpCheck = now + STEERING_CHECK_NANOS;
        return updateXdpSteering(e) ? 1 : 0;
    }

    private boolean updateXdpSteering(Engine e) {
        int[] counts = new int[2];
        Set<SteeringEntry> entries = XdpPorts.entries(e, workers.get(0).announced().list(), counts);
        if (entries.equals(steered)) {
            return false;
        }
        int missing = xdp.steer(entries);
        if (missing != missingEntries && missing > 0) {
            LOG.warn("data plane on AF_XDP: {} of {} steering entries do not fit the XDP map; the frames of those "
                + "services and real servers do not reach UVS", missing, entries.size());
        }
        missingEntries = missing;
        if (missing > 0) {
            return true; // retried at the next check
        }
        steered = entries;
        int now = counts[0] * 1000 + counts[1];
        if (now != unserved && counts[0] > 0) {
            LOG.warn("data plane on AF_XDP: {} firewall-mark service(s) get no packets (the XDP program runs before "
                + "the firewall marks them); use --io af_packet for them", counts[0]);
        }
        if (now != unserved && counts[1] > 0) {
            LOG.warn("data plane on AF_XDP: {} service(s) have a local real server, which gets no packets (frames "
                + "for UVS do not reach this host's stack); use --io af_packet for them", counts[1]);
        }
        unserved = now;
        return true;
    }

    /** Real servers configured before the data plane started that no data-plane interface reaches: logged. */
    private void logUnreachable() throws Exception {
        List<IpAddress> all = engines.primary().call(e -> {
            List<IpAddress> rs = new ArrayList<>();
            for (VirtualService s : e.services()) {
                for (RealServer r : s.dests()) {
                    rs.add(r.address());
                }
            }
            return rs;
        }, 30);
        for (String problem : reach.problems(all.stream().distinct().toList())) {
            LOG.warn("{}: its packets will be dropped (no-route)", problem);
        }
    }

    /** What decides whether a real server can be added while the data plane runs. */
    public RealServerReach reach() {
        return reach;
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
        } catch (IOException e) {
            LOG.warn("cannot read {}: {}", p, e.getMessage());
        }
    }

    /** Sync entries received on shard 0 go to the shard that owns their client. */
    private SyncApplier syncRouter(Engine first) {
        Shard zero = shards.get(0);
        return u -> {
            int owner = zero.ownerOf(u);
            if (owner == 0) {
                return first.applySync(u);
            }
            return zero.inbox(owner).offerSync(u) ? SyncUpdate.Result.HANDED_OFF : SyncUpdate.Result.INBOX_FULL;
        };
    }

    /**
     * Shard 0's thread, each cycle: once a second, reprograms the fanout group when the NAT real servers or the
     * persistence netmasks changed (clients then move between shards only if their key changed).
     */
    private int checkSteering(Engine e) {
        long now = clock.nanoTime();
        if (now - nextSteeringCheck < 0) {
            return 0;
        }
        nextSteeringCheck = now + STEERING_CHECK_NANOS;
        SteeringInputs inputs = SteeringInputs.of(e);
        if (inputs.equals(steeringInputs)) {
            return 0;
        }
        ShardSteering steering = inputs.steering(shards.size());
        // one group per interface: the program is the group's, set through any of its sockets
        if (xdp == null) {
            for (int p = 0; p < spec.interfaces().size(); p++) {
                ((AfPacketIo) ports.get(p)).fanoutProgram(steering.program());
            }
        }
        shards.forEach(s -> s.steering(steering));
        steeringInputs = inputs;
        LOG.info("data plane steering updated: {} NAT real servers, client key mask {}", inputs.realServers().size(),
            Integer.toHexString(inputs.mask()));
        return 1;
    }

    /**
     * What the steering depends on: the NAT real servers (their packets are replies, keyed by destination)
     * and the narrowest IPv4 persistence netmask (a client subnet must stay on one shard, where its template is).
     */
    record SteeringInputs(List<IpAddress> realServers, int mask) {
        static SteeringInputs of(Engine e) {
            List<IpAddress> rs = new ArrayList<>();
            int mask = -1;
            for (VirtualService s : e.services()) {
                if (s.key().af() == Af.INET && s.config().isPersistent()) {
                    mask &= s.config().netmask();
                }
                for (RealServer r : s.dests()) {
                    if (r.forward() == ForwardMethod.MASQ && !rs.contains(r.address())) {
                        rs.add(r.address());
                    }
                }
            }
            return new SteeringInputs(List.copyOf(rs), mask);
        }

        ShardSteering steering(int workers) {
            return new ShardSteering(realServers, mask, workers);
        }
    }

    /** Starts answering ARP/ND for {@code a} (with gratuitous announcements); false if it already was. */
    public boolean announce(IpAddress a) throws Exception {
        boolean added = engines.primary().call(e -> workers.get(0).announced().add(a), 30);
        refreshSteering();
        return added;
    }

    /** Stops answering for {@code a}; false if it was not announced. */
    public boolean withdraw(IpAddress a) throws Exception {
        boolean removed = engines.primary().call(e -> workers.get(0).announced().remove(a), 30);
        refreshSteering();
        return removed;
    }

    /** The fast path's line of {@code uvsadm -L --dataplane}. */
    private String fastPathLine(DataPlaneCounters c) {
        FastPathMap map = opened.fastPath();
        if (map == null) {
            return "fast path off (--fast-path " + spec.fastPath().text() + ")\n";
        }
        return String.format("fast path entries %d of %d installs %d removals %d full %d folded packets %d "
            + "fold rounds %d%n", c.fastPathFlows, map.capacity(), c.fastPathInstalls, c.fastPathRemovals,
            c.fastPathFull, c.fastPathFolded, c.fastPathFoldRounds);
    }

    /** Whether UVS's BPF program (in XDP, or at tcx) forwards established flows itself. */
    public boolean fastPathOn() {
        return opened.fastPath() != null;
    }

    /** The listing of {@code uvsadm -L --dataplane}: all workers added up. */
    public String describe() throws Exception {
        int k = spec.interfaces().size();
        for (int i = 0; i < workers.size(); i++) {
            List<? extends PacketIo> own = ports.subList(i * k, (i + 1) * k);
            engines.agent(i).call(e -> {
                own.forEach(PacketIo::refreshStats);
                return null;
            }, 30);
        }
        List<IpAddress> announced = engines.primary().call(e -> workers.get(0).announced().list(), 30);
        DataPlaneCounters c = counters();
        PacketIoStats s = ioStats();
        StringBuilder sb = new StringBuilder();
        sb.append(spec.interfaces().size() == 1 ? "interface " : "interfaces ").append(spec.names())
            .append(", workers ").append(workers.size()).append('\n');
        sb.append("io ").append(io).append('\n');
        sb.append("announced ").append(announced).append('\n');
        sb.append(String.format("rx frames %d bytes %d ring-drops %d%n", s.rxFrames, s.rxBytes, s.rxDropped));
        sb.append(String.format("tx frames %d bytes %d dropped %d%n", s.txFrames, s.txBytes, s.txDropped));
        sb.append(String.format("packets %d forwarded %d replies %d engine-drops %d%n",
            c.packets, c.forwarded, c.replies, c.dropped));
        sb.append(String.format("icmp relayed %d sent %d; ttl-expired %d too-big %d malformed %d fragments %d%n",
            c.icmpRelayed, c.icmpSent, c.ttlExpired, c.tooBig, c.malformed, c.fragments));
        int known = 0;
        for (int p = 0; p < spec.interfaces().size(); p++) {
            known += workers.get(0).neighbours(p).size();
        }
        sb.append(String.format("neighbours %d requests %d passed %d misses %d no-route %d announcements %d%n",
            known, c.neighbourRequests, c.neighbourPassed, c.neighbourMisses, c.noRoute, c.announcements));
        sb.append(String.format("neighbour queue: %d per neighbour, overflows %d, unresolved %d%n", spec.queueLength(),
            c.neighbourQueueDrops, c.neighbourFailures));
        sb.append(String.format("kernel routes and neighbours: changes %d malformed %d resyncs %d; packet errors %d%n",
            watch.changes(), watch.malformed(), watch.resyncs(), c.errors));
        sb.append(fastPathLine(c));
        if (workers.size() > 1) {
            sb.append(String.format("shard hand-offs: sync entries applied %d, inbox refusals %d%n", c.syncApplied,
                inboxRefusals()));
            for (int i = 0; i < workers.size(); i++) {
                sb.append(String.format("  worker %d: rx %d packets %d forwarded %d replies %d%n", i,
                    rxFrames(i), workers.get(i).counters().packets, workers.get(i).counters().forwarded,
                    workers.get(i).counters().replies));
            }
        }
        return sb.toString();
    }

    private long rxFrames(int worker) {
        int k = spec.interfaces().size();
        long n = 0;
        for (int p = 0; p < k; p++) {
            n += ports.get(worker * k + p).stats().rxFrames;
        }
        return n;
    }

    private long inboxRefusals() {
        long n = 0;
        Shard s = shards.get(0);
        for (int i = 0; i < s.count(); i++) {
            n += s.inbox(i).refused();
        }
        return n;
    }

    /** The workers' counters added up (read racily by monitoring). */
    public DataPlaneCounters counters() {
        DataPlaneCounters sum = new DataPlaneCounters();
        workers.forEach(w -> sum.add(w.counters()));
        return sum;
    }

    /** The ports' counters added up (read racily by monitoring). */
    public PacketIoStats ioStats() {
        PacketIoStats sum = new PacketIoStats();
        ports.forEach(p -> sum.add(p.stats()));
        return sum;
    }

    /** The packet port in use: {@code af_xdp} or {@code af_packet}. */
    public String ioName() {
        return xdp != null ? "af_xdp" : "af_packet";
    }

    /** The interfaces, as {@code eth0,eth1}. */
    public String iface() {
        return spec.names();
    }

    /** Closes the ports (after the engine threads stopped). */
    @Override
    public void close() {
        opened.close(); // AF_XDP: the ports, then the links (the kernel detaches the programs); tcx: links first
        invokers.forEach(AgentInvoker::close); // the workers' scratch memory and the route listener's socket
    }
}
