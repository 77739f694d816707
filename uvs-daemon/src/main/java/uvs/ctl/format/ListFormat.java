package uvs.ctl.format;

import uvs.ctl.view.DestView;
import uvs.ctl.view.ServiceView;

/** {@code ipvsadm -L [-n]}: the default table (Forward, Weight, ActiveConn, InActConn). */
public final class ListFormat extends ServiceListing {
    /** A table with these options. */
    public ListFormat(DisplayOptions options) {
        super(options);
    }

    @Override
    void title(StringBuilder out) {
        out.append("Prot LocalAddress:Port Scheduler Flags\n")
            .append("  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n");
    }

    @Override
    void serviceRow(ServiceView s, StringBuilder out) {
        defaultServiceRow(s, out);
    }

    @Override
    void destRow(ServiceView s, DestView d, StringBuilder out) {
        // "  -> %-28s %-7s %-6d %-10u %-10u\n": the last column's padding leaves trailing spaces
        destName(d, out).append(' ');
        Columns.left(out, Names.forward(d.forward()), 7).append(' ');
        Columns.left(out, Integer.toString(d.weight()), 6).append(' ');
        Columns.left(out, Columns.u32(d.activeConns()), 10).append(' ');
        Columns.left(out, Columns.u32(d.inactConns()), 10).append('\n');
    }
}
