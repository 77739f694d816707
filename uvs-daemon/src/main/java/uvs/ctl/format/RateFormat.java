package uvs.ctl.format;

import uvs.ctl.view.DestView;
import uvs.ctl.view.ServiceView;
import uvs.ctl.view.StatsView;

/** {@code ipvsadm -L --rate [--exact]}: CPS, InPPS, OutPPS, InBPS, OutBPS. */
public final class RateFormat extends ServiceListing {
    /** A table with these options. */
    public RateFormat(DisplayOptions options) {
        super(options);
    }

    @Override
    void title(StringBuilder out) {
        StatsFormat.numbersTitle(out, "CPS", "InPPS", "OutPPS", "InBPS", "OutBPS");
    }

    @Override
    void serviceRow(ServiceView s, StringBuilder out) {
        StatsView st = s.stats();
        boolean exact = options.exact();
        statsServiceName(s, out);
        LargeNumber.append(out, st.cps(), exact);
        LargeNumber.append(out, st.inPps(), exact);
        LargeNumber.append(out, st.outPps(), exact);
        LargeNumber.append(out, st.inBps(), exact);
        LargeNumber.append(out, st.outBps(), exact).append('\n');
    }

    @Override
    void destRow(ServiceView s, DestView d, StringBuilder out) {
        // ipvsadm prints a real server's three small rates with a plain %8llu, only the byte rates scaled
        StatsView st = d.stats();
        destName(d, out);
        Columns.right(out.append(' '), Long.toUnsignedString(st.cps()), 8);
        Columns.right(out.append(' '), Long.toUnsignedString(st.inPps()), 8);
        Columns.right(out.append(' '), Long.toUnsignedString(st.outPps()), 8);
        LargeNumber.append(out, st.inBps(), options.exact());
        LargeNumber.append(out, st.outBps(), options.exact()).append('\n');
    }
}
