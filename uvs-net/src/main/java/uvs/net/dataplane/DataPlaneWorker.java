package uvs.net.dataplane;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import uvs.core.Decision;
import uvs.core.Engine;
import uvs.core.PacketHeader;
import uvs.core.SyncUpdate;
import uvs.core.Verdict;
import uvs.core.conn.ConnFlags;
import uvs.core.net.Af;
import uvs.core.net.IpAddress;
import uvs.core.svc.RealServer;
import uvs.core.svc.VirtualService;
import uvs.net.forward.Arp;
import uvs.net.forward.ChecksumCompletion;
import uvs.net.forward.DirectRouteXmit;
import uvs.net.forward.IcmpErrors;
import uvs.net.forward.NatXmit;
import uvs.net.forward.NeighborDiscovery;
import uvs.net.forward.TunnelXmit;
import uvs.net.forward.XmitResult;
import uvs.net.io.PacketIo;
import uvs.net.io.RxFrames;
import uvs.net.packet.ArpHeader;
import uvs.net.packet.Ethernet;
import uvs.net.packet.Frame;
import uvs.net.packet.FrameParser;
import uvs.time.NanoClock;

/**
 * One data-plane worker: receives a burst of frames, lets the engine decide for every IP packet in one
 * {@link Engine#process(PacketHeader[], Decision[], int)} call, rewrites each frame in place for its
 * connection's forwarding method (tunnelled and director-made packets are built in a scratch area), puts
 * the next hop's MAC in front and sends the burst out of the interface the kernel's routes reach the next hop
 * through (the worker has one port per data-plane interface). A frame whose next hop's MAC is not known yet
 * waits as a copy in a small per-neighbour queue ({@link PendingFrames}) until ARP/ND answers. ARP and
 * neighbour discovery are answered for announced addresses and learned from. Runs on the engine's thread: the engine has exactly one writer. With several
 * workers on one interface each has its own engine shard; frames and sync entries that belong to another
 * shard are passed to that worker's {@link ShardInbox}.
 *
 * <p>Packets that are not the engine's (the director's own traffic, sync, control) are left alone: the
 * director's kernel receives its own copy of every frame and handles those.
 */
public final class DataPlaneWorker {
    /** Frames taken per burst. */
    public static final int DEFAULT_BURST = 64;
    /** Room per scratch frame (tunnel headers, ICMP errors, ARP/ND). */
    static final int SCRATCH_FRAME = 2048;
    /** Headroom a tunnel adds at most: outer IPv6 (40) + UDP (8) + GUE with remote checksum (12). */
    static final int MAX_ENCAP = 60;
    private static final long HOUSEKEEPING_NANOS = 1_000_000_000L;
    private static final int INBOX_BATCH = 64;

    private final Engine engine;
    private final PacketIo[] ios;
    private final Link[] links;
    private final NextHops routes;
    private final NeighbourTable[] tables;
    private final boolean[] received;
    private final int minMtu;
    private final PendingFrames pending;
    private final UnsafeBuffer pendingView = new UnsafeBuffer(0, 0);
    private final Shard shard;
    private final MessageHandler inboxHandler = this::onInbox;
    /** Hand IP packets of other shards' clients over ({@link #handOffByClient}). */
    private boolean handOff;
    /** Shards handed packets in this burst, one bit each (at most 64 workers). */
    private long handedTo;
    /** Nanoseconds a handing-off worker parks between looks at its ports and inbox when idle. */
    private static final long HAND_OFF_PARK_NANOS = 100_000;
    private final UnsafeBuffer inboxView = new UnsafeBuffer(0, 0);
    private final SyncUpdate syncUpdate = new SyncUpdate();
    private final AnnouncedAddresses announced = new AnnouncedAddresses();
    private final NanoClock clock;
    private final DataPlaneCounters counters = new DataPlaneCounters();

