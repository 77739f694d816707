package uvs.net.dataplane;

import java.util.List;
import org.agrona.ErrorHandler;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import uvs.core.Decision;
import uvs.core.Engine;
import uvs.core.PacketHeader;
import uvs.core.SyncUpdate;
import uvs.core.Verdict;
import uvs.net.bpf.FastPathMap;
import uvs.net.forward.ChecksumCompletion;
import uvs.net.io.PacketIo;
import uvs.net.io.RxFrames;
import uvs.net.packet.Ethernet;
import uvs.net.packet.Frame;
import uvs.net.packet.FrameParser;
import uvs.time.NanoClock;

/**
 * One data-plane worker, an Agrona {@link Agent}: its {@link #doWork} is the receive loop — a burst of frames
 * from each port, one {@link Engine#process(PacketHeader[], Decision[], int)} call for the burst's IP packets,
 * and each frame to the part whose job it is: {@link Forwarder} (the engine's decisions, by each connection's
 * bound transmit), {@link IcmpRelay} (ICMP errors about connections), {@link NeighbourResponder} (ARP/ND),
 * {@link ShardHandOff} (frames of another shard), with {@link Egress} as the way out and
 * {@link Announcer} sending announcements once a second. Runs on the engine's thread: the engine has exactly
 * one writer. A frame whose handling throws is dropped, counted and reported to the error handler; the burst
 * goes on.
 *
 * <p>Packets that are not the engine's (the director's own traffic, sync, control) are left alone: the
 * director's kernel receives its own copy of every frame and handles those.
 */
public final class DataPlaneWorker implements Agent {
    /** Frames taken per burst. */
    public static final int DEFAULT_BURST = 64;
    /** Headroom a tunnel adds at most: outer IPv6 (40) + UDP (8) + GUE with remote checksum (12). */
    static final int MAX_ENCAP = 60;
    private static final long HOUSEKEEPING_NANOS = 1_000_000_000L;

    private final Engine engine;
    private final PacketIo[] ios;
    private final boolean[] received;
    private final Shard shard;
    private final NanoClock clock;
    private final DataPlaneCounters counters = new DataPlaneCounters();
    private final Egress egress;
    private final Forwarder forwarder;
    private final IcmpRelay icmpRelay;
    private final NeighbourResponder neighbours;
    private final Announcer announcer;
    private final ShardHandOff handOff;
    private final NeighbourTable[] tables;
    private final MessageHandler inboxHandler = this::onInbox;
    private final UnsafeBuffer inboxView = new UnsafeBuffer(0, 0);
    private final SyncUpdate syncUpdate = new SyncUpdate();
    private ErrorHandler errorHandler = e -> { };
    private FastPathOffload fastPath;

    private final RxFrames rx;
    private final UnsafeBuffer[] rxView;
    private final Frame[] frames;
    private final PacketHeader[] headers;
    private final Decision[] decisions;
    private final int[] rxIndex;
    private final Frame frame = new Frame();
    private final PacketHeader header = new PacketHeader();
    private long nextHousekeeping;

    /**
     * A worker for {@code engine} on port {@code io} of interface {@code link}, routing by {@code routes}.
     *
     * @param burst frames per burst
     * @param shard this worker's place among the interface's workers ({@link Shard#single} for one)
     */
    public DataPlaneWorker(Engine engine, PacketIo io, Link link, NextHops routes, NanoClock clock, int burst,
                           Shard shard) {
        this(engine, List.of(io), List.of(link), routes, clock, burst, shard, PendingFrames.DEFAULT_QUEUE_LENGTH);
    }

