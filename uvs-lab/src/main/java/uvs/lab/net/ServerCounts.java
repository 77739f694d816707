package uvs.lab.net;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** The {@code rs1=2 rs2=3} field of the traffic summaries: how many streams or clients each real server has. */
final class ServerCounts {
    private ServerCounts() {}

    /** {@code rs1=2 rs2=3}, sorted by name, or {@code -} when empty. */
    static String format(Map<String, Integer> counts) {
        if (counts.isEmpty()) {
            return "-";
        }
        StringBuilder b = new StringBuilder();
        new TreeMap<>(counts).forEach((k, v) -> b.append(b.isEmpty() ? "" : " ").append(k).append('=').append(v));
        return b.toString();
    }

    /** Parses {@link #format}'s output. */
    static SortedMap<String, Integer> parse(String s) {
        SortedMap<String, Integer> m = new TreeMap<>();
        if (s.strip().equals("-")) {
            return m;
        }
        for (String part : s.strip().split(" +")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("server count '" + part + "': expected NAME=COUNT");
            }
            m.put(part.substring(0, eq), Integer.parseInt(part.substring(eq + 1)));
        }
        return m;
    }
}
