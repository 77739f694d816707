package uvs.net.dataplane;

import org.agrona.concurrent.UnsafeBuffer;
import uvs.core.PacketHeader;
import uvs.core.net.Af;
import uvs.net.forward.IcmpErrors;
import uvs.net.forward.XmitResult;
import uvs.net.packet.Ethernet;
import uvs.net.packet.Frame;
import uvs.net.packet.FrameParser;

/**
 * The ICMP errors the director sends itself, to a packet's source: time exceeded (TTL ran out), fragmentation
 * needed / packet too big (over the MTU, ipvs-reference §8), port unreachable (the engine's verdict) and host
 * unreachable (the next hop never answered ARP/ND). Called by the forwarding parts and by {@link Egress} for
 * given-up frames; it never forwards a packet or decides a verdict.
 */
final class IcmpSender {
    private final Egress egress;
    private final IcmpErrors errors;
    private final DataPlaneCounters counters;
    private final Frame frame = new Frame();
    private final PacketHeader header = new PacketHeader();
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);

    IcmpSender(Egress egress, int seed, DataPlaneCounters counters) {
        this.egress = egress;
        this.errors = new IcmpErrors(seed);
        this.counters = counters;
    }

    /** True when a rewrite succeeded; answers an expired TTL with ICMP time exceeded, counts the rest. */
    boolean rewritten(int rc, UnsafeBuffer b, Frame f) {
        if (rc == XmitResult.OK) {
            return true;
        }
        if (rc == XmitResult.TTL_EXCEEDED) {
            counters.ttlExpired++;
            Link link = egress.toward(f.af, f.srcHi, f.srcLo);
            UnsafeBuffer out = egress.scratch();
            send(out, errors.timeExceeded(b, f, link.addressHi(f.af), link.addressLo(f.af), out,
                Ethernet.HEADER_LENGTH), f);
        } else {
            counters.dropped++;
        }
        return false;
    }

    /**
     * A packet over the MTU (ipvs-reference §8): with DF, or IPv6, the sender learns the MTU from an ICMP
     * fragmentation needed / packet too big; UVS does not fragment, so any other is dropped. Both counted.
     */
    void tooBig(UnsafeBuffer b, Frame f, int mtu) {
        counters.tooBig++;
        if (f.df || f.af == Af.INET6) {
            Link link = egress.toward(f.af, f.srcHi, f.srcLo);
            UnsafeBuffer out = egress.scratch();
            send(out, errors.packetTooBig(b, f, mtu, link.addressHi(f.af), link.addressLo(f.af), out,
                Ethernet.HEADER_LENGTH), f);
        }
    }

    /**
     * Port unreachable: toward a client it comes from the address the client talked to; toward a NAT real
     * server, from the director.
     */
    void portUnreachable(UnsafeBuffer b, Frame f, PacketHeader h) {
        boolean input = h.direction == PacketHeader.DIR_INPUT;
        Link link = egress.toward(f.af, f.srcHi, f.srcLo);
        UnsafeBuffer out = egress.scratch();
        send(out, errors.portUnreachable(b, f, input ? h.dstHi : link.addressHi(f.af),
            input ? h.dstLo : link.addressLo(f.af), out, Ethernet.HEADER_LENGTH), f);
    }

    /** Host unreachable about a waiting frame whose next hop never answered. */
    void hostUnreachable(UnsafeBuffer b, int length) {
        view.wrap(b.addressOffset(), length);
        FrameParser.parse(view, length, frame, header.clear());
        if (frame.kind != Frame.IP) {
            return;
        }
        Link from = egress.toward(frame.af, frame.srcHi, frame.srcLo);
        UnsafeBuffer out = egress.scratch();
        send(out, errors.hostUnreachable(view, frame, from.addressHi(frame.af), from.addressLo(frame.af), out,
            Ethernet.HEADER_LENGTH), frame);
    }

    /** Sends the ICMP error built in {@code out} (IP packet of {@code ipLength} bytes) to the packet's source. */
    private void send(UnsafeBuffer out, int ipLength, Frame f) {
        if (ipLength <= 0) {
            return;
        }
        Ethernet.writeHeader(out, 0, egress.link(0).mac(), f.af == Af.INET ? Ethernet.ETH_P_IP : Ethernet.ETH_P_IPV6);
        if (egress.send(out.addressOffset(), Ethernet.HEADER_LENGTH + ipLength, f.af, f.srcHi, f.srcLo)) {
            counters.icmpSent++;
        }
    }
}
