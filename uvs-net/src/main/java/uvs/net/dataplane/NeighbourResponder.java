package uvs.net.dataplane;

import org.agrona.concurrent.UnsafeBuffer;
import uvs.core.Engine;
import uvs.core.net.Af;
import uvs.core.net.IpAddress;
import uvs.core.svc.RealServer;
import uvs.core.svc.VirtualService;
import uvs.net.forward.Arp;
import uvs.net.forward.NeighborDiscovery;
import uvs.net.io.RxFrames;
import uvs.net.packet.ArpHeader;
import uvs.net.packet.Frame;

/**
 * ARP and neighbour discovery on worker 0, which keeps the neighbour caches: learns MACs from requests and
 * answers addressed to the director, answers requests for announced addresses, and once a second asks for the
 * MACs of every real server and gateway before traffic needs them. Another worker passes such frames to
 * worker 0. It never forwards a packet and never sends a gratuitous announcement ({@link Announcer} does).
 */
final class NeighbourResponder {
    private final Engine engine;
    private final Egress egress;
    private final ShardHandOff handOff;
    private final NeighbourTable[] tables;
    private final AnnouncedAddresses announced;
    private final DataPlaneCounters counters;
    /** Asks for a gateway's MAC (one visitor for the worker's life: the refresh does not allocate). */
    private final NextHops.AddressVisitor gatewayRequest;
    private long refreshNow;

    NeighbourResponder(Engine engine, Egress egress, ShardHandOff handOff, NeighbourTable[] tables,
                       AnnouncedAddresses announced, DataPlaneCounters counters) {
        this.engine = engine;
        this.egress = egress;
        this.handOff = handOff;
        this.tables = tables;
        this.announced = announced;
        this.counters = counters;
        this.gatewayRequest = (p, af, hi, lo) -> {
            if (p < egress.ports()) {
                egress.request(p, af, hi, lo, refreshNow);
            }
        };
    }

    /** An ARP or ND frame received on port {@code p} ({@code type}: the packet socket's packet type). */
    void frame(UnsafeBuffer b, int length, Frame f, byte type, int p, long now) {
        if (handOff.passNeighbour(b, length, p)) {
            return;
        }
        switch (f.kind) {
            case Frame.ARP -> arp(p, f, now);
            case Frame.NEIGHBOR_SOLICIT -> solicit(p, f, now);
            default -> {
                if (f.ndLinkAddr != NeighbourTable.NONE) {
                    tables[p].learn(Af.INET6, f.ndTargetHi, f.ndTargetLo, f.ndLinkAddr, now, type == RxFrames.HOST);
                }
            }
        }
    }

    private void arp(int p, Frame f, long now) {
        Link link = egress.link(p);
        long target = f.arpTargetIp & 0xffff_ffffL;
        long sender = f.arpSenderIp & 0xffff_ffffL;
        // a request addressed to us or an answer: remember the sender; a broadcast only refreshes
        boolean forUs = link.isOwn(Af.INET, 0, target) || announced.contains(Af.INET, 0, target);
        if (sender != 0) {
            tables[p].learn(Af.INET, 0, sender, f.arpSenderMac, now, forUs || f.arpOp == ArpHeader.OP_REPLY);
        }
        if (f.arpOp == ArpHeader.OP_REQUEST && sender != target && announced.contains(Af.INET, 0, target)) {
            UnsafeBuffer out = egress.scratch();
            int len = Arp.reply(out, link.mac(), f.arpTargetIp, f.arpSenderMac, f.arpSenderIp);
            counters.announcements++;
            egress.transmitFrame(p, out, len);
        }
    }

    private void solicit(int p, Frame f, long now) {
        Link link = egress.link(p);
        boolean forUs = link.isOwn(Af.INET6, f.ndTargetHi, f.ndTargetLo)
            || announced.contains(Af.INET6, f.ndTargetHi, f.ndTargetLo);
        boolean unspecified = f.srcHi == 0 && f.srcLo == 0;
        if (f.ndLinkAddr != NeighbourTable.NONE && !unspecified) {
            tables[p].learn(Af.INET6, f.srcHi, f.srcLo, f.ndLinkAddr, now, forUs);
        }
        if (!unspecified && f.ndLinkAddr != NeighbourTable.NONE
            && announced.contains(Af.INET6, f.ndTargetHi, f.ndTargetLo)) {
            UnsafeBuffer out = egress.scratch();
            int len = NeighborDiscovery.advertise(out, link.mac(), f.ndTargetHi, f.ndTargetLo, f.ndLinkAddr,
                f.srcHi, f.srcLo, true, true);
            counters.announcements++;
            egress.transmitFrame(p, out, len);
        }
    }

    /** Once a second on worker 0: asks for the MACs of every real server and gateway that are not fresh. */
    int refresh(long now) {
        for (VirtualService s : engine.services()) {
            for (RealServer r : s.dests()) {
                IpAddress a = r.address();
                egress.resolve(a.af(), a.hi(), a.lo(), now);
            }
        }
        refreshNow = now;
        egress.routes().gateways(gatewayRequest);
        return 0;
    }
}
