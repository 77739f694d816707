package uvs.ctl.format;

import uvs.ctl.view.DestView;
import uvs.ctl.view.ServiceView;
import uvs.ctl.view.StatsView;

/** {@code ipvsadm -L --stats [--exact]}: Conns, InPkts, OutPkts, InBytes, OutBytes. */
public final class StatsFormat extends ServiceListing {
    /** A table with these options. */
    public StatsFormat(DisplayOptions options) {
        super(options);
    }

    @Override
    void title(StringBuilder out) {
        numbersTitle(out, "Conns", "InPkts", "OutPkts", "InBytes", "OutBytes");
    }

    @Override
    void serviceRow(ServiceView s, StringBuilder out) {
        counters(statsServiceName(s, out), s.stats()).append('\n');
    }

    @Override
    void destRow(ServiceView s, DestView d, StringBuilder out) {
        counters(destName(d, out), d.stats()).append('\n');
    }

    private StringBuilder counters(StringBuilder out, StatsView st) {
        boolean exact = options.exact();
        LargeNumber.append(out, st.conns(), exact);
        LargeNumber.append(out, st.inPkts(), exact);
        LargeNumber.append(out, st.outPkts(), exact);
        LargeNumber.append(out, st.inBytes(), exact);
        return LargeNumber.append(out, st.outBytes(), exact);
    }

    /** {@code "%-33s %8s %8s %8s %8s %8s\n  -> RemoteAddress:Port\n"} with the five column names. */
    static void numbersTitle(StringBuilder out, String... columns) {
        Columns.left(out, "Prot LocalAddress:Port", Names.SERVICE_NAME_MAX);
        for (String c : columns) {
            Columns.right(out.append(' '), c, 8);
        }
        out.append("\n  -> RemoteAddress:Port\n");
    }
}
