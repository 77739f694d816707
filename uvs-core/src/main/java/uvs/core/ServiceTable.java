package uvs.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import uvs.core.net.Af;
import uvs.core.net.IpProto;
import uvs.core.svc.ServiceKey;
import uvs.core.svc.VirtualService;

/**
 * Finds the virtual service of a packet without allocating, in the kernel's order (ip_vs_service_find):
 * firewall mark first, then {@code <protocol, VIP, port>}, then the FTP-data rule, then the port-zero
 * service of the VIP.
 */
final class ServiceTable {
    static final int FTP_PORT = 21;
    static final int FTP_DATA_PORT = 20;
    /** net.ipv4.ip_unprivileged_port_start default: ports from here on need no privilege. */
    static final int UNPRIVILEGED_PORT_START = 1024;

    private final Int2ObjectHashMap<VirtualService> fwmark4 = new Int2ObjectHashMap<>();
    private final Int2ObjectHashMap<VirtualService> fwmark6 = new Int2ObjectHashMap<>();
    private final Long2ObjectHashMap<VirtualService> v4 = new Long2ObjectHashMap<>();
    // IPv6 services keyed by a 64-bit digest; colliding services share an array
    private final Long2ObjectHashMap<VirtualService[]> v6 = new Long2ObjectHashMap<>();
    private final List<VirtualService> all = new ArrayList<>();
    private int ftpServices;
    private int portZeroServices;

    int size() {
        return all.size();
    }

    List<VirtualService> all() {
        return all;
    }

    /** Exact lookup by key (control plane). */
    VirtualService get(ServiceKey k) {
        if (k.isFwmark()) {
            return (k.af() == Af.INET6 ? fwmark6 : fwmark4).get(k.fwmark());
        }
        return k.af() == Af.INET
            ? v4.get(key4(k.protocol(), (int) k.address().lo(), k.port()))
            : find6(k.protocol(), k.address().hi(), k.address().lo(), k.port());
    }

    void add(VirtualService s) {
        ServiceKey k = s.key();
        if (k.isFwmark()) {
            (k.af() == Af.INET6 ? fwmark6 : fwmark4).put(k.fwmark(), s);
        } else if (k.af() == Af.INET) {
            v4.put(key4(k.protocol(), (int) k.address().lo(), k.port()), s);
        } else {
            long h = key6(k.protocol(), k.address().hi(), k.address().lo(), k.port());
            VirtualService[] chain = v6.get(h);
            VirtualService[] n = chain == null ? new VirtualService[1] : Arrays.copyOf(chain, chain.length + 1);
            n[n.length - 1] = s;
            v6.put(h, n);
        }
        if (!k.isFwmark() && k.port() == FTP_PORT) {
            ftpServices++;
        }
        if (!k.isFwmark() && k.port() == 0) {
            portZeroServices++;
        }
        all.add(s);
    }

    void remove(VirtualService s) {
        ServiceKey k = s.key();
        if (k.isFwmark()) {
            (k.af() == Af.INET6 ? fwmark6 : fwmark4).remove(k.fwmark());
        } else if (k.af() == Af.INET) {
            v4.remove(key4(k.protocol(), (int) k.address().lo(), k.port()));
        } else {
            long h = key6(k.protocol(), k.address().hi(), k.address().lo(), k.port());
            VirtualService[] chain = v6.get(h);
            if (chain != null) {
                VirtualService[] n = Arrays.stream(chain).filter(x -> x != s).toArray(VirtualService[]::new);
                if (n.length == 0) {
                    v6.remove(h);
                } else {
                    v6.put(h, n);
                }
            }
        }
        if (!k.isFwmark() && k.port() == FTP_PORT) {
            ftpServices--;
        }
        if (!k.isFwmark() && k.port() == 0) {
            portZeroServices--;
        }
        all.remove(s);
    }

    /** The service for a packet (hot path), or null. */
    VirtualService find(int af, int fwmark, int protocol, long vHi, long vLo, int vport) {
        VirtualService s;
        if (fwmark != 0) {
            s = (af == Af.INET6 ? fwmark6 : fwmark4).get(fwmark);
            if (s != null) {
                return s;
            }
        }
        s = exact(af, protocol, vHi, vLo, vport);
        if (s == null && protocol == IpProto.TCP && ftpServices > 0
            && (vport == FTP_DATA_PORT || vport >= UNPRIVILEGED_PORT_START)) {
            s = exact(af, protocol, vHi, vLo, FTP_PORT);
        }
        if (s == null && portZeroServices > 0) {
            s = exact(af, protocol, vHi, vLo, 0);
        }
        return s;
    }

    private VirtualService exact(int af, int protocol, long vHi, long vLo, int vport) {
        return af == Af.INET ? v4.get(key4(protocol, (int) vLo, vport)) : find6(protocol, vHi, vLo, vport);
    }

    private VirtualService find6(int protocol, long hi, long lo, int port) {
        VirtualService[] chain = v6.get(key6(protocol, hi, lo, port));
        if (chain == null) {
            return null;
        }
        for (VirtualService s : chain) {
            ServiceKey k = s.key();
            if (k.protocol() == protocol && k.port() == port && k.address().hi() == hi && k.address().lo() == lo) {
                return s;
            }
        }
        return null;
    }

    private static long key4(int protocol, int addr, int port) {
        return (long) protocol << 48 | (long) port << 32 | (addr & 0xffff_ffffL);
    }

    private static long key6(int protocol, long hi, long lo, int port) {
        long h = hi * 0x9E37_79B9_7F4A_7C15L ^ lo;
        h = (h ^ (h >>> 29)) * 0xBF58_476D_1CE4_E5B9L;
        return h ^ ((long) protocol << 16 | port);
    }
}
