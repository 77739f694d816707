package uvs.net.dataplane;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.agrona.concurrent.UnsafeBuffer;
import uvs.core.net.Af;
import uvs.net.forward.Arp;
import uvs.net.forward.NeighborDiscovery;
import uvs.net.io.PacketIo;
import uvs.net.packet.Ethernet;
import uvs.time.NanoClock;

/**
 * The way out of one worker: its ports (one per data-plane interface), the next hop of every destination
 * (routes, then the neighbour cache for the MAC), ARP requests / neighbour solicitations for next hops not
 * resolved yet, the frames waiting for them ({@link PendingFrames}) and the scratch frames packets made by
 * the director are built in. Every sending part of the worker goes through it. It never decides what a packet
 * becomes; it never blocks, allocates or logs.
 */
final class Egress {
    /** Room per scratch frame (tunnel headers, ICMP errors, ARP/ND). */
    static final int SCRATCH_FRAME = 2048;
    private static final int PASSED = 8;

    /** Gets a frame whose next hop never answered (the sender is told with an ICMP error). */
    @FunctionalInterface
    interface Unresolved {
        /** The waiting frame at {@code frame}, {@code length} bytes, about to be given up. */
        void givenUp(UnsafeBuffer frame, int length);
    }

    private final PacketIo[] ios;
    private final Link[] links;
    private final NextHops routes;
    private final NeighbourTable[] tables;
    private final PendingFrames pending;
    /**
     * Null on the worker that keeps the neighbour caches (worker 0), which asks for MACs itself; the inbox of
     * that worker on the others, which pass it the next hops they need.
     */
    private final ShardInbox keeper;
    /** The next hops this worker passed to the keeper lately, and when: at most one request a second each. */
    private final int[] passedAf = new int[PASSED];
    private final long[] passedHi = new long[PASSED];
    private final long[] passedLo = new long[PASSED];
    private final long[] passedAt = new long[PASSED];
    private int passedNext;
    private final DataPlaneCounters counters;
    private final NanoClock clock;
    private final NextHops.Hop hop = new NextHops.Hop();
    private final NextHops.Hop back = new NextHops.Hop();
    private final UnsafeBuffer l2 = new UnsafeBuffer(0, 0);
    private final Arena arena = Arena.ofShared();
    private final UnsafeBuffer[] scratchView;
    private int scratchUsed;
    private Unresolved unresolved = (frame, length) -> { };
    /** The interface of the frame being handled (the fallback for replies without a route). */
    private int rxPort;
    private long transmits;
    private long lastAddress;
    private int lastPort;
    private long lastMac;

    Egress(PacketIo[] ios, Link[] links, NextHops routes, NeighbourTable[] tables, PendingFrames pending,
           int scratchFrames, ShardInbox keeper, DataPlaneCounters counters, NanoClock clock) {
        this.ios = ios;
        this.links = links;
        this.routes = routes;
        this.tables = tables;
        this.pending = pending;
        this.keeper = keeper;
        this.counters = counters;
        this.clock = clock;
        MemorySegment scratch = arena.allocate((long) scratchFrames * SCRATCH_FRAME, 64);
        this.scratchView = new UnsafeBuffer[scratchFrames];
        for (int i = 0; i < scratchFrames; i++) {
            scratchView[i] = new UnsafeBuffer(scratch.address() + (long) i * SCRATCH_FRAME, SCRATCH_FRAME);
        }
    }

    /** Who hears about frames given up waiting (set once, at start). */
    void onUnresolved(Unresolved u) {
        this.unresolved = u;
    }

    /** Ports (data-plane interfaces). */
    int ports() {
        return ios.length;
    }

    /** The interface of port {@code p}. */
    Link link(int p) {
        return links[p];
    }

    /** The frame being handled came in on port {@code p}. */
    void receivedOn(int p) {
        rxPort = p;
    }

    /** The port the frame being handled came in on. */
    int rxPort() {
        return rxPort;
    }

    /** The routes. */
    NextHops routes() {
        return routes;
    }

    /**
     * Puts the next hop's MAC (and ours) on the frame at {@code address} and queues it on the interface the
     * next hop is reached through. When the MAC is not known yet, asks for it and keeps a copy of the frame
     * until the answer comes (true: the frame will leave); false when it cannot leave.
     */
    boolean send(long address, int length, int af, long dstHi, long dstLo) {
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
        transmits++;
        lastAddress = address;
        lastPort = p;
        lastMac = mac;
        l2.wrap(address, Ethernet.HEADER_LENGTH);
        Ethernet.writeMac(l2, Ethernet.DST, mac);
        Ethernet.writeMac(l2, Ethernet.SRC, links[p].mac());
        PacketIo io = ios[p];
        if (!io.transmit(address, length)) {
            io.flush();
            io.transmit(address, length);
        }
    }