    /**
     * A worker for {@code engine} with one port per data-plane interface ({@code ios.get(i)} on
     * {@code links.get(i)}; the next hops' port numbers index these lists).
     *
     * @param burst frames per burst
     * @param shard this worker's place among the workers ({@link Shard#single} for one), with one neighbour
     *     cache per interface
     * @param queueLength frames kept per unresolved next hop (the kernel's {@code unres_qlen}); 0 drops them
     */
    public DataPlaneWorker(Engine engine, List<? extends PacketIo> ios, List<Link> links, NextHops routes,
                           NanoClock clock, int burst, Shard shard, int queueLength) {
        if (burst < 1 || burst > 1024) {
            throw new IllegalArgumentException("burst must be 1..1024, got " + burst);
        }
        if (ios.isEmpty() || ios.size() != links.size() || shard.interfaces() != links.size()) {
            throw new IllegalArgumentException(ios.size() + " ports for " + links.size() + " interfaces and "
                + shard.interfaces() + " neighbour caches");
        }
        this.engine = engine;
        this.ios = ios.toArray(PacketIo[]::new);
        Link[] ls = links.toArray(Link[]::new);
        this.clock = clock;
        this.shard = shard;
        this.tables = new NeighbourTable[ls.length];
        int smallest = Integer.MAX_VALUE;
        int largest = 0;
        for (int p = 0; p < tables.length; p++) {
            tables[p] = shard.neighbours(p);
            smallest = Math.min(smallest, ls[p].mtu());
            largest = Math.max(largest, ls[p].mtu());
        }
        this.received = new boolean[ls.length];
        // enough slots for a full queue toward 16 next hops at once
        PendingFrames pending = new PendingFrames(queueLength, Math.max(16, queueLength * 16),
            Math.max(largest, 1500) + Ethernet.HEADER_LENGTH + MAX_ENCAP);
        // room for a tunnelled or ICMP packet per received frame plus neighbour requests and answers
        this.egress = new Egress(this.ios, ls, routes, tables, pending, burst * 2 + 8,
            shard.keepsNeighbours() ? null : shard.inbox(0), counters, clock);
        // per-director seeds: GUE source ports and IP IDs need only differ between flows and packets
        int seed = (int) (clock.nanoTime() ^ ls[0].mac());
        IcmpSender icmp = new IcmpSender(egress, seed, counters);
        egress.onUnresolved(icmp::hostUnreachable);
        this.handOff = new ShardHandOff(shard);
        this.forwarder = new Forwarder(engine, egress, icmp, seed, counters, smallest);
        this.icmpRelay = new IcmpRelay(engine, handOff, forwarder);
        this.announcer = new Announcer(egress, counters);
        this.neighbours = new NeighbourResponder(engine, egress, handOff, tables, announcer.addresses(), counters);
        this.rx = new RxFrames(burst);
        this.rxView = new UnsafeBuffer[burst];
        this.frames = new Frame[burst];
        this.headers = new PacketHeader[burst];
        this.decisions = new Decision[burst];
        this.rxIndex = new int[burst];
        for (int i = 0; i < burst; i++) {
            rxView[i] = new UnsafeBuffer(0, 0);
            frames[i] = new Frame();
            headers[i] = new PacketHeader();
            decisions[i] = new Decision();
        }
    }

    /** Where a frame whose handling threw is reported (the frame is dropped and counted; the loop goes on). */
    public void errorHandler(ErrorHandler handler) {
        this.errorHandler = handler;
    }

    @Override
    public String roleName() {
        return "uvs-dataplane-" + shard.index();
    }

    /** One pass: the inbox, a burst from every port, the waiting frames, and (once a second) housekeeping. */
    @Override
    public int doWork() {
        long now = clock.nanoTime();
        egress.resetScratch();
        int work = 0;
        if (now - nextHousekeeping >= 0) {
            nextHousekeeping = now + HOUSEKEEPING_NANOS;
            work += housekeeping(now);
        }
        if (fastPath != null) {
            work += fastPath.doWork(now);
        }
        work += handOff.drain(inboxHandler);
        for (int p = 0; p < ios.length; p++) {
            int n = ios[p].receive(rx);
            received[p] = n > 0;
            if (n > 0) {
                work += n;
                egress.receivedOn(p);
                burst(p, n, now);
            }
        }
        // after the burst: an ARP/ND answer in it lets its waiting frames leave in this cycle
        work += egress.sendPending(now);
        // a frame may leave by another interface than it came in: every port sends before any ring is given back
        egress.flushAll();
        for (int p = 0; p < ios.length; p++) {
            if (received[p]) {
                ios[p].releaseReceived();
            }
        }
        return work;
    }

