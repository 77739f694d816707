package uvs.ctl.health;

import java.util.Arrays;

/**
 * The HTTP status codes a check accepts, written as keepalived's {@code status_code} list: single codes
 * and inclusive ranges separated by commas, e.g. {@code 200-299,301}.
 */
public final class StatusCodes {
    /** Any 2xx: keepalived's and ldirectord's default. */
    public static final StatusCodes SUCCESS = parse("200-299");

    private static final int MIN = 100;
    private static final int MAX = 599;

    // inclusive ranges, in the order written
    private final int[] low;
    private final int[] high;

    private StatusCodes(int[] low, int[] high) {
        this.low = low;
        this.high = high;
    }

    /**
     * Parses {@code 200}, {@code 200-299,301} and the like.
     *
     * @throws IllegalArgumentException naming the bad part
     */
    public static StatusCodes parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("status codes must not be empty");
        }
        String[] parts = text.split(",", -1);
        int[] low = new int[parts.length];
        int[] high = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].strip();
            int dash = p.indexOf('-');
            low[i] = code(dash < 0 ? p : p.substring(0, dash), text);
            high[i] = dash < 0 ? low[i] : code(p.substring(dash + 1), text);
            if (low[i] > high[i]) {
                throw new IllegalArgumentException("status code range " + p + " runs backwards in '" + text + "'");
            }
        }
        return new StatusCodes(low, high);
    }

    private static int code(String s, String text) {
        String t = s.strip();
        int c;
        try {
            c = Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("status code '" + t + "' is not a number in '" + text + "'", e);
        }
        if (c < MIN || c > MAX) {
            throw new IllegalArgumentException("status code " + c + " out of range " + MIN + ".." + MAX
                + " in '" + text + "'");
        }
        return c;
    }

    /** True if {@code code} is accepted. */
    public boolean contains(int code) {
        for (int i = 0; i < low.length; i++) {
            if (code >= low[i] && code <= high[i]) {
                return true;
            }
        }
        return false;
    }

    /** The list as keepalived writes it, e.g. {@code 200-299,301}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < low.length; i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(low[i]);
            if (high[i] != low[i]) {
                b.append('-').append(high[i]);
            }
        }
        return b.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StatusCodes s && Arrays.equals(low, s.low) && Arrays.equals(high, s.high);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(low) + Arrays.hashCode(high);
    }
}
