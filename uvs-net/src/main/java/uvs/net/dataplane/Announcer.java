package uvs.net.dataplane;

import org.agrona.concurrent.UnsafeBuffer;
import uvs.core.net.Af;
import uvs.net.forward.Arp;
import uvs.net.forward.NeighborDiscovery;

/**
 * Gratuitous ARP and unsolicited neighbour advertisements for the announced addresses (three one second apart
 * after an address is announced, then one a minute), so that switches and neighbours move to this director.
 * Run once a second by worker 0; it owns the {@link AnnouncedAddresses}, changed only on that thread. It never
 * answers a request ({@link NeighbourResponder} does).
 */
final class Announcer {
    private final AnnouncedAddresses announced = new AnnouncedAddresses();
    private final Egress egress;
    private final DataPlaneCounters counters;

    Announcer(Egress egress, DataPlaneCounters counters) {
        this.egress = egress;
        this.counters = counters;
    }

    /** The addresses answered for and announced. */
    AnnouncedAddresses addresses() {
        return announced;
    }

    /** Sends the announcements due at {@code now}; returns the addresses announced. */
    int announceDue(long now) {
        int work = 0;
        for (int i = 0; i < announced.size(); i++) {
            if (announced.announceDue(i, now)) {
                // on the interface the address's subnet is on; on every one when no route says
                int routed = egress.portToward(announced.af(i), announced.hi(i), announced.lo(i));
                for (int p = 0; p < egress.ports(); p++) {
                    if (routed < 0 || p == routed) {
                        announce(p, i);
                    }
                }
                work++;
            }
        }
        return work;
    }

    private void announce(int p, int i) {
        UnsafeBuffer out = egress.scratch();
        long mac = egress.link(p).mac();
        int len = announced.af(i) == Af.INET
            ? Arp.gratuitous(out, mac, (int) announced.lo(i))
            : NeighborDiscovery.unsolicitedAdvert(out, mac, announced.hi(i), announced.lo(i));
        counters.announcements++;
        egress.transmitFrame(p, out, len);
    }
}