    /** Frames sent by {@link #send} with a known MAC (not queued for one): a change says the last one left now. */
    long transmits() {
        return transmits;
    }

    /** Where the last frame {@link #send} transmitted lies (a frame rewritten in place keeps its address). */
    long lastAddress() {
        return lastAddress;
    }

    /** The port the last frame {@link #send} transmitted left by. */
    int lastPort() {
        return lastPort;
    }

    /** The destination MAC of the last frame {@link #send} transmitted. */
    long lastMac() {
        return lastMac;
    }

    /** Queues a complete frame (ARP/ND, addressed already) on port {@code p}. */
    void transmitFrame(int p, UnsafeBuffer out, int len) {
        PacketIo io = ios[p];
        if (len > 0 && !io.transmit(out.addressOffset(), len)) {
            io.flush();
            io.transmit(out.addressOffset(), len);
        }
    }

    /** The interface packets toward {@code <af, hi, lo>} leave by (the receiving one when no route says). */
    Link toward(int af, long hi, long lo) {
        return routes.lookup(af, hi, lo, back) && back.port < links.length ? links[back.port] : links[rxPort];
    }

    /** The MTU toward {@code <af, hi, lo>}. */
    int mtuToward(int af, long hi, long lo) {
        return toward(af, hi, lo).mtu();
    }

    /**
     * Asks for the MAC of {@code <af, hi, lo>} on port {@code p} (ARP request or neighbour solicitation), at
     * most once a second. Only the worker that keeps the neighbour caches asks; the others pass the next hop to
     * it through its inbox, so that a frame toward a next hop only they need (a NAT reply to a client on the
     * link) is not left waiting for an answer nobody asked for.
     */
    void request(int p, int af, long hi, long lo, long now) {
        if (keeper != null) {
            passToKeeper(p, af, hi, lo, now);
            return;
        }
        if (!tables[p].shouldRequest(af, hi, lo, now)) {
            return;
        }
        Link link = links[p];
        UnsafeBuffer out = scratch();
        int len = af == Af.INET
            ? Arp.request(out, link.mac(), (int) link.addressLo(Af.INET), (int) lo)
            : NeighborDiscovery.solicit(out, link.mac(), link.addressHi(Af.INET6), link.addressLo(Af.INET6), hi, lo);
        counters.neighbourRequests++;
        transmitFrame(p, out, len);
    }

    private void passToKeeper(int p, int af, long hi, long lo, long now) {
        for (int i = 0; i < PASSED; i++) {
            if (passedAt[i] != 0 && passedAf[i] == af && passedHi[i] == hi && passedLo[i] == lo
                && now - passedAt[i] < NeighbourTable.RETRANSMIT_NANOS) {
                return;
            }
        }
        if (keeper.offerNeighbourRequest(p, af, hi, lo)) {
            int i = passedNext;
            passedNext = (i + 1) % PASSED;
            passedAf[i] = af;
            passedHi[i] = hi;
            passedLo[i] = lo;
            passedAt[i] = now == 0 ? 1 : now;
            counters.neighbourPassed++;
            keeper.wake();
        }
    }

    /** Asks for the MAC of the next hop toward {@code <af, hi, lo>}, when a route leads there. */
    void resolve(int af, long hi, long lo, long now) {
        if (routes.lookup(af, hi, lo, hop) && hop.port < ios.length) {
            request(hop.port, af, hop.hi, hop.lo, now);
        }
    }

    /** The port the route toward {@code <af, hi, lo>} leaves by, or -1 when no route leads to a data-plane one. */
    int portToward(int af, long hi, long lo) {
        return routes.lookup(af, hi, lo, hop) && hop.port < ios.length ? hop.port : -1;
    }

    /**
     * Sends the waiting frames whose next hop has been resolved, in the order they came, and gives up those
     * whose next hop did not answer in time (the kernel's unres_qlen and retrans timers).
     */
    int sendPending(long now) {
        if (pending.size() == 0) {
            return 0;
        }
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
                unresolved.givenUp(pending.frame(i), pending.length(i));
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

    /** Frames waiting for their next hop's MAC. */
    int pendingFrames() {
        return pending.size();
    }

    /** A free scratch frame; when all are queued, sends them first (the kernel copies on send). */
    UnsafeBuffer scratch() {
        if (scratchUsed == scratchView.length) {
            flushAll();
            scratchUsed = 0;
        }
        return scratchView[scratchUsed++];
    }

    /** Every scratch frame is free again (a new cycle: last cycle's were flushed). */
    void resetScratch() {
        scratchUsed = 0;
    }

    /** Hands every port's queued frames to the kernel. */
    void flushAll() {
        for (PacketIo io : ios) {
            io.flush();
        }
    }

    /** Releases the scratch memory and the waiting frames (the ports are closed by their owner). */
    void close() {
        pending.close();
        arena.close();
    }
}
