package uvs.ctl.format;

import java.util.List;
import uvs.core.net.IpProto;
import uvs.ctl.view.ConnView;

/**
 * {@code ipvsadm -L -c [-n] [--persistent-conn]}: the connection entries (ipvsadm reads them from
 * /proc/net/ip_vs_conn and re-prints each line). Expiry is {@code mm:ss} of the remaining whole seconds,
 * minutes not capped at 59. With {@code --persistent-conn}, entries that carry PE data get two more
 * columns: the PE name and the first whitespace-free word of the PE data (ipvsadm reads the line with
 * {@code sscanf("%s")}).
 */
public final class ConnListFormat {
    private final boolean persistentConn;

    /** The plain listing, or with {@code --persistent-conn} the one with PE columns. */
    public ConnListFormat(boolean persistentConn) {
        this.persistentConn = persistentConn;
    }

    /** Appends the two header lines and one line per entry, in the given order. */
    public void format(List<ConnView> conns, StringBuilder out) {
        out.append("IPVS connection entries\n");
        out.append("pro expire ");
        Columns.left(out, "state", 11).append(' ');
        Columns.left(out, "source", 18).append(' ');
        Columns.left(out, "virtual", 18).append(' ');
        if (persistentConn) {
            Columns.left(out, "destination", 18).append(' ');
            Columns.left(out, "pe name", 16).append(' ').append("pe_data\n");
        } else {
            out.append("destination\n");
        }
        for (int i = 0; i < conns.size(); i++) {
            row(conns.get(i), out);
        }
    }

    /** {@link #format(List, StringBuilder)} as a string. */
    public String format(List<ConnView> conns) {
        StringBuilder sb = new StringBuilder(128 + 80 * conns.size());
        format(conns, sb);
        return sb.toString();
    }

    private void row(ConnView c, StringBuilder out) {
        String peData = c.hasPeData() ? firstWord(c.peData()) : null;
        Columns.left(out, IpProto.name(c.protocol()), 3).append(' ');
        Columns.left(out, expire(c.expiresSeconds()), 6).append(' ');
        Columns.left(out, c.stateName(), 11).append(' ');
        Columns.left(out, c.caddr().withPort(c.cport()), 18).append(' ');
        Columns.left(out, c.vaddr().withPort(c.vport()), 18).append(' ');
        String dest = c.daddr().withPort(c.dport());
        if (persistentConn && peData != null && !peData.isEmpty()) {
            // ipvsadm's PE row pads the destination to 16 although the title pads it to 18
            Columns.left(out, dest, 16).append(' ');
            Columns.left(out, c.peName(), 18).append(' ').append(peData).append('\n');
        } else {
            out.append(dest).append('\n');
        }
    }

    /** {@code %02d:%02d} of minutes and seconds. */
    static String expire(int seconds) {
        int m = seconds / 60;
        int s = seconds % 60;
        return (m < 10 ? "0" : "") + m + ":" + (s < 10 ? "0" : "") + s;
    }

    /** What {@code sscanf("%s")} reads: leading white space skipped, then up to the next white space. */
    static String firstWord(String s) {
        int i = 0;
        while (i < s.length() && isSpace(s.charAt(i))) {
            i++;
        }
        int j = i;
        while (j < s.length() && !isSpace(s.charAt(j))) {
            j++;
        }
        return s.substring(i, j);
    }

    private static boolean isSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }
}
