package uvs.net.dataplane;

import java.util.List;
import uvs.core.net.Af;
import uvs.core.net.IpAddress;

/**
 * The data-plane interface as the worker needs it: its MAC, MTU and own addresses (the source of ARP/ND
 * requests, of ICMP errors the director sends and of tunnel headers).
 *
 * @param name interface name
 * @param mac MAC address in the low 48 bits
 * @param mtu IP MTU
 * @param addresses the interface's addresses, the preferred source of each family first
 */
public record Link(String name, long mac, int mtu, List<IpAddress> addresses) {
    /** Copies the address list. */
    public Link {
        addresses = List.copyOf(addresses);
        if (mtu < 68) {
            throw new IllegalArgumentException("interface " + name + ": MTU " + mtu + " is below 68");
        }
    }

    /** High half of the preferred address of {@code af}, 0 if none. */
    public long addressHi(int af) {
        IpAddress a = first(af);
        return a == null ? 0 : a.hi();
    }

    /** Low half of the preferred address of {@code af}, 0 if none. */
    public long addressLo(int af) {
        IpAddress a = first(af);
        return a == null ? 0 : a.lo();
    }

    /** True if {@code <af, hi, lo>} is one of the interface's own addresses. */
    public boolean isOwn(int af, long hi, long lo) {
        for (int i = 0; i < addresses.size(); i++) {
            IpAddress a = addresses.get(i);
            if (a.af() == af && a.hi() == hi && a.lo() == lo) {
                return true;
            }
        }
        return false;
    }

    private IpAddress first(int af) {
        for (int i = 0; i < addresses.size(); i++) {
            IpAddress a = addresses.get(i);
            // an IPv6 link-local address is no source for routed packets
            if (a.af() == af && !(af == Af.INET6 && (a.hi() >>> 48) == 0xfe80)) {
                return a;
            }
        }
        return null;
    }
}
