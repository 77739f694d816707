package uvs.daemon;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How uvsd's reloads ended, for monitoring ({@code uvs_daemon_reloads_total{result=...}}): applied, refused
 * (a bad file: nothing changed, the old configuration keeps running), or failed (an error of UVS itself,
 * also logged with its stack and counted in {@code uvs_daemon_thread_errors_total}).
 */
final class ReloadCounters {
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    void applied() {
        applied.incrementAndGet();
    }

    void refused() {
        refused.incrementAndGet();
    }

    void failed() {
        failed.incrementAndGet();
    }

    long appliedCount() {
        return applied.get();
    }

    long refusedCount() {
        return refused.get();
    }

    long failedCount() {
        return failed.get();
    }
}
