package uvs.lab.net;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * State of a set of long-lived streams at one moment; {@link #toString()} is the one-line summary that
 * {@link #parse} reads back: {@code streams: total 5, alive 4, broken 1 (reset 1, timeout 0, server changed 0),
 * replies 120, servers rs1=2 rs2=3}.
 *
 * @param servers how many streams reached each real server (broken ones included)
 */
public record StreamSummary(int total, int alive, int reset, int timeout, int serverChanged, long replies,
    SortedMap<String, Integer> servers) {
    private static final Pattern LINE = Pattern.compile("streams: total (\\d+), alive (\\d+), broken (\\d+) "
        + "\\(reset (\\d+), timeout (\\d+), server changed (\\d+)\\), replies (\\d+), servers (.+)");

    /** Checks the counts add up. */
    public StreamSummary {
        if (alive + reset + timeout + serverChanged != total || Math.min(alive, Math.min(reset, timeout)) < 0
            || serverChanged < 0 || replies < 0) {
            throw new IllegalArgumentException("stream counts do not add up: total " + total + ", alive " + alive
                + ", reset " + reset + ", timeout " + timeout + ", server changed " + serverChanged);
        }
        servers = Collections.unmodifiableSortedMap(new TreeMap<>(servers));
    }

    /** Streams that broke for any reason. */
    public int broken() {
        return reset + timeout + serverChanged;
    }

    @Override
    public String toString() {
        return "streams: total " + total + ", alive " + alive + ", broken " + broken() + " (reset " + reset
            + ", timeout " + timeout + ", server changed " + serverChanged + "), replies " + replies + ", servers "
            + ServerCounts.format(servers);
    }

    /** Reads a summary from a line that contains one (a {@code progress }/{@code final } word may precede it). */
    public static StreamSummary parse(String line) {
        Matcher m = LINE.matcher(line.strip());
        if (!m.find()) {
            throw new IllegalArgumentException("not a stream summary: '" + line + "'");
        }
        StreamSummary s = new StreamSummary(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
            Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)), Integer.parseInt(m.group(6)),
            Long.parseLong(m.group(7)), ServerCounts.parse(m.group(8)));
        if (s.broken() != Integer.parseInt(m.group(3))) {
            throw new IllegalArgumentException("stream summary: broken " + m.group(3) + " is not the sum of reasons: '"
                + line + "'");
        }
        return s;
    }
}
