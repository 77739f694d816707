package uvs.lab.e2e;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import uvs.lab.net.LabTopology;

/**
 * What each real server's own kernel received and sent on one port, counted by nftables in its namespace: the
 * truth a director's per-real-server statistics must match. TCP's exact packet count depends on the client's
 * timing (a delayed ACK fires or is piggy-backed), so tests compare UVS with what arrived rather than one run
 * with another.
 */
final class ServerCounters {
    private static final String TABLE = "uvse2etruth";
    private static final Pattern COUNTER =
        Pattern.compile("(tcp|udp) (dport|sport) (\\d+) counter packets (\\d+) bytes (\\d+)");

    private ServerCounters() {
    }

    /** Starts counting from zero in every real server's namespace. */
    static void reset(E2eLab lab, int port) throws IOException {
        for (int i = 1; i <= LabTopology.REAL_SERVERS; i++) {
            String ns = lab.topo().realServer(i);
            E2eLab.run(List.of("ip", "netns", "exec", ns, "nft", "delete", "table", "inet", TABLE));
            String rules = String.format(Locale.ROOT, """
                table inet %1$s {
                    chain in {
                        type filter hook input priority -300;
                        tcp dport %2$d counter
                        udp dport %2$d counter
                    }
                    chain out {
                        type filter hook output priority -300;
                        tcp sport %2$d counter
                        udp sport %2$d counter
                    }
                }
                """, TABLE, port);
            E2eLab.Result r = E2eLab.run(List.of("ip", "netns", "exec", ns, "nft", rules));
            if (!r.ok()) {
                throw new IOException("nft in " + ns + ": " + r.err().strip());
            }
        }
    }

    /**
     * One line per protocol and real server, in the form {@link #statsRows} gives: packets and bytes the server
     * received on {@code port}, and (NAT, where replies pass the director) sent from it; 0 sent for DR.
     */
    static List<String> read(E2eLab lab, boolean v6, boolean nat, int port) throws IOException {
        List<String> rows = new ArrayList<>();
        for (int i = 1; i <= LabTopology.REAL_SERVERS; i++) {
            String ns = lab.topo().realServer(i);
            E2eLab.Result r = E2eLab.run(List.of("ip", "netns", "exec", ns, "nft", "list", "table", "inet", TABLE));
            if (!r.ok()) {
                throw new IOException("nft in " + ns + ": " + r.err().strip());
            }
            for (String proto : List.of("TCP", "UDP")) {
                long[] in = counter(r.out(), proto.toLowerCase(Locale.ROOT), "dport", port);
                long[] out = nat ? counter(r.out(), proto.toLowerCase(Locale.ROOT), "sport", port) : new long[2];
                rows.add(row(proto, Rules.realServer(v6, i, port), in[0], out[0], in[1], out[1]));
            }
        }
        rows.sort(null);
        return rows;
    }

    /** The real-server lines of {@code uvsadm -L -n --stats --exact} in the same form as {@link #read}. */
    static List<String> statsRows(String stats) {
        List<String> rows = new ArrayList<>();
        String proto = null;
        for (String line : stats.split("\n")) {
            String[] w = line.strip().split("\\s+");
            if (w[0].equals("TCP") || w[0].equals("UDP")) {
                proto = w[0];
            } else if (w[0].equals("->") && proto != null && w.length == 7) {
                rows.add(row(proto, w[1], Long.parseLong(w[3]), Long.parseLong(w[4]), Long.parseLong(w[5]),
                    Long.parseLong(w[6])));
            }
        }
        rows.sort(null);
        return rows;
    }

    private static String row(String proto, String server, long inPkts, long outPkts, long inBytes,
                              long outBytes) {
        return proto + " " + server + " InPkts " + inPkts + " OutPkts " + outPkts + " InBytes " + inBytes
            + " OutBytes " + outBytes;
    }

    private static long[] counter(String listing, String proto, String direction, int port) throws IOException {
        Matcher m = COUNTER.matcher(listing);
        while (m.find()) {
            if (m.group(1).equals(proto) && m.group(2).equals(direction) && Integer.parseInt(m.group(3)) == port) {
                return new long[] {Long.parseLong(m.group(4)), Long.parseLong(m.group(5))};
            }
        }
        throw new IOException("no " + proto + " " + direction + " " + port + " counter in:\n" + listing);
    }
}
