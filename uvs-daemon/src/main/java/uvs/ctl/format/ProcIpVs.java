package uvs.ctl.format;

import java.util.List;
import uvs.core.net.Af;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.svc.ServiceConfig;
import uvs.ctl.view.DestView;
import uvs.ctl.view.EngineView;
import uvs.ctl.view.ServiceView;
import uvs.time.Jiffies;

/**
 * The kernel's /proc/net/ip_vs (ip_vs_info_seq_show): addresses and ports in hex, services in kernel
 * order (address services, then firewall-mark services), real servers in list order, no sorting.
 *
 * <p>The persistence timeout is printed as the kernel stores it, in jiffies (seconds × HZ, as a C int),
 * so it depends on the kernel's HZ. The default is the engine's own {@link Jiffies#HZ} (250, also the
 * usual distribution kernel setting). An IPv6 service's netmask is a prefix length that the kernel keeps
 * in host order in a big-endian field and prints through ntohl: on a little-endian machine (x86), /128
 * shows as {@code 80000000}; this class prints the x86 form.
 */
public final class ProcIpVs {
    private final int hz;

    /** /proc/net/ip_vs with the engine's HZ (250). */
    public ProcIpVs() {
        this(Jiffies.HZ);
    }

    /**
     * /proc/net/ip_vs as a kernel with this HZ prints it.
     *
     * @param hz timer ticks per second, 1..10000
     */
    public ProcIpVs(int hz) {
        if (hz < 1 || hz > 10_000) {
            throw new IllegalArgumentException("HZ " + hz + " is out of range 1..10000");
        }
        this.hz = hz;
    }

    /** Appends the three header lines and every service with its real servers. */
    public void format(EngineView view, StringBuilder out) {
        out.append("IP Virtual Server version ").append(Names.IPVS_VERSION)
            .append(" (size=").append(view.connTabSize()).append(")\n")
            .append("Prot LocalAddress:Port Scheduler Flags\n")
            .append("  -> RemoteAddress:Port Forward Weight ActiveConn InActConn\n");
        List<ServiceView> services = view.services();
        for (int i = 0; i < services.size(); i++) {
            service(services.get(i), out);
        }
    }

    /** {@link #format(EngineView, StringBuilder)} as a string. */
    public String format(EngineView view) {
        StringBuilder sb = new StringBuilder(256);
        format(view, sb);
        return sb.toString();
    }

    private void service(ServiceView s, StringBuilder out) {
        ServiceConfig c = s.config();
        String ops = c.isOnePacket() ? "ops " : "";
        if (s.key().isFwmark()) {
            Columns.hex(out.append("FWM  "), s.key().fwmark(), 8).append(' ').append(c.scheduler()).append(' ')
                .append(ops);
        } else if (s.key().af() == Af.INET6) {
            // the kernel's IPv6 line has no ops marker
            out.append(IpProto.name(s.key().protocol())).append("  [");
            address(out, s.key().address());
            Columns.hex(out.append("]:"), s.key().port(), 4).append(' ').append(c.scheduler()).append(' ');
        } else {
            out.append(IpProto.name(s.key().protocol())).append("  ");
            address(out, s.key().address());
            Columns.hex(out.append(':'), s.key().port(), 4).append(' ').append(c.scheduler()).append(' ')
                .append(ops).append(' ');
        }
        if (c.isPersistent()) {
            int mask = s.key().af() == Af.INET6 ? Integer.reverseBytes(c.netmask()) : c.netmask();
            out.append("persistent ").append(c.persistTimeout() * hz).append(' ');
            Columns.hex(out, mask, 8).append('\n');
        } else {
            out.append('\n');
        }
        List<DestView> dests = s.dests();
        for (int i = 0; i < dests.size(); i++) {
            DestView d = dests.get(i);
            out.append("  -> ");
            boolean v6 = d.address().af() == Af.INET6;
            if (v6) {
                out.append('[');
            }
            address(out, d.address());
            if (v6) {
                out.append(']');
            }
            Columns.hex(out.append(':'), d.port(), 4).append("      ");
            Columns.left(out, forward(d), 7).append(' ');
            Columns.left(out, Integer.toString(d.weight()), 6).append(' ');
            Columns.left(out, Integer.toString(d.activeConns()), 10).append(' ');
            Columns.left(out, Integer.toString(d.inactConns()), 10).append('\n');
        }
    }

    /** {@code %08X} of an IPv4 address or the kernel's {@code %pI6} of an IPv6 one. */
    static StringBuilder address(StringBuilder out, IpAddress a) {
        return a.af() == Af.INET6 ? Columns.ipv6Full(out, a.hi(), a.lo()) : Columns.hex(out, a.lo(), 8);
    }

    /** The kernel's ip_vs_fwd_name: Local, Tunnel, Route, anything else Masq. */
    private static String forward(DestView d) {
        return switch (d.forward()) {
            case LOCAL -> "Local";
            case TUNNEL -> "Tunnel";
            case ROUTE -> "Route";
            case MASQ, BYPASS -> "Masq";
        };
    }
}
