package uvs.daemon.health;

import java.net.SocketTimeoutException;
import java.time.Duration;
import uvs.time.SystemNanoClock;

/**
 * The end of one check's time budget. Network timeouts are real time, so this reads the system clock
 * even when the checker's scheduling runs on a manual clock.
 */
final class Deadline {
    private final long endNanos;

    private Deadline(long endNanos) {
        this.endNanos = endNanos;
    }

    /** {@code timeout} from now. */
    static Deadline after(Duration timeout) {
        return new Deadline(SystemNanoClock.INSTANCE.nanoTime() + timeout.toNanos());
    }

    /**
     * Milliseconds left, at least 1 (0 would mean "no timeout" to a socket).
     *
     * @throws SocketTimeoutException when none are left
     */
    int remainingMillis() throws SocketTimeoutException {
        long left = endNanos - SystemNanoClock.INSTANCE.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException("check timed out");
        }
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000L));
    }
}
