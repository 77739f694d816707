package uvs.net.dataplane;

import org.agrona.concurrent.UnsafeBuffer;
import uvs.core.Decision;
import uvs.core.Engine;
import uvs.core.PacketHeader;
import uvs.core.conn.ConnFlags;
import uvs.core.net.Af;
import uvs.core.svc.RealServer;
import uvs.net.forward.DirectRouteXmit;
import uvs.net.forward.NatXmit;
import uvs.net.forward.TunnelXmit;
import uvs.net.forward.XmitResult;
import uvs.net.packet.Ethernet;
import uvs.net.packet.Frame;

/**
 * Carries out the engine's decision for a packet: to the real server by the connection's bound transmit
 * ({@link BoundXmit}), NAT replies back to the client with the virtual address, bypassed packets routed on,
 * port unreachable and drops; the MTU is checked first (ipvs-reference §8). Also sends relayed ICMP errors
 * the same way. Called by the receive loop and the ICMP relay for packets of this worker's shard; it never
 * asks the engine anything and never reads a ring.
 */
final class Forwarder {
    private final Engine engine;
    private final Egress egress;
    private final IcmpSender icmp;
    private final TunnelXmit tunnel;
    private final DataPlaneCounters counters;
    private final BoundXmit[] bound;
    /** The smallest MTU of the data-plane interfaces: smaller packets skip the per-route MTU look-up. */
    private final int minMtu;

    Forwarder(Engine engine, Egress egress, IcmpSender icmp, int seed, DataPlaneCounters counters, int minMtu) {
        this.engine = engine;
        this.egress = egress;
        this.icmp = icmp;
        this.tunnel = new TunnelXmit(seed, seed >>> 16);
        this.counters = counters;
        this.minMtu = minMtu;
        this.bound = BoundXmit.table(this);
    }

    /** The transmit the connection of {@code d} was bound to. */
    private BoundXmit bound(Decision d) {
        return bound[d.connFlags & ConnFlags.FWD_MASK];
    }

    /** Carries out decision {@code d} for the frame at {@code address} ({@code b} views it). */
    void act(UnsafeBuffer b, long address, int length, Frame f, PacketHeader h, Decision d) {
        switch (d.verdict) {
            case FORWARD -> {
                BoundXmit x = bound(d);
                if (x.keepsSize() && overMtu(b, f, f.af, d.daddrHi, d.daddrLo)) {
                    return;
                }
                x.forward(b, address, length, f, d);
            }
            case FORWARD_REPLY -> {
                if (overMtu(b, f, h.af, h.dstHi, h.dstLo)) {
                    return;
                }
                if (icmp.rewritten(NatXmit.snat(b, f, d), b, f)
                    && egress.send(address, length, h.af, h.dstHi, h.dstLo)) {
                    counters.replies++;
                }
            }
            case BYPASS -> {
                if (overMtu(b, f, h.af, h.dstHi, h.dstLo)) {
                    return;
                }
                if (icmp.rewritten(DirectRouteXmit.decrementTtl(b, f), b, f)) {
                    egress.send(address, length, h.af, h.dstHi, h.dstLo);
                }
            }
            case ICMP_UNREACHABLE -> icmp.portUnreachable(b, f, h);
            case DROP -> counters.dropped++;
            default -> { }
        }
    }

    /** True (and the sender told) when the packet does not fit the interface toward {@code <af, hi, lo>}. */
    private boolean overMtu(UnsafeBuffer b, Frame f, int af, long hi, long lo) {
        if (f.ipLength <= minMtu) {
            return false;
        }
        int mtu = egress.mtuToward(af, hi, lo);
        if (f.ipLength > mtu) {
            icmp.tooBig(b, f, mtu);
            return true;
        }
        return false;
    }

    /** An ICMP error relayed toward the real server, by the connection's bound transmit. */
    void relayForward(UnsafeBuffer b, long address, int length, Frame f, Decision d) {
        bound(d).forwardIcmp(b, address, length, f, d);
    }

    /** An ICMP error from a NAT real server relayed toward the client, translated back. */
    void relayReply(long address, int length, UnsafeBuffer b, Frame f, Decision d) {
        if (NatXmit.snatIcmp(b, f, d) == XmitResult.OK && egress.send(address, length, f.af, f.dstHi, f.dstLo)) {
            counters.icmpRelayed++;
        }
    }

    /** Sends a rewritten packet to the real server (NAT, DR); an expired TTL is answered. */
    void sendRewritten(int rc, UnsafeBuffer b, long address, int length, Frame f, Decision d) {
        if (icmp.rewritten(rc, b, f) && egress.send(address, length, f.af, d.daddrHi, d.daddrLo)) {
            counters.forwarded++;
        }
    }

    /** Sends a rewritten ICMP error toward the real server (NAT, DR). */
    void relayRewritten(int rc, long address, int length, Frame f, Decision d) {
        if (rc == XmitResult.OK && egress.send(address, length, f.af, d.daddrHi, d.daddrLo)) {
            counters.icmpRelayed++;
        }
    }

    /** Tunnels the packet to the real server in a scratch frame; too big for the tunnel: the sender is told. */
    void encapsulate(UnsafeBuffer b, Frame f, Decision d) {
        RealServer dest = d.dest;
        if (dest == null) {
            counters.dropped++;
            return;
        }
        UnsafeBuffer out = egress.scratch();
        int outerAf = dest.address().af();
        Link link = egress.toward(outerAf, d.daddrHi, d.daddrLo);
        boolean pmtuDisc = engine.tunables().pmtuDisc() != 0;
        int ipLength = tunnel.encapsulate(b, f, dest, link.addressHi(outerAf), link.addressLo(outerAf), pmtuDisc,
            out, Ethernet.HEADER_LENGTH);
        if (!icmp.rewritten(ipLength < 0 ? ipLength : XmitResult.OK, b, f)) {
            return;
        }
        if (ipLength > link.mtu()) {
            // the tunnel made it too big: tell the sender the room left (ipvs-reference §8)
            icmp.tooBig(b, f, link.mtu() - (ipLength - f.ipLength));
            return;
        }
        Ethernet.writeHeader(out, 0, link.mac(), outerAf == Af.INET ? Ethernet.ETH_P_IP : Ethernet.ETH_P_IPV6);
        if (egress.send(out.addressOffset(), Ethernet.HEADER_LENGTH + ipLength, outerAf, d.daddrHi, d.daddrLo)) {
            counters.forwarded++;
        }
    }
}
