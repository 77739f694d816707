package uvs.ctl.format;

import java.util.List;
import uvs.ctl.view.DaemonView;

/**
 * {@code ipvsadm -L --daemon}: one line per running daemon, e.g.
 * {@code master sync daemon (mcast=eth0, syncid=0, maxlen=1472, group=224.0.0.81, port=8848, ttl=1)};
 * maxlen, group, port and ttl only when reported (non-zero). Nothing when no daemon runs.
 */
public final class DaemonFormat {
    /** The daemon listing ({@code --daemon} takes no options). */
    public DaemonFormat() {
        // stateless: one instance can serve every request
    }

    /** Appends a line per daemon, in the given order (the kernel reports the master first). */
    public void format(List<DaemonView> daemons, StringBuilder out) {
        for (int i = 0; i < daemons.size(); i++) {
            DaemonView d = daemons.get(i);
            out.append(d.stateName()).append(" sync daemon (mcast=").append(d.mcastIfn())
                .append(", syncid=").append(d.syncId());
            if (d.maxlen() != 0) {
                out.append(", maxlen=").append(d.maxlen());
            }
            if (d.group() != null) {
                out.append(", group=").append(d.group());
            }
            if (d.port() != 0) {
                out.append(", port=").append(d.port());
            }
            if (d.ttl() != 0) {
                out.append(", ttl=").append(d.ttl());
            }
            out.append(")\n");
        }
    }

    /** {@link #format(List, StringBuilder)} as a string. */
    public String format(List<DaemonView> daemons) {
        StringBuilder sb = new StringBuilder(100);
        format(daemons, sb);
        return sb.toString();
    }
}
