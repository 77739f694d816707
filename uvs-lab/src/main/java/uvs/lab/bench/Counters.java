package uvs.lab.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the counters the bench reads: sysfs statistics files and the {@code uvsadm -L --dataplane} listing. */
public final class Counters {
    private static final Pattern WORD_NUMBER = Pattern.compile("([a-z][a-z-]*) (\\d+)");

    private Counters() {}

    /**
     * One number per line, as {@code cat} prints several sysfs counter files; exactly {@code files} lines.
     *
     * @throws IllegalArgumentException naming the bad line or the count
     */
    public static long[] lines(String text, int files) {
        List<String> lines = text.strip().lines().map(String::strip).toList();
        if (lines.size() != files) {
            throw new IllegalArgumentException("expected " + files + " counter lines, got " + lines.size() + ": " + text);
        }
        long[] v = new long[files];
        for (int i = 0; i < files; i++) {
            try {
                v[i] = Long.parseLong(lines.get(i));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("counter line " + (i + 1) + " '" + lines.get(i) + "' is not a number", e);
            }
        }
        return v;
    }

    /**
     * The counters of a {@code uvsadm -L --dataplane} listing, keyed by line head and word ({@code rx.frames},
     * {@code rx.ring-drops}, {@code tx.dropped}, {@code packets.forwarded}, {@code packets.engine-drops},
     * {@code neighbours.misses}...): every "word number" pair, the line's first word naming its group.
     */
    public static Map<String, Long> dataplane(String listing) {
        Map<String, Long> m = new HashMap<>();
        for (String line : listing.split("\n")) {
            String head = line.strip().split("[\\s;]+", 2)[0];
            if (head.isEmpty()) {
                continue;
            }
            // the head word itself may carry the first number ("packets 12 forwarded 10")
            Matcher w = WORD_NUMBER.matcher(line);
            while (w.find()) {
                String word = w.group(1);
                m.put(word.equals(head) ? head : head + "." + word, Long.parseLong(w.group(2)));
            }
        }
        return m;
    }

    /**
     * Packets the kernel dropped because a CPU's input backlog was full: the sum over CPUs of the second
     * (hexadecimal) column of {@code /proc/net/softnet_stat}.
     */
    public static long softnetDrops(String softnetStat) {
        long sum = 0;
        for (String line : softnetStat.split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length == 1 && f[0].isEmpty()) {
                continue;
            }
            if (f.length < 2) {
                throw new IllegalArgumentException("softnet_stat line with " + f.length + " column: " + line);
            }
            sum += Long.parseLong(f[1], 16);
        }
        return sum;
    }

    /** {@code key} of a {@link #dataplane} map; fails naming the key when the listing lacked it. */
    public static long get(Map<String, Long> counters, String key) {
        Long v = counters.get(key);
        if (v == null) {
            throw new IllegalArgumentException("uvsadm -L --dataplane has no counter " + key + " (has " + counters.keySet() + ")");
        }
        return v;
    }
}
