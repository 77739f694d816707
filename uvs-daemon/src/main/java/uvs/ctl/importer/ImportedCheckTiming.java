package uvs.ctl.importer;

import java.time.Duration;
import java.util.Objects;

/**
 * When a check runs and how long it may take.
 *
 * @param interval time between checks of a server that is up
 * @param timeout how long one attempt may take
 * @param retries further attempts after a failure before the server is declared down
 * @param retryDelay time between those attempts
 * @param warmup longest random delay before the first check (0 = none)
 */
public record ImportedCheckTiming(Duration interval, Duration timeout, int retries, Duration retryDelay,
                                  Duration warmup) {
    /** Checks the values. */
    public ImportedCheckTiming {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(retryDelay, "retryDelay");
        Objects.requireNonNull(warmup, "warmup");
        if (retries < 0) {
            throw new IllegalArgumentException("retries must not be negative, got " + retries);
        }
        if (interval.isNegative() || timeout.isNegative() || retryDelay.isNegative() || warmup.isNegative()) {
            throw new IllegalArgumentException("check times must not be negative");
        }
    }
}
