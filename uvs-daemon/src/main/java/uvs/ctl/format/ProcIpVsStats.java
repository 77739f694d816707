package uvs.ctl.format;

import uvs.ctl.view.StatsView;

/** The kernel's /proc/net/ip_vs_stats: engine-wide counters and rates in upper-case hex. */
public final class ProcIpVsStats {
    /** The stats file. */
    public ProcIpVsStats() {
        // stateless: one instance can serve every request
    }

    /** Appends the counters block, a blank line, and the rates block. */
    public void format(StatsView t, StringBuilder out) {
        out.append("   Total Incoming Outgoing         Incoming         Outgoing\n")
            .append("   Conns  Packets  Packets            Bytes            Bytes\n");
        row(out, t.conns(), t.inPkts(), t.outPkts(), t.inBytes(), t.outBytes()).append('\n');
        out.append(" Conns/s   Pkts/s   Pkts/s          Bytes/s          Bytes/s\n");
        row(out, t.cps(), t.inPps(), t.outPps(), t.inBps(), t.outBps());
    }

    /** {@link #format(StatsView, StringBuilder)} as a string. */
    public String format(StatsView t) {
        StringBuilder sb = new StringBuilder(300);
        format(t, sb);
        return sb.toString();
    }

    /** {@code "%8LX %8LX %8LX %16LX %16LX\n"}. */
    private static StringBuilder row(StringBuilder out, long a, long b, long c, long d, long e) {
        Columns.hexPadded(out, a, 8).append(' ');
        Columns.hexPadded(out, b, 8).append(' ');
        Columns.hexPadded(out, c, 8).append(' ');
        Columns.hexPadded(out, d, 16).append(' ');
        return Columns.hexPadded(out, e, 16).append('\n');
    }
}
