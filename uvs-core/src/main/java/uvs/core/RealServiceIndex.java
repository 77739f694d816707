package uvs.core;

import org.agrona.collections.Long2LongHashMap;
import uvs.core.net.Af;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServer;

/**
 * The kernel's rs_table for {@code ip_vs_has_real_service}: which {@code <protocol, address, port>} are
 * NAT real servers, so that nat_icmp_send can answer their stray packets. Fwmark services count for
 * every protocol (stored under protocol 0).
 */
final class RealServiceIndex {
    private final Long2LongHashMap counts = new Long2LongHashMap(0);

    /** Notes a listed NAT server (call when a server enters a list or becomes NAT). */
    void add(RealServer d) {
        if (d.forward() == ForwardMethod.MASQ) {
            long k = key(d);
            counts.put(k, counts.get(k) + 1);
        }
    }

    /** Forgets a server noted by {@link #add}. */
    void remove(RealServer d) {
        if (d.forward() == ForwardMethod.MASQ) {
            long k = key(d);
            long n = counts.get(k) - 1;
            if (n <= 0) {
                counts.remove(k);
            } else {
                counts.put(k, n);
            }
        }
    }

    /** True if a NAT real server with this protocol (or a fwmark service) and address:port exists. */
    boolean has(int af, int protocol, long hi, long lo, int port) {
        return counts.get(key(af, protocol, hi, lo, port)) > 0 || counts.get(key(af, 0, hi, lo, port)) > 0;
    }

    private static long key(RealServer d) {
        int proto = d.service().key().isFwmark() ? 0 : d.service().key().protocol();
        return key(d.address().af(), proto, d.address().hi(), d.address().lo(), d.port());
    }

    private static long key(int af, int protocol, long hi, long lo, int port) {
        if (af == Af.INET) {
            return (long) protocol << 48 | (long) port << 32 | (lo & 0xffff_ffffL);
        }
        // IPv6: a 64-bit digest; the top bit keeps it apart from every IPv4 key
        long h = hi * 0x9E37_79B9_7F4A_7C15L ^ lo;
        h = (h ^ (h >>> 31)) * 0xBF58_476D_1CE4_E5B9L;
        h ^= (long) protocol << 16 | port;
        return h | Long.MIN_VALUE;
    }
}
