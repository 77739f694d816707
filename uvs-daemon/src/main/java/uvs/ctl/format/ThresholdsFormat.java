package uvs.ctl.format;

import uvs.ctl.view.DestView;
import uvs.ctl.view.ServiceView;

/** {@code ipvsadm -L --thresholds}: Uthreshold, Lthreshold, ActiveConn, InActConn. */
public final class ThresholdsFormat extends ServiceListing {
    /** A table with these options. */
    public ThresholdsFormat(DisplayOptions options) {
        super(options);
    }

    @Override
    void title(StringBuilder out) {
        Columns.left(out, "Prot LocalAddress:Port", Names.SERVICE_NAME_MAX);
        Columns.left(out.append(' '), "Uthreshold", 10);
        Columns.left(out.append(' '), "Lthreshold", 10);
        Columns.left(out.append(' '), "ActiveConn", 10);
        Columns.left(out.append(' '), "InActConn", 10);
        out.append("\n  -> RemoteAddress:Port\n");
    }

    @Override
    void serviceRow(ServiceView s, StringBuilder out) {
        defaultServiceRow(s, out);
    }

    @Override
    void destRow(ServiceView s, DestView d, StringBuilder out) {
        destName(d, out);
        Columns.left(out.append(' '), Columns.u32(d.config().upperThreshold()), 10);
        Columns.left(out.append(' '), Columns.u32(d.config().lowerThreshold()), 10);
        Columns.left(out.append(' '), Columns.u32(d.activeConns()), 10);
        Columns.left(out.append(' '), Columns.u32(d.inactConns()), 10).append('\n');
    }
}