    private final RxFrames rx;
    private final UnsafeBuffer[] rxView;
    private final Frame[] frames;
    private final PacketHeader[] headers;
    private final Decision[] decisions;
    private final int[] rxIndex;
    private final Frame frame = new Frame();
    private final PacketHeader header = new PacketHeader();
    private final Decision decision = new Decision();
    private final NextHops.Hop hop = new NextHops.Hop();
    private final NextHops.Hop back = new NextHops.Hop();
    /** The interface of the frame being handled (the fallback for replies without a route). */
    private int rxPort;
    private final UnsafeBuffer l2 = new UnsafeBuffer(0, 0);

    private final Arena arena = Arena.ofShared();
    private final long scratchBase;
    private final UnsafeBuffer[] scratchView;
    private int scratchUsed;
    private final TunnelXmit tunnel;
    private final IcmpErrors icmpErrors;
    private long nextHousekeeping;
    private long housekeepingNow;
    /** Asks for a gateway's MAC (one visitor for the worker's life: housekeeping does not allocate). */
    private final NextHops.AddressVisitor gatewayRequest;

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
        this.links = links.toArray(Link[]::new);
        this.routes = routes;
        this.clock = clock;
        this.shard = shard;
        this.tables = new NeighbourTable[links.size()];
        int smallest = Integer.MAX_VALUE;
        int largest = 0;
        for (int p = 0; p < tables.length; p++) {
            tables[p] = shard.neighbours(p);
            smallest = Math.min(smallest, this.links[p].mtu());
            largest = Math.max(largest, this.links[p].mtu());
        }
        this.minMtu = smallest;
        this.gatewayRequest = (p, af, hi, lo) -> {
            if (p < this.ios.length) {
                request(p, af, hi, lo, housekeepingNow);
            }
        };
        this.received = new boolean[links.size()];
        // enough slots for a full queue toward 16 next hops at once
        this.pending = new PendingFrames(queueLength, Math.max(16, queueLength * 16),
            Math.max(largest, 1500) + Ethernet.HEADER_LENGTH + MAX_ENCAP);
        Link link = this.links[0];
        // per-director seeds: GUE source ports and IP IDs need only differ between flows and packets
        int seed = (int) (clock.nanoTime() ^ link.mac());
        this.tunnel = new TunnelXmit(seed, seed >>> 16);
        this.icmpErrors = new IcmpErrors(seed);
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
        // room for a tunnelled or ICMP packet per received frame plus neighbour requests and answers
        int slots = burst * 2 + 8;
        MemorySegment scratch = arena.allocate((long) slots * SCRATCH_FRAME, 64);
        this.scratchBase = scratch.address();
        this.scratchView = new UnsafeBuffer[slots];
        for (int i = 0; i < slots; i++) {
            scratchView[i] = new UnsafeBuffer(scratchBase + (long) i * SCRATCH_FRAME, SCRATCH_FRAME);
        }
    }

    /** One cycle: a burst of frames, then (once a second) neighbour refreshes and announcements. */
    public int doWork() {
        long now = clock.nanoTime();
        scratchUsed = 0;
        int work = 0;
        if (now - nextHousekeeping >= 0) {
            nextHousekeeping = now + HOUSEKEEPING_NANOS;
            work += housekeeping(now);
        }
        work += shard.inbox(shard.index()).drain(inboxHandler, INBOX_BATCH);
        for (int p = 0; p < ios.length; p++) {
            int n = ios[p].receive(rx);
            received[p] = n > 0;
            if (n > 0) {
                work += n;
                rxPort = p;
                burst(n, now);
            }
        }
        if (pending.size() > 0) {
            // after the burst: an ARP/ND answer in it lets its waiting frames leave in this cycle
            work += sendPending(now);
        }
        // a frame may leave by another interface than it came in: every port sends before any ring is given back
        flushAll(); // nothing queued costs nothing; requests made in housekeeping go out now too
        for (int p = 0; p < ios.length; p++) {
            if (received[p]) {
                ios[p].releaseReceived();
            }
        }
        return work;
    }

    private void flushAll() {
        for (PacketIo io : ios) {
            io.flush();
        }
    }

    /**
     * Sends the waiting frames whose next hop has been resolved, in the order they came, and gives up those
     * whose next hop did not answer in time (ICMP host unreachable to their sender, as the kernel does).
     */
    private int sendPending(long now) {
        int work = 0;
        long after = -1;
        for (int i = pending.next(after); i >= 0; i = pending.next(after)) {
            after = pending.sequence(i);
            int p = pending.port(i);
            long mac = tables[p].mac(pending.af(i), pending.hi(i), pending.lo(i));
            if (mac != NeighbourTable.NONE) {
                UnsafeBuffer f = pending.frame(i);
                transmit(p, f.addressOffset(), pending.length(i), mac);
                pending.markSent(i);
                work++;
            } else if (now - pending.queuedAt(i) >= PendingFrames.RESOLVE_NANOS) {
                counters.neighbourFailures++;
                unreachable(pending.frame(i), pending.length(i));
                pending.remove(i);
                work++;
            }
        }
        if (work > 0) {
            // the copies must stay until the kernel took them; then their slots are free
            flushAll();
            pending.removeSent();
        }
        return work;
    }

    /** ICMP host unreachable about a frame whose next hop never answered. */
    private void unreachable(UnsafeBuffer b, int length) {
        pendingView.wrap(b.addressOffset(), length);
        PacketHeader h = header.clear();
        FrameParser.parse(pendingView, length, frame, h);
        if (frame.kind != Frame.IP) {
            return;
        }
        Link from = toward(frame.af, frame.srcHi, frame.srcLo);
        UnsafeBuffer out = scratch();
        sendIcmp(out, icmpErrors.hostUnreachable(pendingView, frame, from.addressHi(frame.af),
            from.addressLo(frame.af), out, Ethernet.HEADER_LENGTH), frame);
    }

    private void burst(int n, long now) {
        int m = 0;
        for (int i = 0; i < n; i++) {
            byte type = rx.packetType[i];
            if (type == RxFrames.OUTGOING || type == RxFrames.OTHERHOST) {
                continue;
            }
            UnsafeBuffer b = rxView[i];
            b.wrap(rx.address[i], rx.length[i]);
            Frame f = frames[m];
            PacketHeader h = headers[m].clear();
            FrameParser.parse(b, rx.length[i], f, h);
            switch (f.kind) {
                case Frame.IP -> {
                    if (type == RxFrames.HOST) {
                        h.direction = engine.isNatRealServer(h.af, h.protocol, h.srcHi, h.srcLo, h.srcPort)
                            ? PacketHeader.DIR_OUTPUT : PacketHeader.DIR_INPUT;
                        int owner = handOff ? ownerOfPacket(h) : shard.index();
                        if (owner == shard.index()) {
                            rxIndex[m++] = i;
                        } else {
                            shard.inbox(owner).offerFrame(b, rx.length[i], rxPort); // a full inbox counts a refusal
                            handedTo |= 1L << owner;
                        }
                    }
                }
                case Frame.ICMP_ERROR -> {
                    if (type == RxFrames.HOST) {
                        icmpError(rx.address[i], rx.length[i], b, f, h);
                    }
                }
                case Frame.ARP, Frame.NEIGHBOR_SOLICIT, Frame.NEIGHBOR_ADVERT -> neighbourFrame(b, rx.length[i], f,
                    type, now);
                case Frame.MALFORMED -> counters.malformed++;
                case Frame.FRAGMENT -> counters.fragments++;
                default -> { }
            }
        }
        if (handedTo != 0) {
            // once per burst, not per packet: the owners may be parked waiting for work
            for (int j = 0; j < shard.count(); j++) {
                if ((handedTo & 1L << j) != 0) {
                    shard.inbox(j).wake();
                }
            }
            handedTo = 0;
        }
        if (m == 0) {
            return;
        }
        counters.packets += m;
        engine.process(headers, decisions, m);
        for (int j = 0; j < m; j++) {
            int i = rxIndex[j];
            Decision d = decisions[j];
            if (rx.checksumPartial[i] && d.verdict != Verdict.NOT_OURS && d.verdict != Verdict.DROP) {
                ChecksumCompletion.complete(rxView[i], frames[j]);
            }
            act(rxView[i], rx.address[i], rx.length[i], frames[j], headers[j], d);
        }
    }

    /** Carries out the engine's decision for one received frame. */
    private void act(UnsafeBuffer b, long address, int length, Frame f, PacketHeader h, Decision d) {
        if (f.ipLength > minMtu && forwards(d)) {
            int mtu = d.verdict == Verdict.FORWARD ? mtuToward(f.af, d.daddrHi, d.daddrLo) : mtuToward(h.af, h.dstHi,
                h.dstLo);
            if (f.ipLength > mtu) {
                tooBig(b, f, mtu);
                return;
            }
        }
        switch (d.verdict) {
            case FORWARD -> {
                int method = d.connFlags & ConnFlags.FWD_MASK;
                if (method == ConnFlags.LOCALNODE) {
                    return; // the local stack has its own copy
                }
                if (method == ConnFlags.TUNNEL) {
                    encapsulate(b, f, d);
                    return;
                }
                int rc = method == ConnFlags.MASQ ? NatXmit.dnat(b, f, d) : DirectRouteXmit.decrementTtl(b, f);
                if (rewritten(rc, b, f)) {
                    if (send(address, length, f.af, d.daddrHi, d.daddrLo)) {
                        counters.forwarded++;
                    }
                }
            }
            case FORWARD_REPLY -> {
                if (rewritten(NatXmit.snat(b, f, d), b, f)) {
                    if (send(address, length, h.af, h.dstHi, h.dstLo)) {
                        counters.replies++;
                    }
                }
            }
            case BYPASS -> {
                if (rewritten(DirectRouteXmit.decrementTtl(b, f), b, f)) {
                    send(address, length, h.af, h.dstHi, h.dstLo);
                }
            }
            case ICMP_UNREACHABLE -> {
                // toward a client the error comes from the address it talked to; toward a NAT real server, from us
                boolean input = h.direction == PacketHeader.DIR_INPUT;
                Link link = toward(f.af, f.srcHi, f.srcLo);
                UnsafeBuffer out = scratch();
                int ipLength = icmpErrors.portUnreachable(b, f, input ? h.dstHi : link.addressHi(f.af),
                    input ? h.dstLo : link.addressLo(f.af), out, Ethernet.HEADER_LENGTH);
                sendIcmp(out, ipLength, f);
            }
            case DROP -> counters.dropped++;
            default -> { }
        }
    }

    /** True when the packet leaves unchanged in size (tunnels check the size of what they build). */
    private static boolean forwards(Decision d) {
        return d.verdict == Verdict.FORWARD_REPLY || d.verdict == Verdict.BYPASS
            || d.verdict == Verdict.FORWARD && (d.connFlags & ConnFlags.FWD_MASK) != ConnFlags.TUNNEL
                && (d.connFlags & ConnFlags.FWD_MASK) != ConnFlags.LOCALNODE;
    }

    /**
     * A packet over the MTU (ipvs-reference §8): with DF, or IPv6, the sender learns the MTU from an ICMP
     * fragmentation needed / packet too big; UVS does not fragment, so any other is dropped. Both counted.
     */
    private void tooBig(UnsafeBuffer b, Frame f, int mtu) {
        counters.tooBig++;
        if (f.df || f.af == Af.INET6) {
            Link link = toward(f.af, f.srcHi, f.srcLo);
            UnsafeBuffer err = scratch();
            sendIcmp(err, icmpErrors.packetTooBig(b, f, mtu, link.addressHi(f.af), link.addressLo(f.af), err,
                Ethernet.HEADER_LENGTH), f);
        }
    }

    /** True when a rewrite succeeded; answers an expired TTL with ICMP time exceeded, counts the rest. */
    private boolean rewritten(int rc, UnsafeBuffer b, Frame f) {
        if (rc == XmitResult.OK) {
            return true;
        }
        if (rc == XmitResult.TTL_EXCEEDED) {
            counters.ttlExpired++;
            Link link = toward(f.af, f.srcHi, f.srcLo);
            UnsafeBuffer out = scratch();
            sendIcmp(out, icmpErrors.timeExceeded(b, f, link.addressHi(f.af), link.addressLo(f.af), out,
                Ethernet.HEADER_LENGTH), f);
        } else {
            counters.dropped++;
        }
        return false;
    }

    /**
     * An ICMP error about a connection: translated and forwarded like the connection's packets, by the worker
     * whose shard holds the connection (the kernel steered the error by its outer addresses).
     */
    private void icmpError(long address, int length, UnsafeBuffer b, Frame f, PacketHeader embedded) {
        // a quoted packet that went to a NAT real server was sent by the client: the error comes from its side
        int dir = engine.isNatRealServer(embedded.af, embedded.protocol, embedded.dstHi, embedded.dstLo,
            embedded.dstPort) ? PacketHeader.DIR_OUTPUT : PacketHeader.DIR_INPUT;
        int owner = shard.ownerOfQuoted(embedded, dir);
        if (owner != shard.index()) {
            shard.inbox(owner).offerFrame(b, length, rxPort);
            return;
        }
        Decision d = engine.processIcmpError(embedded, dir, decision);
        if (d.verdict == Verdict.FORWARD) {
            int method = d.connFlags & ConnFlags.FWD_MASK;
            if (method == ConnFlags.LOCALNODE) {
                return;
            }
            if (method == ConnFlags.TUNNEL) {
                encapsulate(b, f, d);
                return;
            }
            int rc = method == ConnFlags.MASQ ? NatXmit.dnatIcmp(b, f, d) : DirectRouteXmit.decrementTtl(b, f);
            if (rc == XmitResult.OK) {
                if (send(address, length, f.af, d.daddrHi, d.daddrLo)) {
                    counters.icmpRelayed++;
                }
            }
        } else if (d.verdict == Verdict.FORWARD_REPLY) {
            if (NatXmit.snatIcmp(b, f, d) == XmitResult.OK) {
                if (send(address, length, f.af, f.dstHi, f.dstLo)) {
                    counters.icmpRelayed++;
                }
            }
        }
    }

    private void encapsulate(UnsafeBuffer b, Frame f, Decision d) {
        RealServer dest = d.dest;
        if (dest == null) {
            counters.dropped++;
            return;
        }
        UnsafeBuffer out = scratch();
        int outerAf = dest.address().af();
        Link link = toward(outerAf, d.daddrHi, d.daddrLo);
        boolean pmtuDisc = engine.tunables().pmtuDisc() != 0;
        int ipLength = tunnel.encapsulate(b, f, dest, link.addressHi(outerAf), link.addressLo(outerAf), pmtuDisc,
            out, Ethernet.HEADER_LENGTH);
        if (!rewritten(ipLength < 0 ? ipLength : XmitResult.OK, b, f)) {
            return;
        }
        if (ipLength > link.mtu()) {
            // the tunnel made it too big: tell the sender the room left (ipvs-reference §8)
            tooBig(b, f, link.mtu() - (ipLength - f.ipLength));
            return;
        }
        Ethernet.writeHeader(out, 0, link.mac(), outerAf == Af.INET ? Ethernet.ETH_P_IP : Ethernet.ETH_P_IPV6);
        if (send(out.addressOffset(), Ethernet.HEADER_LENGTH + ipLength, outerAf, d.daddrHi, d.daddrLo)) {
            counters.forwarded++;
        }
    }

    /** Sends the ICMP error built in {@code out} (IP packet of {@code ipLength} bytes) to the packet's source. */
    private void sendIcmp(UnsafeBuffer out, int ipLength, Frame f) {
        if (ipLength <= 0) {
            return;
        }
        Ethernet.writeHeader(out, 0, links[0].mac(), f.af == Af.INET ? Ethernet.ETH_P_IP : Ethernet.ETH_P_IPV6);
        if (send(out.addressOffset(), Ethernet.HEADER_LENGTH + ipLength, f.af, f.srcHi, f.srcLo)) {
            counters.icmpSent++;
        }
    }

    /**
     * Puts the next hop's MAC (and ours) on the frame at {@code address} and queues it on the interface the
     * next hop is reached through. When the MAC is not known yet, asks for it and keeps a copy of the frame
     * until the answer comes (true: the frame will leave); false when it cannot leave.
     */
    private boolean send(long address, int length, int af, long dstHi, long dstLo) {
        if (!routes.lookup(af, dstHi, dstLo, hop) || hop.port >= ios.length) {
            counters.noRoute++;
            return false;
        }
        int p = hop.port;
        long mac = tables[p].mac(af, hop.hi, hop.lo);
        if (mac == NeighbourTable.NONE) {
            counters.neighbourMisses++;
            long now = clock.nanoTime();
            int queued = pending.add(p, af, hop.hi, hop.lo, address, length, now);
            request(p, af, hop.hi, hop.lo, now);
            if (queued != PendingFrames.QUEUED) {
                counters.neighbourQueueDrops++;
            }
            return queued != PendingFrames.REFUSED;
        }
        transmit(p, address, length, mac);
        return true;
    }

    private void transmit(int p, long address, int length, long mac) {
        l2.wrap(address, Ethernet.HEADER_LENGTH);
        Ethernet.writeMac(l2, Ethernet.DST, mac);
        Ethernet.writeMac(l2, Ethernet.SRC, links[p].mac());
        PacketIo io = ios[p];
        if (!io.transmit(address, length)) {
            io.flush();
            io.transmit(address, length);
        }
    }

    /** The interface packets toward {@code <af, hi, lo>} leave by (the receiving one when no route says). */
    private Link toward(int af, long hi, long lo) {
        return routes.lookup(af, hi, lo, back) && back.port < links.length ? links[back.port] : links[rxPort];
    }

    private int mtuToward(int af, long hi, long lo) {
        return toward(af, hi, lo).mtu();
    }

    /** ARP and neighbour discovery: kept by worker 0; another worker passes the frame on to it. */
    private void neighbourFrame(UnsafeBuffer b, int length, Frame f, byte type, long now) {
        if (!shard.keepsNeighbours()) {
            shard.inbox(0).offerFrame(b, length, rxPort);
            return;
        }
        switch (f.kind) {
            case Frame.ARP -> arp(rxPort, f, now);
            case Frame.NEIGHBOR_SOLICIT -> solicit(rxPort, f, now);
            default -> {
                if (f.ndLinkAddr != NeighbourTable.NONE) {
                    tables[rxPort].learn(Af.INET6, f.ndTargetHi, f.ndTargetLo, f.ndLinkAddr, now, type == RxFrames.HOST);
                }
            }
        }
    }

    /** The worker owning a packet's connection: the one of its client (the destination of a NAT reply). */
    private int ownerOfPacket(PacketHeader h) {
        return h.direction == PacketHeader.DIR_OUTPUT
            ? shard.ownerOfClient(h.af, h.dstHi, h.dstLo)
            : shard.ownerOfClient(h.af, h.srcHi, h.srcLo);
    }

    /** A packet another worker received for one of this shard's clients: decided and sent from the inbox slot. */
    private void inboxPacket(int length) {
        PacketHeader h = headers[0].clear();
        Frame f = frames[0];
        FrameParser.parse(inboxView, length, f, h);
        h.direction = engine.isNatRealServer(h.af, h.protocol, h.srcHi, h.srcLo, h.srcPort)
            ? PacketHeader.DIR_OUTPUT : PacketHeader.DIR_INPUT;
        counters.packets++;
        engine.process(headers, decisions, 1);
        act(inboxView, inboxView.addressOffset(), length, f, h, decisions[0]);
    }

    /**
     * Passes each IP packet to the worker owning its client through that worker's inbox, for ports that cannot
     * steer by client themselves (AF_XDP sockets get their receive queue's frames, whatever the client).
     */
    public void handOffByClient(boolean on) {
        handOff = on;
    }

    /** A message another thread handed to this shard: a frame it owns, or a sync entry for its engine. */
    private void onInbox(int type, MutableDirectBuffer buffer, int index, int length) {
        if (type == ShardInbox.SYNC_UPDATE) {
            ShardInbox.readSync(buffer, index, syncUpdate);
            counters.syncApplied++;
            engine.applySync(syncUpdate);
            return;
        }
        rxPort = Math.min(ShardInbox.portOf(type), links.length - 1);
        inboxView.wrap(buffer.addressOffset() + index, length);
        PacketHeader h = header.clear();
        FrameParser.parse(inboxView, length, frame, h);
        long now = clock.nanoTime();
        switch (frame.kind) {
            case Frame.IP -> inboxPacket(length);
            case Frame.ICMP_ERROR -> icmpError(inboxView.addressOffset(), length, inboxView, frame, h);
            case Frame.ARP, Frame.NEIGHBOR_SOLICIT, Frame.NEIGHBOR_ADVERT ->
                neighbourFrame(inboxView, length, frame, RxFrames.HOST, now);
            default -> { }
        }
        // the ring slot is reused once this returns: send what it holds now
        flushAll();
    }

    private void arp(int p, Frame f, long now) {
        Link link = links[p];
        long target = f.arpTargetIp & 0xffff_ffffL;
        long sender = f.arpSenderIp & 0xffff_ffffL;
        // a request addressed to us or an answer: remember the sender; a broadcast only refreshes
        boolean forUs = link.isOwn(Af.INET, 0, target) || announced.contains(Af.INET, 0, target);
        if (sender != 0) {
            tables[p].learn(Af.INET, 0, sender, f.arpSenderMac, now, forUs || f.arpOp == ArpHeader.OP_REPLY);
        }
        if (f.arpOp == ArpHeader.OP_REQUEST && sender != target && announced.contains(Af.INET, 0, target)) {
            UnsafeBuffer out = scratch();
            int len = Arp.reply(out, link.mac(), f.arpTargetIp, f.arpSenderMac, f.arpSenderIp);
            counters.announcements++;
            transmitScratch(p, out, len);
        }
    }

    private void solicit(int p, Frame f, long now) {
        Link link = links[p];
        boolean forUs = link.isOwn(Af.INET6, f.ndTargetHi, f.ndTargetLo)
            || announced.contains(Af.INET6, f.ndTargetHi, f.ndTargetLo);
        boolean unspecified = f.srcHi == 0 && f.srcLo == 0;
        if (f.ndLinkAddr != NeighbourTable.NONE && !unspecified) {
            tables[p].learn(Af.INET6, f.srcHi, f.srcLo, f.ndLinkAddr, now, forUs);
        }
        if (!unspecified && f.ndLinkAddr != NeighbourTable.NONE
            && announced.contains(Af.INET6, f.ndTargetHi, f.ndTargetLo)) {
            UnsafeBuffer out = scratch();
            int len = NeighborDiscovery.advertise(out, link.mac(), f.ndTargetHi, f.ndTargetLo, f.ndLinkAddr,
                f.srcHi, f.srcLo, true, true);
            counters.announcements++;
            transmitScratch(p, out, len);
        }
    }

    /** Sends an ARP request or neighbour solicitation for a next hop on interface {@code p}, at most once a second. */
    private void request(int p, int af, long hi, long lo, long now) {
        // worker 0 asks; it resolves every real server and gateway each second for all workers
        if (!shard.keepsNeighbours() || !tables[p].shouldRequest(af, hi, lo, now)) {
            return;
        }
        Link link = links[p];
        UnsafeBuffer out = scratch();
        int len = af == Af.INET
            ? Arp.request(out, link.mac(), (int) link.addressLo(Af.INET), (int) lo)
            : NeighborDiscovery.solicit(out, link.mac(), link.addressHi(Af.INET6), link.addressLo(Af.INET6), hi, lo);
        counters.neighbourRequests++;
        transmitScratch(p, out, len);
    }

    /**
     * Once a second: asks for the MACs of every real server and gateway before traffic needs them, and
     * sends due gratuitous announcements.
     */
    private int housekeeping(long now) {
        int work = 0;
        routes.refresh(now);
        for (PacketIo io : ios) {
            io.refreshStats();
        }
        if (!shard.keepsNeighbours()) {
            return work;
        }
        for (VirtualService s : engine.services()) {
            for (RealServer r : s.dests()) {
                IpAddress a = r.address();
                if (routes.lookup(a.af(), a.hi(), a.lo(), hop) && hop.port < ios.length) {
                    request(hop.port, a.af(), hop.hi, hop.lo, now);
                }
            }
        }
        housekeepingNow = now;
        routes.gateways(gatewayRequest);
        for (int i = 0; i < announced.size(); i++) {
            if (announced.announceDue(i, now)) {
                // on the interface the address's subnet is on; on every one when no route says
                boolean routed = routes.lookup(announced.af(i), announced.hi(i), announced.lo(i), hop)
                    && hop.port < ios.length;
                for (int p = 0; p < ios.length; p++) {
                    if (!routed || p == hop.port) {
                        announce(p, i);
                    }
                }
                work++;
            }
        }
        return work;
    }

    private void announce(int p, int i) {
        UnsafeBuffer out = scratch();
        int len = announced.af(i) == Af.INET
            ? Arp.gratuitous(out, links[p].mac(), (int) announced.lo(i))
            : NeighborDiscovery.unsolicitedAdvert(out, links[p].mac(), announced.hi(i), announced.lo(i));
        counters.announcements++;
        transmitScratch(p, out, len);
    }

    private void transmitScratch(int p, UnsafeBuffer out, int len) {
        PacketIo io = ios[p];
        if (len > 0 && !io.transmit(out.addressOffset(), len)) {
            io.flush();
            io.transmit(out.addressOffset(), len);
        }
    }

    /** A free scratch frame; when all are queued, sends them first (the kernel copies on send). */
    private UnsafeBuffer scratch() {
        if (scratchUsed == scratchView.length) {
            flushAll();
            scratchUsed = 0;
        }
        return scratchView[scratchUsed++];
    }

    /** Addresses answered for; change them only on this worker's thread. */
    public AnnouncedAddresses announced() {
        return announced;
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
        return pending.size();
    }

    /** What this worker did. */
    public DataPlaneCounters counters() {
        return counters;
    }

    /** Blocks up to {@code millis} for frames (the idle strategy of the engine thread). */
    public void idle(int millis) {
        if (handOff) {
            idleForFramesOrInbox(millis);
            return;
        }
        if (ios.length == 1) {
            ios[0].await(millis);
            return;
        }
        // several ports: look at each in turn, so none waits longer than a slice
        int slice = Math.max(1, millis / ios.length);
        for (PacketIo io : ios) {
            if (io.await(slice)) {
                return;
            }
        }
    }

    /**
     * Idle with hand-offs: packets of this shard's clients may arrive through the inbox, which poll(2) cannot
     * watch; the worker parks briefly (woken at once by a worker that hands it packets) between non-blocking
     * looks at its ports.
     */
    private void idleForFramesOrInbox(int millis) {
        ShardInbox own = shard.inbox(shard.index());
        own.owner(Thread.currentThread());
        long parks = Math.max(1, millis * 1_000_000L / HAND_OFF_PARK_NANOS);
        for (long k = 0; k < parks; k++) {
            for (PacketIo io : ios) {
                if (io.await(0)) {
                    return;
                }
            }
            if (own.waiting()) {
                return;
            }
            LockSupport.parkNanos(HAND_OFF_PARK_NANOS);
        }
    }

    /** Releases the scratch memory (the port is closed by its owner). */
    public void close() {
        pending.close();
        arena.close();
    }
}
