package uvs.core.tune;

/**
 * Reads integers the way the kernel's proc_dointvec family does (proc_get_long): whitespace-separated
 * tokens, an optional leading '-', and a C base prefix ("0x1f" hexadecimal, "017" octal, else decimal).
 * Unlike the kernel, values beyond the expected count are refused instead of silently ignored.
 */
final class ProcNumbers {
    private ProcNumbers() {
    }

    /** One number of {@code t}, range-checked (and a power of two for {@link Tunable.Kind#POWER_OF_TWO}). */
    static long readOne(Tunable t, String text) {
        long v = read(t, text, 1)[0];
        if (t.kind() == Tunable.Kind.POWER_OF_TWO && Long.bitCount(v) != 1) {
            throw new TunableException(t.fullName() + ": " + text.strip() + " is not a power of two (allowed: "
                + t.allowed() + ")");
        }
        return v;
    }

    /** One to {@code count} numbers of {@code t}, each within [min, max]. */
    static long[] read(Tunable t, String text, int count) {
        String s = text.strip();
        if (s.isEmpty()) {
            throw notInteger(t, text);
        }
        String[] tokens = s.split("\\s+");
        long[] values = new long[Math.min(tokens.length, count)];
        for (int i = 0; i < values.length; i++) {
            values[i] = parse(t, tokens[i]);
        }
        if (tokens.length > count) {
            throw new TunableException(t.fullName() + ": \"" + s + "\" has more than " + count
                + (count == 1 ? " value" : " values") + " (allowed: " + t.allowed() + ")");
        }
        return values;
    }

    private static long parse(Tunable t, String token) {
        int i = 0;
        boolean neg = false;
        if (token.charAt(0) == '-' && token.length() > 1) {
            neg = true;
            i = 1;
        }
        if (digit(token.charAt(i), 10) < 0) {
            throw notInteger(t, token);
        }
        int base = 10;
        if (token.charAt(i) == '0') {
            // like strtoul with base 0: "0x" counts as a prefix only when a hex digit follows
            boolean hex = i + 2 < token.length() && (token.charAt(i + 1) == 'x' || token.charAt(i + 1) == 'X')
                && digit(token.charAt(i + 2), 16) >= 0;
            base = hex ? 16 : 8;
            i += hex ? 2 : 0;
        }
        long magnitude = 0;
        boolean overflow = false;
        for (; i < token.length(); i++) {
            int d = digit(token.charAt(i), base);
            if (d < 0) {
                throw notInteger(t, token);
            }
            if (magnitude > (Long.MAX_VALUE - d) / base) {
                overflow = true;
            } else {
                magnitude = magnitude * base + d;
            }
        }
        long v = neg ? -magnitude : magnitude;
        if (overflow || v < t.min() || v > t.max()) {
            throw new TunableException(t.fullName() + ": " + token + " is out of range " + t.allowed());
        }
        return v;
    }

    private static TunableException notInteger(Tunable t, String text) {
        return new TunableException(t.fullName() + ": \"" + text + "\" is not an integer (allowed: "
            + t.allowed() + ")");
    }

    private static int digit(char c, int base) {
        int d;
        if (c >= '0' && c <= '9') {
            d = c - '0';
        } else if (c >= 'a' && c <= 'f') {
            d = c - 'a' + 10;
        } else if (c >= 'A' && c <= 'F') {
            d = c - 'A' + 10;
        } else {
            return -1;
        }
        return d < base ? d : -1;
    }
}
