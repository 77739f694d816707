package uvs.time;

/**
 * Engine time unit. Like the kernel, the engine keeps timer values as 32-bit "jiffies" and compares
 * them with wrap-safe signed differences. HZ is 250 (4 ms), so a signed difference spans 99 days: more
 * than the longest timeout ipvsadm accepts (31 days).
 */
public final class Jiffies {
    /** Ticks per second. */
    public static final int HZ = 250;
    /** Nanoseconds per tick. */
    public static final long NANOS_PER_JIFFY = 1_000_000_000L / HZ;

    private Jiffies() {
    }

    /** Jiffies of a monotonic nanosecond time (truncated to 32 bits; compare with {@link #before}). */
    public static int fromNanos(long nanos) {
        return (int) (nanos / NANOS_PER_JIFFY);
    }

    /** Whole seconds as jiffies (saturates at Integer.MAX_VALUE). */
    public static int fromSeconds(long seconds) {
        long j = seconds * HZ;
        return j > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) j;
    }

    /** Milliseconds as jiffies, rounded up (saturates at Integer.MAX_VALUE). */
    public static int fromMillis(long millis) {
        long j = (millis * HZ + 999) / 1000;
        return j > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) j;
    }

    /** Jiffies to milliseconds (saturates at Integer.MAX_VALUE). */
    public static int toMillis(int jiffies) {
        long ms = (long) jiffies * 1000 / HZ;
        return ms > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) ms;
    }

    /** Jiffies to whole seconds (truncated). */
    public static int toSeconds(int jiffies) {
        return jiffies / HZ;
    }

    /** Wrap-safe {@code a < b}. */
    public static boolean before(int a, int b) {
        return a - b < 0;
    }

    /** Wrap-safe {@code a > b}. */
    public static boolean after(int a, int b) {
        return b - a < 0;
    }

    /** Wrap-safe {@code a >= b}. */
    public static boolean afterEq(int a, int b) {
        return a - b >= 0;
    }
}
