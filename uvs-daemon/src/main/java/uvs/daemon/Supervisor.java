package uvs.daemon;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.IdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs and watches every thread of uvsd. Each loop is an Agrona {@link Agent} run by an {@link AgentRunner}
 * ({@link #run}) whose {@link ErrorHandler} ({@link #errorHandlerFor}) logs each distinct failure once with its
 * stack, counts every failure by the agent's role name ({@code uvs_daemon_thread_errors_total}) and applies the
 * agent's {@link AgentPolicy}: go on with the next cycle, or restart at most {@value #MAX_RESTARTS} times a
 * minute. An {@link Error}, or a restarted agent failing more often, stops the whole daemon with exit code
 * {@value #EXIT_FAILED} so that systemd starts a fresh one: uvsd never keeps running with a dead part.
 */
public final class Supervisor {
    /** Exit code after a fatal failure (EX_SOFTWARE). */
    public static final int EXIT_FAILED = 70;
    /** A {@link AgentPolicy#RESTART} agent is restarted at most this many times within {@link #RESTART_WINDOW_NANOS}. */
    public static final int MAX_RESTARTS = 5;
    static final long RESTART_WINDOW_NANOS = 60_000_000_000L;
    // after a survived failure the failing thread pauses, so a fault that repeats every cycle cannot spin a core
    private static final long CONTINUE_PAUSE_NANOS = 1_000_000L;
    private static final long RESTART_PAUSE_NANOS = 100_000_000L;
    private static final int CLOSE_WAIT_MILLIS = 2000;

    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);

    private final IntConsumer exit;
    private final LongSupplier nanoTime;
    private final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
    private final Set<String> logged = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean failed = new AtomicBoolean();
    private volatile String failure;

    /** A supervisor that ends the process through {@code exit} (given {@link #EXIT_FAILED}) on a fatal failure. */
    public Supervisor(IntConsumer exit) {
        this(exit, System::nanoTime);
    }

    /** As {@link #Supervisor(IntConsumer)}, counting restarts against {@code nanoTime} (tests). */
    Supervisor(IntConsumer exit, LongSupplier nanoTime) {
        this.exit = exit;
        this.nanoTime = nanoTime;
    }

    /** A supervisor that ends the JVM on a fatal failure (uvsd's own). */
    public static Supervisor exitingProcess() {
        // exit from a fresh thread: the shutdown hook closes the failed agent, which must not wait for itself
        return new Supervisor(code -> Thread.ofPlatform().name("uvs-exit").start(() -> System.exit(code)));
    }

    /**
     * Runs {@code agent} on a daemon thread named after its role, idling with {@code idle}, its failures handled
     * by {@link #errorHandlerFor errorHandlerFor(role, policy)}. A restarted agent that fails too often is
     * closed (its {@link Agent#onClose} runs) as uvsd stops. Stop it with {@link #stop(AgentRunner)}.
     */
    public AgentRunner run(Agent agent, IdleStrategy idle, AgentPolicy policy) {
        AgentErrors handler = new AgentErrors(agent.roleName(), policy);
        AgentRunner runner = new AgentRunner(idle, handler, null, new Supervised(agent, handler));
        AgentRunner.startOnThread(runner, r -> Thread.ofPlatform().daemon().uncaughtExceptionHandler(handler)
            .unstarted(r));
        return runner;
    }

    /**
     * Stops {@code runner} and waits for its {@link Agent#onClose}: the agent's thread is interrupted after
     * {@value #CLOSE_WAIT_MILLIS} ms, and after twice that the caller goes on without it (a stuck agent must not
     * hold up uvsd's stop; it is a daemon thread).
     */
    public static void stop(AgentRunner runner) {
        Thread closer = Thread.ofVirtual().start(() -> runner.close(CLOSE_WAIT_MILLIS, t -> LOG.warn(
            "{} did not stop within {} ms; interrupted", t.getName(), CLOSE_WAIT_MILLIS)));
        try {
            if (!closer.join(Duration.ofMillis(2L * CLOSE_WAIT_MILLIS))) {
                LOG.warn("{} did not stop; uvsd goes on without waiting for it", runner.agent().roleName());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The error handler of the agent {@code role} (for an {@link AgentRunner} of its own): every failure it is
     * given is counted under {@code role} and logged once per kind; an {@link Error} stops uvsd; any other
     * failure is handled by {@code policy}. Call it from the agent's thread (it pauses that thread briefly).
     */
    public ErrorHandler errorHandlerFor(String role, AgentPolicy policy) {
        return new AgentErrors(role, policy);
    }

    /** {@link #errorHandlerFor(String, AgentPolicy)} with {@link AgentPolicy#CONTINUE}. */
    public ErrorHandler errorHandlerFor(String role) {
        return errorHandlerFor(role, AgentPolicy.CONTINUE);
    }

    /** Starts a one-off {@code task} (not a loop) on a daemon thread; any throwable escaping it stops uvsd. */
    public Thread start(String name, Runnable task) {
        return Thread.ofPlatform().name(name).daemon().uncaughtExceptionHandler((t, e) -> fatal(name, e)).start(task);
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

    /** One agent's failures: the policy, and what escapes its thread (an Error the runner rethrows). */
    private final class AgentErrors implements ErrorHandler, Thread.UncaughtExceptionHandler {
        private final String role;
        private final AgentPolicy policy;
        private final long[] recent = new long[MAX_RESTARTS];
        private int restarts;
        private volatile boolean givenUp;
        private volatile Throwable stopped;

        AgentErrors(String role, AgentPolicy policy) {
            this.role = role;
            this.policy = policy;
        }

        @Override
        public void onError(Throwable e) {
            if (e instanceof Error) {
                stopped = e;
                fatal(role, e);
                return;
            }
            Supervisor.this.onError(role, e);
            if (policy == AgentPolicy.CONTINUE) {
                LockSupport.parkNanos(CONTINUE_PAUSE_NANOS);
            } else if (restartAllowed()) {
                LOG.warn("{} restarted", role);
                LockSupport.parkNanos(RESTART_PAUSE_NANOS);
            } else {
                givenUp = true;
                fatal(role, new IllegalStateException(role + " restarted " + MAX_RESTARTS
                    + " times within a minute and failed again", e));
            }
        }

        // the oldest of the last MAX_RESTARTS restarts is more than a minute old
        private synchronized boolean restartAllowed() {
            long now = nanoTime.getAsLong();
            int slot = restarts % MAX_RESTARTS;
            if (restarts >= MAX_RESTARTS && now - recent[slot] < RESTART_WINDOW_NANOS) {
                return false;
            }
            recent[slot] = now;
            restarts++;
            return true;
        }

        @Override
        public void uncaughtException(Thread t, Throwable e) {
            if (e != stopped) {
                fatal(role, e);
            }
        }
    }

    /** An agent whose runner ends once the supervisor gave it up (uvsd is stopping then). */
    private static final class Supervised implements Agent {
        private final Agent agent;
        private final AgentErrors errors;

        Supervised(Agent agent, AgentErrors errors) {
            this.agent = agent;
            this.errors = errors;
        }

        @Override
        public void onStart() {
            agent.onStart();
        }

        @Override
        public int doWork() throws Exception {
            if (errors.givenUp) {
                throw new AgentTerminationException(true);
            }
            return agent.doWork();
        }

        @Override
        public void onClose() {
            agent.onClose();
        }

        @Override
        public String roleName() {
            return agent.roleName();
        }
    }
}
