package uvs.ctl.format;

import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServerConfig;
import uvs.ctl.view.DestView;
import uvs.ctl.view.ServiceView;

/** {@code ipvsadm -L --tun-info}: the default table with a TunnelInfo column. */
public final class TunInfoFormat extends ServiceListing {
    /** A table with these options. */
    public TunInfoFormat(DisplayOptions options) {
        super(options);
    }

    @Override
    void title(StringBuilder out) {
        out.append("Prot LocalAddress:Port Scheduler Flags\n")
            .append("  -> RemoteAddress:Port           Forward TunnelInfo    Weight ActiveConn InActConn\n");
    }

    @Override
    void serviceRow(ServiceView s, StringBuilder out) {
        defaultServiceRow(s, out);
    }

    @Override
    void destRow(ServiceView s, DestView d, StringBuilder out) {
        destName(d, out).append(' ');
        Columns.left(out, Names.forward(d.forward()), 7).append(' ');
        Columns.left(out, tunnelInfo(d.config()), 13).append(' ');
        Columns.left(out, Integer.toString(d.weight()), 6).append(' ');
        Columns.left(out, Columns.u32(d.activeConns()), 10).append(' ');
        Columns.left(out, Columns.u32(d.inactConns()), 10).append('\n');
    }

    /** fwd_tun_info: {@code ipip}, {@code gue:<port>:<-c|+c|r+c>}, {@code gre:<-c|+c|r+c>}, else {@code n/a}. */
    static String tunnelInfo(RealServerConfig c) {
        if (c.forward() != ForwardMethod.TUNNEL) {
            return "n/a";
        }
        return switch (c.tunnelType()) {
            case IPIP -> "ipip";
            case GUE -> "gue:" + c.tunnelPort() + ":" + checksum(c);
            case GRE -> "gre:" + checksum(c);
        };
    }

    private static String checksum(RealServerConfig c) {
        return switch (c.tunnelChecksum()) {
            case NOCSUM -> "-c";
            case CSUM -> "+c";
            case REMCSUM -> "r+c";
        };
    }
}
