package uvs.ctl.format;

import java.util.List;
import uvs.core.net.IpProto;
import uvs.ctl.view.ConnView;

/**
 * The kernel's /proc/net/ip_vs_conn and /proc/net/ip_vs_conn_sync: one line per entry, addresses and
 * ports in hex (IPv6 in the full colon form), remaining time in whole seconds; ip_vs_conn appends
 * {@code " <pe name> <pe data>"} to entries with PE data, ip_vs_conn_sync shows the origin (SYNC or LOCAL).
 */
public final class ProcIpVsConn {
    /** The two /proc connection files. */
    public ProcIpVsConn() {
        // stateless: one instance can serve every request
    }

    /** Appends /proc/net/ip_vs_conn. */
    public void formatConn(List<ConnView> conns, StringBuilder out) {
        out.append("Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       Expires PEName PEData\n");
        for (int i = 0; i < conns.size(); i++) {
            ConnView c = conns.get(i);
            prefix(c, out);
            Columns.right(out, Integer.toString(c.expiresSeconds()), 7);
            if (c.hasPeData()) {
                out.append(' ').append(c.peName()).append(' ').append(c.peData());
            }
            out.append('\n');
        }
    }

    /** Appends /proc/net/ip_vs_conn_sync. */
    public void formatConnSync(List<ConnView> conns, StringBuilder out) {
        out.append("Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       Origin Expires\n");
        for (int i = 0; i < conns.size(); i++) {
            ConnView c = conns.get(i);
            prefix(c, out);
            Columns.left(out, c.originName(), 6).append(' ');
            Columns.right(out, Integer.toString(c.expiresSeconds()), 7).append('\n');
        }
    }

    /** {@link #formatConn(List, StringBuilder)} as a string. */
    public String formatConn(List<ConnView> conns) {
        StringBuilder sb = new StringBuilder(80 + 80 * conns.size());
        formatConn(conns, sb);
        return sb.toString();
    }

    /** {@link #formatConnSync(List, StringBuilder)} as a string. */
    public String formatConnSync(List<ConnView> conns) {
        StringBuilder sb = new StringBuilder(80 + 80 * conns.size());
        formatConnSync(conns, sb);
        return sb.toString();
    }

    /** Protocol, the three address:port pairs and the state, each followed by a space. */
    private static void prefix(ConnView c, StringBuilder out) {
        Columns.left(out, IpProto.name(c.protocol()), 3).append(' ');
        Columns.hex(ProcIpVs.address(out, c.caddr()).append(' '), c.cport(), 4).append(' ');
        Columns.hex(ProcIpVs.address(out, c.vaddr()).append(' '), c.vport(), 4).append(' ');
        Columns.hex(ProcIpVs.address(out, c.daddr()).append(' '), c.dport(), 4).append(' ');
        Columns.left(out, c.stateName(), 11).append(' ');
    }
}
