package uvs.lab.net;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One round of HTTP requests from many client addresses compared with the first round; {@link #toString()} is
 * the line {@link #parse} reads back: {@code persistent: round 2, clients 100, answered 100, kept 97,
 * changed 3, failed 0, servers rs1=33 rs2=34 rs3=33}.
 *
 * @param kept clients answered by the same real server as in round 1
 * @param changed clients answered by another real server than in round 1 (or not answered in round 1)
 * @param servers how many clients each real server answered in this round
 */
public record PersistenceSummary(int round, int clients, int kept, int changed, int failed,
    SortedMap<String, Integer> servers) {
    private static final Pattern LINE = Pattern.compile("persistent: round (\\d+), clients (\\d+), answered (\\d+), "
        + "kept (\\d+), changed (\\d+), failed (\\d+), servers (.+)");

    /** Checks the counts add up. */
    public PersistenceSummary {
        if (kept + changed + failed != clients || Math.min(kept, Math.min(changed, failed)) < 0 || round < 1) {
            throw new IllegalArgumentException("persistence counts do not add up: round " + round + ", clients "
                + clients + ", kept " + kept + ", changed " + changed + ", failed " + failed);
        }
        servers = Collections.unmodifiableSortedMap(new TreeMap<>(servers));
    }

    /** Clients that got an answer in this round. */
    public int answered() {
        return kept + changed;
    }

    @Override
    public String toString() {
        return "persistent: round " + round + ", clients " + clients + ", answered " + answered() + ", kept " + kept
            + ", changed " + changed + ", failed " + failed + ", servers " + ServerCounts.format(servers);
    }

    /** Reads a summary from a line that contains one (a {@code round }/{@code final } word may precede it). */
    public static PersistenceSummary parse(String line) {
        Matcher m = LINE.matcher(line.strip());
        if (!m.find()) {
            throw new IllegalArgumentException("not a persistence summary: '" + line + "'");
        }
        PersistenceSummary s = new PersistenceSummary(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
            Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)), Integer.parseInt(m.group(6)),
            ServerCounts.parse(m.group(7)));
        if (s.answered() != Integer.parseInt(m.group(3))) {
            throw new IllegalArgumentException("persistence summary: answered " + m.group(3)
                + " is not kept + changed: '" + line + "'");
        }
        return s;
    }
}
