package uvs.bench;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import uvs.daemon.Uvsd;

/**
 * Keeps asking uvsd's engine thread for a trivial answer, as uvsadm commands would, and remembers the
 * longest wait: the stall whatever runs meanwhile (a reload) causes.
 */
final class StallProbe {
    private final AtomicLong worst = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    /** Starts probing {@code uvsd}. */
    StallProbe(Uvsd uvsd) {
        // a daemon: a failed run must not keep the JVM alive
        thread = Thread.ofPlatform().daemon(true).start(() -> {
            while (running.get()) {
                long p0 = System.nanoTime();
                try {
                    uvsd.agent().call(e -> 0, 30);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                worst.accumulateAndGet(System.nanoTime() - p0, Math::max);
            }
        });
    }

    /** Stops probing; the longest wait in milliseconds. */
    double stopMillis() throws InterruptedException {
        running.set(false);
        thread.join();
        return worst.get() / 1e6;
    }
}
