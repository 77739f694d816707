package uvs.ctl.cli;

import java.util.Locale;
import uvs.core.net.Af;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceFlags;
import uvs.core.svc.ServiceKey;
import uvs.core.svc.TunnelType;

/** Test helper: writes -A/-a commands back as {@code ipvsadm -S -n} lines, following spec §9.5 to the letter. */
final class SaveLine {
    private SaveLine() {
    }

    static String of(IpvsadmCommand cmd) {
        return switch (cmd) {
            case IpvsadmCommand.AddService a -> service(a.service(), a.config());
            case IpvsadmCommand.AddDest d -> dest(d.service(), d.address(), d.port(), d.config());
            default -> throw new IllegalArgumentException("not a -S line: " + cmd);
        };
    }

    private static String svc(ServiceKey k) {
        if (k.isFwmark()) {
            return "-f " + Integer.toUnsignedString(k.fwmark()) + (k.af() == Af.INET6 ? " -6" : "");
        }
        String opt = switch (k.protocol()) {
            case IpProto.TCP -> "-t";
            case IpProto.UDP -> "-u";
            default -> "--sctp-service";
        };
        return opt + " " + k.address().withPort(k.port());
    }

    private static String service(ServiceKey k, ServiceConfig c) {
        StringBuilder sb = new StringBuilder("-A ").append(svc(k)).append(" -s ").append(c.scheduler());
        if (c.isPersistent()) {
            sb.append(" -p ").append(c.persistTimeout());
            if (k.af() == Af.INET && c.netmask() != 0xffff_ffff) {
                sb.append(" -M ").append(IpAddress.v4(c.netmask()));
            }
            if (k.af() == Af.INET6 && c.netmask() != 128) {
                sb.append(" -M ").append(c.netmask());
            }
        }
        if (c.peName() != null) {
            sb.append(" --pe ").append(c.peName());
        }
        if (c.isOnePacket()) {
            sb.append(" -o");
        }
        if ((c.flags() & ServiceFlags.SCHED_MASK) != 0) {
            String p = c.scheduler().equals("sh") || c.scheduler().equals("mh") ? c.scheduler() + "-" : null;
            StringBuilder f = new StringBuilder();
            if ((c.flags() & ServiceFlags.SCHED1) != 0) {
                f.append(p != null ? p + "fallback," : "flag-1,");
            }
            if ((c.flags() & ServiceFlags.SCHED2) != 0) {
                f.append(p != null ? p + "port," : "flag-2,");
            }
            if (p == null && (c.flags() & ServiceFlags.SCHED3) != 0) {
                f.append("flag-3,");
            }
            sb.append(" -b ").append(f, 0, f.length() - 1);
        }
        return sb.toString();
    }

    private static String dest(ServiceKey k, IpAddress a, int port, RealServerConfig c) {
        StringBuilder sb = new StringBuilder("-a ").append(svc(k)).append(" -r ").append(a.withPort(port))
            .append(' ').append(c.forward().ipvsadmOption()).append(" -w ").append(c.weight());
        if (c.forward() == ForwardMethod.TUNNEL) {
            sb.append(" --tun-type ").append(c.tunnelType().ipvsadmName());
            if (c.tunnelType() == TunnelType.GUE) {
                sb.append(" --tun-port ").append(c.tunnelPort());
            }
            if (c.tunnelType() != TunnelType.IPIP) {
                sb.append(" --tun-").append(c.tunnelChecksum().name().toLowerCase(Locale.ROOT));
            }
        }
        return sb.toString();
    }
}
