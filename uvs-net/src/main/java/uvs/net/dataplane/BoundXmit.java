package uvs.net.dataplane;

import java.util.Arrays;
import org.agrona.concurrent.UnsafeBuffer;
import uvs.core.Decision;
import uvs.core.conn.ConnFlags;
import uvs.net.forward.DirectRouteXmit;
import uvs.net.forward.NatXmit;
import uvs.net.packet.Frame;

/**
 * How the packets of one connection leave toward its real server, as the kernel's {@code ip_vs_bind_xmit}
 * binds {@code cp->packet_xmit}: NAT, direct routing, tunnel or local. The choice is made once per connection
 * — the engine stores it as the forwarding-method bits of the connection's record when it binds the
 * connection to its real server (a new connection, or a synced one bound later) — and the worker turns those
 * bits into one of these objects with an array index ({@link #table}), so the per-packet path never switches
 * on the method. Replies of NAT connections are not bound: like the kernel's {@code handle_response} they are
 * translated the same way whatever the connection ({@link Forwarder}).
 */
abstract class BoundXmit {
    /** Sends one packet of the connection toward its real server. */
    abstract void forward(UnsafeBuffer b, long address, int length, Frame f, Decision d);

    /** Sends an ICMP error about the connection toward its real server (the quoted packet translated too). */
    abstract void forwardIcmp(UnsafeBuffer b, long address, int length, Frame f, Decision d);

    /** True when the packet leaves no bigger than it came: the MTU is checked before the rewrite. */
    abstract boolean keepsSize();

    /**
     * The transmit of each forwarding method, indexed by {@code connFlags & FWD_MASK} (a connection's bound
     * method); methods without their own transmit route directly, as IPVS's bypass does.
     */
    static BoundXmit[] table(Forwarder out) {
        BoundXmit direct = new DirectRoute(out);
        BoundXmit[] t = new BoundXmit[ConnFlags.FWD_MASK + 1];
        Arrays.fill(t, direct);
        t[ConnFlags.MASQ] = new Nat(out);
        t[ConnFlags.LOCALNODE] = new Local();
        t[ConnFlags.TUNNEL] = new Tunnel(out);
        return t;
    }

    /** A transmit that rewrites the frame in place and sends it to the real server (NAT, direct routing). */
    abstract static class InPlace extends BoundXmit {
        private final Forwarder out;

        InPlace(Forwarder out) {
            this.out = out;
        }

        /** Rewrites a packet of the connection; an {@code XmitResult}. */
        abstract int rewrite(UnsafeBuffer b, Frame f, Decision d);

        /** Rewrites an ICMP error about the connection; an {@code XmitResult}. */
        abstract int rewriteIcmp(UnsafeBuffer b, Frame f, Decision d);

        @Override
        final void forward(UnsafeBuffer b, long address, int length, Frame f, Decision d) {
            out.sendRewritten(rewrite(b, f, d), b, address, length, f, d);
        }

        @Override
        final void forwardIcmp(UnsafeBuffer b, long address, int length, Frame f, Decision d) {
            out.relayRewritten(rewriteIcmp(b, f, d), address, length, f, d);
        }

        @Override
        final boolean keepsSize() {
            return true;
        }
    }

    /** NAT ({@code ip_vs_nat_xmit}): destination address and port := the real server's. */
    static final class Nat extends InPlace {
        Nat(Forwarder out) {
            super(out);
        }

        @Override
        int rewrite(UnsafeBuffer b, Frame f, Decision d) {
            return NatXmit.dnat(b, f, d);
        }

        @Override
        int rewriteIcmp(UnsafeBuffer b, Frame f, Decision d) {
            return NatXmit.dnatIcmp(b, f, d);
        }
    }

    /** Direct routing ({@code ip_vs_dr_xmit}): the frame goes to the real server's MAC, TTL less one. */
    static final class DirectRoute extends InPlace {
        DirectRoute(Forwarder out) {
            super(out);
        }

        @Override
        int rewrite(UnsafeBuffer b, Frame f, Decision d) {
            return DirectRouteXmit.decrementTtl(b, f);
        }

        @Override
        int rewriteIcmp(UnsafeBuffer b, Frame f, Decision d) {
            return DirectRouteXmit.decrementTtl(b, f);
        }
    }

    /** Tunnelling ({@code ip_vs_tunnel_xmit}): a new outer header toward the real server, built in scratch. */
    static final class Tunnel extends BoundXmit {
        private final Forwarder out;

        Tunnel(Forwarder out) {
            this.out = out;
        }

        @Override
        void forward(UnsafeBuffer b, long address, int length, Frame f, Decision d) {
            out.encapsulate(b, f, d);
        }

        @Override
        void forwardIcmp(UnsafeBuffer b, long address, int length, Frame f, Decision d) {
            out.encapsulate(b, f, d);
        }

        @Override
        boolean keepsSize() {
            return false; // the tunnel checks the size of what it builds
        }
    }

    /** A local real server ({@code ip_vs_null_xmit}): nothing to send, the local stack has its own copy. */
    static final class Local extends BoundXmit {
        @Override
        void forward(UnsafeBuffer b, long address, int length, Frame f, Decision d) {
        }

        @Override
        void forwardIcmp(UnsafeBuffer b, long address, int length, Frame f, Decision d) {
        }

        @Override
        boolean keepsSize() {
            return false;
        }
    }
}
