package uvs.ctl.format;

import java.util.List;
import uvs.core.net.Af;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceFlags;
import uvs.ctl.view.DestView;
import uvs.ctl.view.EngineView;
import uvs.ctl.view.ServiceView;

/**
 * {@code ipvsadm -S [-n]}: the rules in {@code -R} syntax, sorted as {@code -L} sorts them. Thresholds
 * ({@code -x}/{@code -y}) are not saved, as in ipvsadm. Names are never resolved (see the package notes).
 */
public final class SaveFormat {
    /** The save format ({@code -S} and {@code -S -n} print the same). */
    public SaveFormat() {
        // stateless: one instance can serve every request
    }

    /** Appends every service and real server as {@code -A} / {@code -a} lines. */
    public void format(EngineView view, StringBuilder out) {
        List<ServiceView> services = IpvsadmSort.services(view.services());
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

    private static void service(ServiceView s, StringBuilder out) {
        String name = Names.ruleName(s);
        ServiceConfig c = s.config();
        out.append("-A ").append(name).append(" -s ").append(c.scheduler());
        if (c.isPersistent()) {
            out.append(" -p ").append(Columns.u32(c.persistTimeout()));
            if (s.key().af() == Af.INET) {
                if (c.netmask() != 0xffff_ffff) {
                    out.append(" -M ").append(Names.dottedMask(c.netmask()));
                }
            } else if (c.netmask() != 128) {
                out.append(" -M ").append(c.netmask());
            }
        }
        // unlike -L, -S writes the PE even for a service that is not persistent
        if (c.peName() != null && !c.peName().isEmpty()) {
            out.append(" --pe ").append(c.peName());
        }
        if (c.isOnePacket()) {
            out.append(" -o");
        }
        if ((c.flags() & ServiceFlags.SCHED_MASK) != 0) {
            Names.schedFlags(out.append(" -b "), s);
        }
        out.append('\n');
        List<DestView> dests = IpvsadmSort.dests(s.dests());
        for (int i = 0; i < dests.size(); i++) {
            dest(name, dests.get(i), out);
        }
    }

    private static void dest(String service, DestView d, StringBuilder out) {
        RealServerConfig c = d.config();
        out.append("-a ").append(service).append(" -r ").append(d.address().withPort(d.port()))
            .append(' ').append(Names.forwardOption(c.forward())).append(" -w ").append(c.weight());
        if (c.forward() == ForwardMethod.TUNNEL) {
            out.append(" --tun-type ").append(c.tunnelType().ipvsadmName());
            switch (c.tunnelType()) {
                case IPIP -> { }
                case GUE -> out.append(" --tun-port ").append(c.tunnelPort()).append(' ').append(checksumOption(c));
                case GRE -> out.append(' ').append(checksumOption(c));
            }
        }
        out.append('\n');
    }

    private static String checksumOption(RealServerConfig c) {
        return switch (c.tunnelChecksum()) {
            case NOCSUM -> "--tun-nocsum";
            case CSUM -> "--tun-csum";
            case REMCSUM -> "--tun-remcsum";
        };
    }
}