    private void burst(int p, int n, long now) {
        int m = 0;
        for (int i = 0; i < n; i++) {
            byte type = rx.packetType[i];
            if (type == RxFrames.OUTGOING || type == RxFrames.OTHERHOST) {
                continue;
            }
            try {
                if (classify(i, type, m, p, now)) {
                    rxIndex[m++] = i;
                }
            } catch (RuntimeException e) {
                failed(e);
            }
        }
        handOff.wakeHanded();
        if (m == 0) {
            return;
        }
        counters.packets += m;
        if (fastPath != null) {
            fastPath.beforeBurst(headers, m);
        }
        engine.process(headers, decisions, m);
        for (int j = 0; j < m; j++) {
            int i = rxIndex[j];
            Decision d = decisions[j];
            try {
                if (rx.checksumPartial[i] && d.verdict != Verdict.NOT_OURS && d.verdict != Verdict.DROP) {
                    ChecksumCompletion.complete(rxView[i], frames[j]);
                }
                act(rxView[i], rx.address[i], rx.length[i], frames[j], headers[j], d, p);
            } catch (RuntimeException e) {
                failed(e);
            }
        }
    }

    /** The forwarder carries out {@code d}; a forwarded packet that left now may take its flow to the fast path. */
    private void act(UnsafeBuffer b, long address, int length, Frame f, PacketHeader h, Decision d, int p) {
        if (fastPath == null) {
            forwarder.act(b, address, length, f, h, d);
            return;
        }
        long sent = egress.transmits();
        forwarder.act(b, address, length, f, h, d);
        // the packet itself left now (not queued for a MAC, not an ICMP error sent instead from scratch)
        if (egress.transmits() != sent && egress.lastAddress() == address) {
            fastPath.forwarded(h, d, p);
        }
    }

    /**
     * Parses frame {@code i} into slot {@code m}; true when it is an IP packet for this shard's engine (the
     * others are handled here: ICMP errors, ARP/ND, hand-offs, counted malformed frames and fragments).
     */
    private boolean classify(int i, byte type, int m, int p, long now) {
        UnsafeBuffer b = rxView[i];
        b.wrap(rx.address[i], rx.length[i]);
        Frame f = frames[m];
        PacketHeader h = headers[m].clear();
        FrameParser.parse(b, rx.length[i], f, h);
        switch (f.kind) {
            case Frame.IP -> {
                if (type != RxFrames.HOST) {
                    return false;
                }
                h.direction = engine.isNatRealServer(h.af, h.protocol, h.srcHi, h.srcLo, h.srcPort)
                    ? PacketHeader.DIR_OUTPUT : PacketHeader.DIR_INPUT;
                return !handOff.passPacket(h, b, rx.length[i], p);
            }
            case Frame.ICMP_ERROR -> {
                if (type == RxFrames.HOST) {
                    icmpRelay.relay(rx.address[i], rx.length[i], b, f, h, p);
                }
            }
            case Frame.ARP, Frame.NEIGHBOR_SOLICIT, Frame.NEIGHBOR_ADVERT ->
                neighbours.frame(b, rx.length[i], f, type, p, now);
            case Frame.MALFORMED -> counters.malformed++;
            case Frame.FRAGMENT -> counters.fragments++;
            default -> { }
        }
        return false;
    }

    private void failed(RuntimeException e) {
        counters.errors++;
        errorHandler.onError(e);
    }

    /**
     * A message another thread handed to this shard: a frame it owns, a sync entry for its engine, or (worker 0)
     * a next hop another worker needs the MAC of.
     */
    private void onInbox(int type, MutableDirectBuffer buffer, int index, int length) {
        try {
            if (type == ShardInbox.SYNC_UPDATE) {
                ShardInbox.readSync(buffer, index, syncUpdate);
                counters.syncApplied++;
                engine.applySync(syncUpdate);
                return;
            }
            if (type == ShardInbox.NEIGHBOUR_REQUEST) {
                int port = ShardInbox.requestPort(buffer, index);
                if (port >= 0 && port < ios.length) {
                    egress.request(port, ShardInbox.requestAf(buffer, index), ShardInbox.requestHi(buffer, index),
                        ShardInbox.requestLo(buffer, index), clock.nanoTime());
                }
                return;
            }
            int p = Math.min(ShardInbox.portOf(type), ios.length - 1);
            egress.receivedOn(p);
            inboxView.wrap(buffer.addressOffset() + index, length);
            PacketHeader h = header.clear();
            FrameParser.parse(inboxView, length, frame, h);
            switch (frame.kind) {
                case Frame.IP -> inboxPacket(length, p);
                case Frame.ICMP_ERROR -> icmpRelay.relay(inboxView.addressOffset(), length, inboxView, frame, h, p);
                case Frame.ARP, Frame.NEIGHBOR_SOLICIT, Frame.NEIGHBOR_ADVERT ->
                    neighbours.frame(inboxView, length, frame, RxFrames.HOST, p, clock.nanoTime());
                default -> { }
            }
        } catch (RuntimeException e) {
            failed(e);
        }
        // the ring slot is reused once this returns: send what it holds now
        egress.flushAll();
    }

