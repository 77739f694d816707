package uvs.core.svc;

import uvs.core.net.Af;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;

/**
 * Identity of a virtual service: {@code <protocol, VIP, port>} or a firewall mark (with its address family).
 *
 * @param fwmark firewall mark, or 0 for an address service
 * @param af address family
 * @param protocol TCP, UDP or SCTP for address services (fwmark services record TCP as ipvsadm does)
 * @param address VIP (null for fwmark services)
 * @param port virtual port, 0 = all ports
 */
public record ServiceKey(int fwmark, int af, int protocol, IpAddress address, int port)
        implements Comparable<ServiceKey> {

    /** An address service. */
    public static ServiceKey of(int protocol, IpAddress vip, int port) {
        return new ServiceKey(0, vip.af(), protocol, vip, port);
    }

    /** A firewall-mark service. */
    public static ServiceKey fwmark(int mark, int af) {
        return new ServiceKey(mark, af, IpProto.TCP, null, 0);
    }

    /** True for a firewall-mark service. */
    public boolean isFwmark() {
        return fwmark != 0;
    }

    /** As ipvsadm names it: {@code TCP 10.0.0.1:80}, {@code FWM 1}. */
    @Override
    public String toString() {
        if (isFwmark()) {
            return "FWM " + Integer.toUnsignedString(fwmark) + (af == Af.INET6 ? " IPv6" : "");
        }
        return IpProto.name(protocol) + " " + address.withPort(port);
    }

    /** ipvsadm's sort: fwmark services after address services; then fwmark, af, protocol, address, port. */
    @Override
    public int compareTo(ServiceKey o) {
        int c = Long.compare(Integer.toUnsignedLong(fwmark), Integer.toUnsignedLong(o.fwmark));
        if (c != 0) {
            return c;
        }
        c = Integer.compare(af, o.af);
        if (c != 0) {
            return c;
        }
        c = Integer.compare(protocol, o.protocol);
        if (c != 0) {
            return c;
        }
        if (address != null && o.address != null) {
            c = address.compareTo(o.address);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(port, o.port);
    }
}
