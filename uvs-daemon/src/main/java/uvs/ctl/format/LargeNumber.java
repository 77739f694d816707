package uvs.ctl.format;

/**
 * ipvsadm's print_largenum: a counter in a 9-character column, scaled to K/M/G/T when it does not fit,
 * or in full with {@code --exact}.
 */
public final class LargeNumber {
    private static final long HUNDRED_MILLION = 100_000_000L;
    private static final long BILLION = 1_000_000_000L;
    private static final long HUNDRED_BILLION = 100_000_000_000L;
    private static final long HUNDRED_TRILLION = 100_000_000_000_000L;

    private LargeNumber() {
    }

    /**
     * Appends {@code value} (unsigned 64-bit) as ipvsadm prints it: below 10^8 as {@code %9llu}; below
     * 10^9 as thousands {@code %8lluK}; below 10^11 as millions {@code %8lluM}; below 10^14 as billions
     * {@code %8lluG}; else trillions {@code %8lluT}. With {@code exact}: the full number right-aligned in 9
     * columns, or with one leading space when it has more than 8 digits.
     */
    public static StringBuilder append(StringBuilder sb, long value, boolean exact) {
        String digits = Long.toUnsignedString(value);
        if (exact) {
            return Columns.right(sb, digits, digits.length() <= 8 ? 9 : digits.length() + 1);
        }
        if (Long.compareUnsigned(value, HUNDRED_MILLION) < 0) {
            return Columns.right(sb, digits, 9);
        }
        long divisor;
        char unit;
        if (Long.compareUnsigned(value, BILLION) < 0) {
            divisor = 1_000L;
            unit = 'K';
        } else if (Long.compareUnsigned(value, HUNDRED_BILLION) < 0) {
            divisor = 1_000_000L;
            unit = 'M';
        } else if (Long.compareUnsigned(value, HUNDRED_TRILLION) < 0) {
            divisor = BILLION;
            unit = 'G';
        } else {
            divisor = 1_000_000_000_000L;
            unit = 'T';
        }
        return Columns.right(sb, Long.toUnsignedString(Long.divideUnsigned(value, divisor)), 8).append(unit);
    }
}