    /** A packet another worker received for one of this shard's clients: decided and sent from the inbox slot. */
    private void inboxPacket(int length, int p) {
        PacketHeader h = headers[0].clear();
        Frame f = frames[0];
        FrameParser.parse(inboxView, length, f, h);
        h.direction = engine.isNatRealServer(h.af, h.protocol, h.srcHi, h.srcLo, h.srcPort)
            ? PacketHeader.DIR_OUTPUT : PacketHeader.DIR_INPUT;
        counters.packets++;
        if (fastPath != null) {
            fastPath.beforeBurst(headers, 1);
        }
        engine.process(headers, decisions, 1);
        act(inboxView, inboxView.addressOffset(), length, f, h, decisions[0], p);
    }

    /**
     * Once a second: the ports' statistics; on worker 0 also the MACs of every real server and gateway asked
     * for before traffic needs them, and the announcements due.
     */
    private int housekeeping(long now) {
        for (PacketIo io : ios) {
            io.refreshStats();
        }
        if (!shard.keepsNeighbours()) {
            return 0;
        }
        neighbours.refresh(now);
        return announcer.announceDue(now);
    }

    /**
     * Passes each IP packet to the worker owning its client through that worker's inbox, for ports that cannot
     * steer by client themselves (AF_XDP sockets get their receive queue's frames, whatever the client).
     */
    public void handOffByClient(boolean on) {
        handOff.handOffByClient(on);
    }

    /** How this worker waits when a pass found nothing: {@link FrameWaitIdleStrategy}. */
    public IdleStrategy idleStrategy() {
        return new FrameWaitIdleStrategy(ios, handOff);
    }

    /**
     * Offloads this worker's established DR and NAT connections to the XDP fast path of {@code map} (shared by
     * the workers), at most {@code flows} connections of this worker at once. Call before the worker runs, on
     * ports whose XDP program has that fast path.
     *
     * @param ifindexes the kernel's index of each port's interface
     */
    public void offload(FastPathMap map, int[] ifindexes, int flows) {
        if (ifindexes.length != ios.length) {
            throw new IllegalArgumentException(ifindexes.length + " interface indexes for " + ios.length + " ports");
        }
        fastPath = new FastPathOffload(engine, map, egress, ifindexes, flows, counters);
        engine.connectionRemovalHook(fastPath);
    }

    /** Addresses answered for; change them only on this worker's thread. */
    public AnnouncedAddresses announced() {
        return announcer.addresses();
    }

    /** The neighbour cache of the first interface. */
    public NeighbourTable neighbours() {
        return tables[0];
    }

    /** The neighbour cache of interface {@code port}. */
    public NeighbourTable neighbours(int port) {
        return tables[port];
    }

    /** Frames waiting for their next hop's MAC. */
    public int pendingFrames() {
        return egress.pendingFrames();
    }

    /** What this worker did. */
    public DataPlaneCounters counters() {
        return counters;
    }

    /** Releases the scratch memory (the ports are closed by their owner). */
    @Override
    public void onClose() {
        if (fastPath != null) {
            // the map goes with the XDP program; the engine may outlive this worker
            engine.connectionRemovalHook(null);
            fastPath = null;
        }
        egress.close();
    }

    /** The same as {@link #onClose}. */
    public void close() {
        onClose();
    }
}
