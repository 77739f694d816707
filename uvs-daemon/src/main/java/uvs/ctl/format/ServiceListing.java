package uvs.ctl.format;

import java.util.List;
import java.util.Objects;
import uvs.core.net.Af;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceFlags;
import uvs.ctl.view.DestView;
import uvs.ctl.view.EngineView;
import uvs.ctl.view.ServiceView;

/**
 * The shape every {@code ipvsadm -L} table shares (list_all / list_service / print_service_entry): the
 * version line (whole table only), two title lines, then each service followed by its real servers,
 * both sorted unless {@code --nosort}. Subclasses give the title and the two kinds of rows.
 */
public abstract sealed class ServiceListing
        permits ListFormat, StatsFormat, RateFormat, ThresholdsFormat, PersistentConnFormat, TunInfoFormat {
    /** The listing options. */
    final DisplayOptions options;

    ServiceListing(DisplayOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /** {@code ipvsadm -L [options]}: the version line with the table size, the titles, every service. */
    public void formatAll(EngineView view, StringBuilder out) {
        out.append("IP Virtual Server version ").append(Names.IPVS_VERSION)
            .append(" (size=").append(view.connTabSize()).append(")\n");
        title(out);
        List<ServiceView> services = options.noSort() ? view.services() : IpvsadmSort.services(view.services());
        for (int i = 0; i < services.size(); i++) {
            service(services.get(i), out);
        }
    }

    /** {@code ipvsadm -L <service> [options]}: the titles and that service, no version line. */
    public void formatService(ServiceView service, StringBuilder out) {
        title(out);
        service(service, out);
    }

    /** {@link #formatAll} as a string. */
    public String formatAll(EngineView view) {
        StringBuilder sb = new StringBuilder(256);
        formatAll(view, sb);
        return sb.toString();
    }

    private void service(ServiceView s, StringBuilder out) {
        serviceRow(s, out);
        List<DestView> dests = options.noSort() ? s.dests() : IpvsadmSort.dests(s.dests());
        for (int i = 0; i < dests.size(); i++) {
            destRow(s, dests.get(i), out);
        }
    }

    /** The two title lines. */
    abstract void title(StringBuilder out);

    /** One service line, with its newline. */
    abstract void serviceRow(ServiceView s, StringBuilder out);

    /** One real-server line, with its newline. */
    abstract void destRow(ServiceView s, DestView d, StringBuilder out);

    /**
     * The default service line: name, scheduler, {@code (flags)}, {@code persistent T} with
     * {@code mask M} and {@code pe P}, {@code ops}.
     */
    static void defaultServiceRow(ServiceView s, StringBuilder out) {
        ServiceConfig c = s.config();
        out.append(Names.listName(s)).append(' ').append(c.scheduler());
        if ((c.flags() & ServiceFlags.SCHED_MASK) != 0) {
            out.append(" (");
            Names.schedFlags(out, s).append(')');
        }
        if (c.isPersistent()) {
            out.append(" persistent ").append(Columns.u32(c.persistTimeout()));
            if (s.key().af() == Af.INET) {
                if (c.netmask() != 0xffff_ffff) {
                    out.append(" mask ").append(Names.dottedMask(c.netmask()));
                }
            } else if (c.netmask() != 128) {
                out.append(" mask ").append(c.netmask());
            }
            if (c.peName() != null && !c.peName().isEmpty()) {
                out.append(" pe ").append(c.peName());
            }
        }
        if (c.isOnePacket()) {
            out.append(" ops");
        }
        out.append('\n');
    }

    /** The {@code "  -> "} prefix and the real server padded to 28 columns. */
    static StringBuilder destName(DestView d, StringBuilder out) {
        return Columns.left(out.append("  -> "), d.address().withPort(d.port()), Names.DEST_NAME_MAX);
    }

    /** The padded service name of the statistics tables ({@code %-33s}). */
    static StringBuilder statsServiceName(ServiceView s, StringBuilder out) {
        return Columns.left(out, Names.listName(s), Names.SERVICE_NAME_MAX);
    }
}
