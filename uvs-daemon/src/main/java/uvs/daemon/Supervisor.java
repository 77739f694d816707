package uvs.daemon;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import org.agrona.ErrorHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches every thread of uvsd. A part that fails is logged once with its stack and counted by name
 * ({@code uvs_daemon_thread_errors_total}); then it is either restarted (a part that holds no state another
 * relies on: the control socket's accept loop, the procfs writer) or the whole daemon stops with exit code
 * {@value #EXIT_FAILED} so that systemd starts a fresh one (an engine thread, a sync sender, anything that
 * dies of an {@link Error}). uvsd never keeps running with a dead part.
 */
public final class Supervisor {
    /** Exit code after a fatal failure (EX_SOFTWARE). */
    public static final int EXIT_FAILED = 70;
    /** A part that fails this many times within {@link #RESTART_WINDOW_NANOS} is not restarted again. */
    static final int MAX_RESTARTS = 5;
    static final long RESTART_WINDOW_NANOS = 60_000_000_000L;

    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);

    private final IntConsumer exit;
    private final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
    private final Set<String> logged = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean failed = new AtomicBoolean();
    private volatile String failure;

    /** A supervisor that ends the process through {@code exit} (given {@link #EXIT_FAILED}) on a fatal failure. */
    public Supervisor(IntConsumer exit) {
        this.exit = exit;
    }

    /** A supervisor that ends the JVM on a fatal failure (uvsd's own). */
    public static Supervisor exitingProcess() {
        // exit from a fresh thread: the shutdown hook joins the failed thread, which must not wait for itself
        return new Supervisor(code -> Thread.ofPlatform().name("uvs-exit").start(() -> System.exit(code)));
    }

    /** Starts {@code loop} on a daemon thread; any throwable escaping it stops uvsd. */
    public Thread start(String name, Runnable loop) {
        return Thread.ofPlatform().name(name).daemon().uncaughtExceptionHandler((t, e) -> fatal(name, e)).start(loop);
    }

    /**
     * Starts {@code loop} on a daemon thread and runs it again after a failure (an exception escaping it),
     * at most {@link #MAX_RESTARTS} times a minute; an {@link Error}, or failing more often, stops uvsd.
     * {@code running} tells when a return is a normal stop.
     */
    public Thread startRestarting(String name, Runnable loop, BooleanSupplier running) {
        return start(name, () -> {
            long[] recent = new long[MAX_RESTARTS];
            int n = 0;
            while (running.getAsBoolean()) {
                try {
                    loop.run();
                } catch (Error e) {
                    throw e;
                } catch (Throwable e) {
                    if (!running.getAsBoolean()) {
                        return;
                    }
                    onError(name, e);
                    long now = System.nanoTime();
                    long oldest = recent[n % MAX_RESTARTS];
                    recent[n % MAX_RESTARTS] = now;
                    n++;
                    if (n > MAX_RESTARTS && now - oldest < RESTART_WINDOW_NANOS) {
                        fatal(name, new IllegalStateException(name + " failed " + MAX_RESTARTS
                            + " times within a minute", e));
                        return;
                    }
                    LOG.warn("{} restarted", name);
                }
            }
        });
    }

    /**
     * Counts a failure the part survives and logs it with its stack the first time this part fails this way
     * (a fault that repeats every cycle must not flood the log; the count shows it goes on).
     */
    public void onError(String part, Throwable e) {
        errors.computeIfAbsent(part, k -> new AtomicLong()).incrementAndGet();
        if (logged.add(part + '/' + e.getClass().getName())) {
            LOG.error("{} failed: {} (logged once; uvs_daemon_thread_errors_total counts repeats)", part, oneLine(e), e);
        }
    }

    /** Logs and counts a failure uvsd cannot survive, then stops the daemon with {@link #EXIT_FAILED}. */
    public void fatal(String part, Throwable e) {
        errors.computeIfAbsent(part, k -> new AtomicLong()).incrementAndGet();
        if (!failed.compareAndSet(false, true)) {
            LOG.error("{} failed after uvsd began to stop: {}", part, oneLine(e));
            return;
        }
        failure = part + ": " + oneLine(e);
        LOG.error("{} failed: {}; uvsd stops (exit {}) so that it can be restarted", part, oneLine(e), EXIT_FAILED, e);
        exit.accept(EXIT_FAILED);
    }

    /** An Agrona error handler for {@code part} (a failure it reports is survived). */
    public ErrorHandler errorHandler(String part) {
        return e -> onError(part, e);
    }

    /** Failures counted so far, by part (for metrics). */
    public Map<String, Long> errorCounts() {
        Map<String, Long> m = new TreeMap<>();
        errors.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    /** The fatal failure, or null while uvsd is healthy. */
    public String failure() {
        return failure;
    }

    /** A throwable in one line: its class when it has no message. */
    static String oneLine(Throwable e) {
        String m = e.getMessage();
        String s = m == null || m.isBlank() ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + m;
        return Messages.clip(s.replace('\n', ' '));
    }
}
