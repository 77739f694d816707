package uvs.ctl.format;

import uvs.ctl.view.TimeoutView;

/** {@code ipvsadm -L --timeout}: {@code Timeout (tcp tcpfin udp): 900 120 300}. */
public final class TimeoutFormat {
    /** The timeout line ({@code --timeout} takes no options). */
    public TimeoutFormat() {
        // stateless: one instance can serve every request
    }

    /** Appends the one line. */
    public void format(TimeoutView t, StringBuilder out) {
        out.append("Timeout (tcp tcpfin udp): ").append(t.tcp()).append(' ').append(t.tcpfin()).append(' ')
            .append(t.udp()).append('\n');
    }

    /** {@link #format(TimeoutView, StringBuilder)} as a string. */
    public String format(TimeoutView t) {
        StringBuilder sb = new StringBuilder(40);
        format(t, sb);
        return sb.toString();
    }
}
