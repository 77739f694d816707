package uvs.ctl.health;

import java.time.Duration;

/**
 * When a check runs and how long it may take.
 *
 * @param interval time between checks (keepalived {@code delay_loop}, ldirectord {@code checkinterval})
 * @param timeout how long one check may take, connect included (keepalived {@code connect_timeout} /
 *     {@code misc_timeout}, ldirectord {@code checktimeout} / {@code negotiatetimeout})
 * @param retries consecutive failures that take an up server down (ldirectord {@code failurecount n} is
 *     {@code n}; keepalived {@code retry n} retries after the first failure, so it is {@code n + 1})
 * @param delayBeforeRetry time before the next check after a failure that did not yet take the server
 *     down (keepalived {@code delay_before_retry}); later checks wait {@code interval}
 * @param warmup delay before the first check (keepalived {@code warmup}: an import draws it at random up to the
 *     configured value at every start, as keepalived does)
 */
public record CheckTiming(Duration interval, Duration timeout, int retries, Duration delayBeforeRetry,
                          Duration warmup) {
    /** Longest timeout: sockets take their timeout as an int of milliseconds. */
    public static final Duration MAX_TIMEOUT = Duration.ofMillis(Integer.MAX_VALUE);

    /** Validates the fields. */
    public CheckTiming {
        positive("interval", interval);
        positive("timeout", timeout);
        if (timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("timeout " + timeout + " is longer than " + MAX_TIMEOUT);
        }
        if (retries < 1) {
            throw new IllegalArgumentException("retries must be at least 1 (consecutive failures before down), got "
                + retries);
        }
        notNegative("delayBeforeRetry", delayBeforeRetry);
        notNegative("warmup", warmup);
    }

    /**
     * The timing of an imported check as keepalived and ldirectord write it: {@code retriesAfterFirst}
     * further failures before down (keepalived {@code retry}; ldirectord's {@code failurecount} minus one),
     * a zero interval or timeout taken as one second, a timeout beyond {@link #MAX_TIMEOUT} as that, and
     * {@code warmupUpTo} the upper bound each start draws the actual warm-up below.
     *
     * @throws IllegalArgumentException for negative retries or times
     */
    public static CheckTiming imported(Duration interval, Duration timeout, int retriesAfterFirst, Duration retryDelay,
                                       Duration warmupUpTo) {
        if (retriesAfterFirst < 0) {
            throw new IllegalArgumentException("retries must not be negative, got " + retriesAfterFirst);
        }
        return new CheckTiming(atLeastOneSecond(interval), atLeastOneSecond(timeout).compareTo(MAX_TIMEOUT) > 0
            ? MAX_TIMEOUT : atLeastOneSecond(timeout), retriesAfterFirst + 1, retryDelay, warmupUpTo);
    }

    /** This timing with the first check after {@code delay}. */
    public CheckTiming withWarmup(Duration delay) {
        return new CheckTiming(interval, timeout, retries, delayBeforeRetry, delay);
    }

    private static Duration atLeastOneSecond(Duration d) {
        return d != null && d.isZero() ? Duration.ofSeconds(1) : d;
    }

    /** ldirectord's defaults: every 10 s, 5 s timeout, down on the first failure; 1 s retry delay, no warm-up. */
    public static CheckTiming defaults() {
        return new CheckTiming(Duration.ofSeconds(10), Duration.ofSeconds(5), 1, Duration.ofSeconds(1), Duration.ZERO);
    }

    private static void positive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }

    private static void notNegative(String name, Duration d) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, got " + d);
        }
    }
}
