package uvs.core.tune;

import java.util.BitSet;

/**
 * CPU lists as the kernel writes and reads them (bitmap_parselist / "%*pbl"): comma- or space-separated
 * regions {@code n}, {@code a-b} or {@code a-b:used/group} (in every group of {@code group} CPUs from
 * {@code a}, the first {@code used}), where {@code N} stands for the last CPU and {@code all} for
 * {@code 0-N}. An empty list is valid.
 */
final class Cpulist {
    private final Tunable tunable;
    private final String text;
    private final int cpus;
    private int pos;

    private Cpulist(Tunable tunable, String text, int cpus) {
        this.tunable = tunable;
        this.text = text;
        this.cpus = cpus;
    }

    /** The CPUs of {@code text} among {@code cpus} CPUs (0..cpus-1). */
    static BitSet parse(Tunable t, String text, int cpus) {
        return new Cpulist(t, text, cpus).parseAll();
    }

    /** Ranges of consecutive CPUs, e.g. "0-3,5"; "" for none. */
    static String format(BitSet set) {
        StringBuilder sb = new StringBuilder();
        int start = set.nextSetBit(0);
        while (start >= 0) {
            int end = set.nextClearBit(start) - 1;
            if (!sb.isEmpty()) {
                sb.append(',');
            }
            sb.append(start);
            if (end > start) {
                sb.append('-').append(end);
            }
            start = set.nextSetBit(end + 1);
        }
        return sb.toString();
    }

    private BitSet parseAll() {
        BitSet set = new BitSet(cpus);
        while (true) {
            while (pos < text.length() && isSeparator(text.charAt(pos))) {
                pos++;
            }
            if (pos == text.length()) {
                return set;
            }
            parseRegion(set);
        }
    }

    private void parseRegion(BitSet set) {
        long start;
        long end;
        if (text.regionMatches(true, pos, "all", 0, 3)) {
            pos += 3;
            start = 0;
            end = cpus - 1;
        } else {
            start = number();
            if (atRegionEnd()) {
                end = start;
            } else {
                expect('-');
                end = number();
            }
        }
        long used = end + 1;
        long group = end + 1;
        if (!atRegionEnd()) {
            expect(':');
            used = number();
            expect('/');
            group = number();
        }
        if (start > end || group == 0 || used > group) {
            throw invalid();
        }
        if (end >= cpus) {
            throw outOfRange(Long.toString(end));
        }
        for (long s = start; s <= end; s += group) {
            set.set((int) s, (int) (s + Math.min(end - s + 1, used)));
        }
    }

    /** A decimal number below 2^32 (the kernel's unsigned int; larger is EOVERFLOW) or N, the last CPU. */
    private long number() {
        if (pos < text.length() && text.charAt(pos) == 'N') {
            pos++;
            return cpus - 1;
        }
        int begin = pos;
        long n = 0;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            if (n <= 0xFFFF_FFFFL) {
                n = n * 10 + (text.charAt(pos) - '0');
            }
            pos++;
        }
        if (pos == begin) {
            throw invalid();
        }
        if (n > 0xFFFF_FFFFL) {
            throw outOfRange(text.substring(begin, pos));
        }
        return n;
    }

    private void expect(char c) {
        if (pos >= text.length() || text.charAt(pos) != c) {
            throw invalid();
        }
        pos++;
    }

    private boolean atRegionEnd() {
        return pos == text.length() || isSeparator(text.charAt(pos));
    }

    private static boolean isSeparator(char c) {
        return c == ',' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u000B';
    }

    private TunableException outOfRange(String cpu) {
        return new TunableException(tunable.fullName() + ": \"" + text.strip() + "\" names CPU " + cpu
            + ", out of range 0.." + (cpus - 1));
    }

    private TunableException invalid() {
        return new TunableException(tunable.fullName() + ": \"" + text.strip() + "\" is not a CPU list (allowed: "
            + tunable.allowed() + " of CPUs 0.." + (cpus - 1) + ")");
    }
}
