package uvs.ctl.format;

import uvs.core.net.Af;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.ServiceFlags;
import uvs.core.svc.ServiceKey;
import uvs.ctl.view.ServiceView;

/**
 * How ipvsadm names services, real servers, forwarding methods and scheduler flags. ipvsadm cuts IPv4
 * names in the tables at 33 (service) and 28 (real server) characters; that only bites resolved host
 * names, since the longest numeric forms ({@code "SCTP 255.255.255.255:65535"}, 26, and
 * {@code "255.255.255.255:65535"}, 21) fit, so the cut is not needed here.
 */
final class Names {
    /** Width of the service column in the statistics tables ({@code %-33s}). */
    static final int SERVICE_NAME_MAX = 33;
    /** Width of the real-server column ({@code %-28s}). */
    static final int DEST_NAME_MAX = 28;
    /** The IPVS version the kernel reports (1.2.1). */
    static final String IPVS_VERSION = "1.2.1";
    /** What glibc's printf writes for a NULL string, as ipvsadm does for a method it has no name for. */
    static final String NULL_STRING = "(null)";

    private Names() {
    }

    /** ipvsadm's protocol_name (only the three service protocols have names). */
    static String protocol(int protocol) {
        return switch (protocol) {
            case IpProto.TCP -> "TCP";
            case IpProto.UDP -> "UDP";
            case IpProto.SCTP -> "SCTP";
            default -> "?";
        };
    }

    /** The service column of the tables: {@code "TCP  10.0.0.1:80"}, {@code "FWM  1"}, {@code "FWM  1 IPv6"}. */
    static String listName(ServiceView s) {
        ServiceKey k = s.key();
        if (k.isFwmark()) {
            return "FWM  " + Integer.toUnsignedString(k.fwmark()) + (k.af() == Af.INET6 ? " IPv6" : "");
        }
        StringBuilder sb = new StringBuilder(48);
        return Columns.left(sb, protocol(k.protocol()), 4).append(' ').append(k.address().withPort(k.port()))
            .toString();
    }

    /** The service in {@code -S} form: {@code "-t 10.0.0.1:80"}, {@code "-f 1"}, {@code "-f 1 -6"}. */
    static String ruleName(ServiceView s) {
        ServiceKey k = s.key();
        if (k.isFwmark()) {
            return "-f " + Integer.toUnsignedString(k.fwmark()) + (k.af() == Af.INET6 ? " -6" : "");
        }
        String option = switch (k.protocol()) {
            case IpProto.TCP -> "-t";
            case IpProto.UDP -> "-u";
            case IpProto.SCTP -> "--sctp-service";
            default -> "--xxx-service";
        };
        return option + " " + k.address().withPort(k.port());
    }

    /** ipvsadm's fwd_name: Masq, Local, Tunnel, Route. */
    static String forward(ForwardMethod m) {
        return switch (m) {
            case MASQ -> "Masq";
            case LOCAL -> "Local";
            case TUNNEL -> "Tunnel";
            case ROUTE -> "Route";
            // ipvsadm has no name for a bypass real server and passes NULL to printf
            case BYPASS -> NULL_STRING;
        };
    }

    /** ipvsadm's fwd_switch for {@code -S}: -m, -i, -g (local delivery is saved as -g). */
    static String forwardOption(ForwardMethod m) {
        return switch (m) {
            case MASQ -> "-m";
            case TUNNEL -> "-i";
            case LOCAL, ROUTE -> "-g";
            case BYPASS -> NULL_STRING;
        };
    }

    /**
     * print_sched_flags: the set SCHED1..3 bits by name, comma-separated; the names depend on the
     * scheduler (sh-fallback/sh-port, mh-fallback/mh-port, else flag-1/2/3). Appends nothing when no
     * bit has a name for this scheduler (e.g. SCHED3 on sh).
     */
    static StringBuilder schedFlags(StringBuilder sb, ServiceView s) {
        int flags = s.flags();
        int start = sb.length();
        String sched = s.scheduler();
        if (sched.equals("sh") || sched.equals("mh")) {
            if ((flags & ServiceFlags.SCHED1) != 0) {
                sb.append(sched).append("-fallback,");
            }
            if ((flags & ServiceFlags.SCHED2) != 0) {
                sb.append(sched).append("-port,");
            }
        } else {
            if ((flags & ServiceFlags.SCHED1) != 0) {
                sb.append("flag-1,");
            }
            if ((flags & ServiceFlags.SCHED2) != 0) {
                sb.append("flag-2,");
            }
            if ((flags & ServiceFlags.SCHED3) != 0) {
                sb.append("flag-3,");
            }
        }
        if (sb.length() > start) {
            sb.setLength(sb.length() - 1);
        }
        return sb;
    }

    /** The IPv4 netmask in dotted form (inet_ntoa). */
    static String dottedMask(int mask) {
        return IpAddress.v4(mask).toString();
    }
}
