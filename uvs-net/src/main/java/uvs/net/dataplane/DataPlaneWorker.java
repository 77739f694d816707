package uvs.net.dataplane;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.agrona.concurrent.UnsafeBuffer;
import uvs.core.Decision;
import uvs.core.Engine;
import uvs.core.PacketHeader;
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
 * the next hop's MAC in front and sends the burst. ARP and neighbour discovery are answered for announced
 * addresses and learned from. Runs on the engine's thread: the engine has exactly one writer. With several
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
    private final PacketIo io;
    private final Link link;
    private final NextHops routes;
    private final NeighbourTable neighbours;
    private final Shard shard;
    private final org.agrona.concurrent.MessageHandler inboxHandler = this::onInbox;
    private final UnsafeBuffer inboxView = new UnsafeBuffer(0, 0);
    private final uvs.core.SyncUpdate syncUpdate = new uvs.core.SyncUpdate();
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
    private final UnsafeBuffer l2 = new UnsafeBuffer(0, 0);

    private final Arena arena = Arena.ofShared();
    private final long scratchBase;
    private final UnsafeBuffer[] scratchView;
    private int scratchUsed;
    private final TunnelXmit tunnel;
    private final IcmpErrors icmpErrors;
    private long nextHousekeeping;

    /**
     * A worker for {@code engine} on port {@code io} of interface {@code link}, routing by {@code routes}.
     *
     * @param burst frames per burst
     * @param shard this worker's place among the interface's workers ({@link Shard#single} for one)
     */
    public DataPlaneWorker(Engine engine, PacketIo io, Link link, NextHops routes, NanoClock clock, int burst,
                           Shard shard) {
        if (burst < 1 || burst > 1024) {
            throw new IllegalArgumentException("burst must be 1..1024, got " + burst);
        }
        this.engine = engine;
        this.io = io;
        this.link = link;
        this.routes = routes;
        this.clock = clock;
        this.shard = shard;
        this.neighbours = shard.neighbours();
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
        int n = io.receive(rx);
        if (n > 0) {
            work += n;
            burst(n, now);
        }
        io.flush(); // nothing queued costs nothing; requests made in housekeeping go out now too
        if (n > 0) {
            io.releaseReceived();
        }
        return work;
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
                        rxIndex[m++] = i;
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
        if (f.ipLength > link.mtu() && forwards(d)) {
            tooBig(b, f, link.mtu());
            return;
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
            shard.inbox(owner).offerFrame(b, length);
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
        Ethernet.writeHeader(out, 0, link.mac(), f.af == Af.INET ? Ethernet.ETH_P_IP : Ethernet.ETH_P_IPV6);
        if (send(out.addressOffset(), Ethernet.HEADER_LENGTH + ipLength, f.af, f.srcHi, f.srcLo)) {
            counters.icmpSent++;
        }
    }

    /**
     * Puts the next hop's MAC (and ours) on the frame at {@code address} and queues it; asks for the next
     * hop's MAC and drops the frame when it is not known yet.
     */
    private boolean send(long address, int length, int af, long dstHi, long dstLo) {
        if (!routes.lookup(af, dstHi, dstLo, hop)) {
            counters.noRoute++;
            return false;
        }
        long mac = neighbours.mac(af, hop.hi, hop.lo);
        if (mac == NeighbourTable.NONE) {
            counters.neighbourMisses++;
            request(af, hop.hi, hop.lo, clock.nanoTime());
            return false;
        }
        l2.wrap(address, Ethernet.HEADER_LENGTH);
        Ethernet.writeMac(l2, Ethernet.DST, mac);
        Ethernet.writeMac(l2, Ethernet.SRC, link.mac());
        if (!io.transmit(address, length)) {
            io.flush();
            io.transmit(address, length);
        }
        return true;
    }

    /** ARP and neighbour discovery: kept by worker 0; another worker passes the frame on to it. */
    private void neighbourFrame(UnsafeBuffer b, int length, Frame f, byte type, long now) {
        if (!shard.keepsNeighbours()) {
            shard.inbox(0).offerFrame(b, length);
            return;
        }
        switch (f.kind) {
            case Frame.ARP -> arp(f, now);
            case Frame.NEIGHBOR_SOLICIT -> solicit(f, now);
            default -> {
                if (f.ndLinkAddr != NeighbourTable.NONE) {
                    neighbours.learn(Af.INET6, f.ndTargetHi, f.ndTargetLo, f.ndLinkAddr, now, type == RxFrames.HOST);
                }
            }
        }
    }

    /** A message another thread handed to this shard: a frame it owns, or a sync entry for its engine. */
    private void onInbox(int type, org.agrona.MutableDirectBuffer buffer, int index, int length) {
        if (type == ShardInbox.SYNC_UPDATE) {
            ShardInbox.readSync(buffer, index, syncUpdate);
            counters.syncApplied++;
            engine.applySync(syncUpdate);
            return;
        }
        inboxView.wrap(buffer.addressOffset() + index, length);
        PacketHeader h = header.clear();
        FrameParser.parse(inboxView, length, frame, h);
        long now = clock.nanoTime();
        switch (frame.kind) {
            case Frame.ICMP_ERROR -> icmpError(inboxView.addressOffset(), length, inboxView, frame, h);
            case Frame.ARP, Frame.NEIGHBOR_SOLICIT, Frame.NEIGHBOR_ADVERT ->
                neighbourFrame(inboxView, length, frame, RxFrames.HOST, now);
            default -> { }
        }
        // the ring slot is reused once this returns: send what it holds now
        io.flush();
    }

    private void arp(Frame f, long now) {
        long target = f.arpTargetIp & 0xffff_ffffL;
        long sender = f.arpSenderIp & 0xffff_ffffL;
        // a request addressed to us or an answer: remember the sender; a broadcast only refreshes
        boolean forUs = link.isOwn(Af.INET, 0, target) || announced.contains(Af.INET, 0, target);
        if (sender != 0) {
            neighbours.learn(Af.INET, 0, sender, f.arpSenderMac, now, forUs || f.arpOp == ArpHeader.OP_REPLY);
        }
        if (f.arpOp == ArpHeader.OP_REQUEST && sender != target && announced.contains(Af.INET, 0, target)) {
            UnsafeBuffer out = scratch();
            int len = Arp.reply(out, link.mac(), f.arpTargetIp, f.arpSenderMac, f.arpSenderIp);
            counters.announcements++;
            transmitScratch(out, len);
        }
    }

    private void solicit(Frame f, long now) {
        boolean forUs = link.isOwn(Af.INET6, f.ndTargetHi, f.ndTargetLo)
            || announced.contains(Af.INET6, f.ndTargetHi, f.ndTargetLo);
        boolean unspecified = f.srcHi == 0 && f.srcLo == 0;
        if (f.ndLinkAddr != NeighbourTable.NONE && !unspecified) {
            neighbours.learn(Af.INET6, f.srcHi, f.srcLo, f.ndLinkAddr, now, forUs);
        }
        if (!unspecified && f.ndLinkAddr != NeighbourTable.NONE
            && announced.contains(Af.INET6, f.ndTargetHi, f.ndTargetLo)) {
            UnsafeBuffer out = scratch();
            int len = NeighborDiscovery.advertise(out, link.mac(), f.ndTargetHi, f.ndTargetLo, f.ndLinkAddr,
                f.srcHi, f.srcLo, true, true);
            counters.announcements++;
            transmitScratch(out, len);
        }
    }

    /** Sends an ARP request or neighbour solicitation for a next hop, at most once a second. */
    private void request(int af, long hi, long lo, long now) {
        // worker 0 asks; it resolves every real server and gateway each second for all workers
        if (!shard.keepsNeighbours() || !neighbours.shouldRequest(af, hi, lo, now)) {
            return;
        }
        UnsafeBuffer out = scratch();
        int len = af == Af.INET
            ? Arp.request(out, link.mac(), (int) link.addressLo(Af.INET), (int) lo)
            : NeighborDiscovery.solicit(out, link.mac(), link.addressHi(Af.INET6), link.addressLo(Af.INET6), hi, lo);
        counters.neighbourRequests++;
        transmitScratch(out, len);
    }

    /**
     * Once a second: asks for the MACs of every real server and gateway before traffic needs them, and
     * sends due gratuitous announcements.
     */
    private int housekeeping(long now) {
        int work = 0;
        routes.refresh(now);
        io.refreshStats();
        if (!shard.keepsNeighbours()) {
            return work;
        }
        for (VirtualService s : engine.services()) {
            for (RealServer r : s.dests()) {
                IpAddress a = r.address();
                if (routes.lookup(a.af(), a.hi(), a.lo(), hop)) {
                    request(a.af(), hop.hi, hop.lo, now);
                }
            }
        }
        routes.gateways((af, hi, lo) -> request(af, hi, lo, now));
        for (int i = 0; i < announced.size(); i++) {
            if (announced.announceDue(i, now)) {
                UnsafeBuffer out = scratch();
                int len = announced.af(i) == Af.INET
                    ? Arp.gratuitous(out, link.mac(), (int) announced.lo(i))
                    : NeighborDiscovery.unsolicitedAdvert(out, link.mac(), announced.hi(i), announced.lo(i));
                counters.announcements++;
                transmitScratch(out, len);
                work++;
            }
        }
        return work;
    }

    private void transmitScratch(UnsafeBuffer out, int len) {
        if (len > 0 && !io.transmit(out.addressOffset(), len)) {
            io.flush();
            io.transmit(out.addressOffset(), len);
        }
    }

    /** A free scratch frame; when all are queued, sends them first (the kernel copies on send). */
    private UnsafeBuffer scratch() {
        if (scratchUsed == scratchView.length) {
            io.flush();
            scratchUsed = 0;
        }
        return scratchView[scratchUsed++];
    }

    /** Addresses answered for; change them only on this worker's thread. */
    public AnnouncedAddresses announced() {
        return announced;
    }

    /** The neighbour cache. */
    public NeighbourTable neighbours() {
        return neighbours;
    }

    /** What this worker did. */
    public DataPlaneCounters counters() {
        return counters;
    }

    /** Blocks up to {@code millis} for frames (the idle strategy of the engine thread). */
    public void idle(int millis) {
        io.await(millis);
    }

    /** Releases the scratch memory (the port is closed by its owner). */
    public void close() {
        arena.close();
    }
}
