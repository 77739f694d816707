package uvs.daemon.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uvs.core.Engine;
import uvs.core.svc.RealServerConfig;
import uvs.daemon.EngineGroup;
import uvs.time.NanoClock;

/**
 * Runs the health checks of a {@link HealthConfig} and keeps the engine's real servers in step with
 * them. A scheduler thread starts every check when it is due, each on its own virtual thread with its
 * own timeout, so a slow check delays neither the others nor the engine. Results are applied under one
 * lock: state changes are logged (one line each), counted in {@link HealthCounters} and handed to the
 * engine through {@link EngineGroup#submit} (every engine shard); sorry servers follow their service's real servers.
 *
 * <p>Scheduling reads the injected {@link NanoClock}; the checks' own network timeouts are real time.
 */
public final class HealthChecker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HealthChecker.class);
    // longest scheduler sleep, so a manual clock that moves is noticed
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final Duration STOP_WAIT = Duration.ofSeconds(2);

    private final EngineGroup agent;
    private final NanoClock clock;
    private final RealServerHealth[] servers;
    private final ServiceGroup[] groups;
    private final ServiceGroup[] groupOf;
    private final HealthCounters counters;
    private final ExecutorService pool = Executors.newThreadPerTaskExecutor(
        Thread.ofVirtual().name("uvs-health-check-", 0).factory());
    // engine-result logging happens here, not on the engine's thread
    private final Executor logExecutor = r -> Thread.ofVirtual().start(r);
    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean stopped;
    private volatile Thread scheduler;

    /** The real servers of one service that has a sorry server. */
    private static final class ServiceGroup {
        final SorryServer sorry;
        final int[] members;
        boolean active;
        boolean applyPending;

        ServiceGroup(SorryServer sorry, int[] members) {
            this.sorry = sorry;
            this.members = members;
        }
    }

    /** A checker for {@code config} that changes the engine through {@code agent}; call {@link #start()}. */
    public HealthChecker(HealthConfig config, EngineGroup agent, NanoClock clock) {
        this.agent = agent;
        this.clock = clock;
        List<HealthCheckConfig> checks = config.checks();
        long now = clock.nanoTime();
        servers = new RealServerHealth[checks.size()];
        counters = new HealthCounters(checks);
        for (int i = 0; i < servers.length; i++) {
            servers[i] = new RealServerHealth(i, checks.get(i), HealthCheck.of(checks.get(i)), now);
            counters.state(i, servers[i].state(), servers[i].engineWeight(), false);
        }
        groups = new ServiceGroup[config.sorryServers().size()];
        groupOf = new ServiceGroup[servers.length];
        for (int g = 0; g < groups.length; g++) {
            SorryServer sorry = config.sorryServers().get(g);
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < servers.length; i++) {
                if (checks.get(i).service().equals(sorry.service())) {
                    members.add(i);
                }
            }
            groups[g] = new ServiceGroup(sorry, members.stream().mapToInt(Integer::intValue).toArray());
            for (int m : groups[g].members) {
                groupOf[m] = groups[g];
            }
            groups[g].active = allDown(groups[g]);
            counters.sorry(sorry.service(), groups[g].active);
        }
    }

    /** Counters and current states, for monitoring. */
    public HealthCounters counters() {
        return counters;
    }

    /**
     * Gives the engine every server's current state ({@link #reapply()}), then starts checking: each
     * server's first check comes after its warm-up.
     *
     * @throws IllegalStateException if already started or stopped
     */
    public void start() {
        lock.lock();
        try {
            if (scheduler != null || stopped) {
                throw new IllegalStateException(stopped ? "health checker stopped" : "health checker already started");
            }
            long now = clock.nanoTime();
            for (RealServerHealth s : servers) {
                s.scheduleFirst(now);
            }
            reapplyLocked();
            scheduler = Thread.ofPlatform().daemon().name("uvs-health").uncaughtExceptionHandler(onDeath)
                .start(this::loop);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Where an {@link Error} of the scheduler thread or of a check goes (uvsd's supervisor, which stops the
     * daemon); call before {@link #start}. By default the thread's usual handler.
     */
    public void onThreadDeath(Thread.UncaughtExceptionHandler h) {
        this.onDeath = h;
    }

    /** Stops scheduling, interrupts running checks and waits briefly for them; results after this are ignored. */
    public void stop() {
        stopped = true;
        Thread t = scheduler;
        try {
            if (t != null) {
                LockSupport.unpark(t);
                t.join(STOP_WAIT);
            }
            pool.shutdownNow();
            pool.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /**
     * Runs every check that is not already running once, now and concurrently, applies the results as
     * scheduled checks would, and returns the changes in configuration order. Blocks until the checks end
     * (each within its timeout); the engine changes are queued on the agent when this returns.
     *
     * @throws IllegalStateException if stopped
     */
    public List<StateChange> runRound() {
        if (stopped) {
            throw new IllegalStateException("health checker stopped");
        }
        List<CompletableFuture<StateChange>> running = new ArrayList<>(servers.length);
        lock.lock();
        try {
            for (RealServerHealth s : servers) {
                if (!s.inFlight) {
                    s.inFlight = true;
                    running.add(CompletableFuture.supplyAsync(() -> execute(s), pool));
                }
            }
        } finally {
            lock.unlock();
        }
        List<StateChange> changes = new ArrayList<>();
        for (CompletableFuture<StateChange> f : running) {
            StateChange c = f.join();
            if (c != null) {
                changes.add(c);
            }
        }
        return changes;
    }

    /**
     * Hands the engine the current wanted state of every checked server and sorry server (quiescent or
     * absent when down), e.g. after the rules were reloaded. {@link #start()} does it first.
     */
    public void reapply() {
        lock.lock();
        try {
            reapplyLocked();
        } finally {
            lock.unlock();
        }
    }

    private void reapplyLocked() {
        for (RealServerHealth s : servers) {
            apply(s);
        }
        for (ServiceGroup g : groups) {
            applySorry(g);
        }
    }

    /** Starts the checks that are due by the clock and not running; returns how many were started. */
    int dispatchDue() {
        int started = 0;
        lock.lock();
        try {
            long now = clock.nanoTime();
            for (RealServerHealth s : servers) {
                if (!stopped && !s.inFlight && s.isDue(now)) {
                    s.inFlight = true;
                    try {
                        pool.execute(() -> execute(s));
                        started++;
                    } catch (RejectedExecutionException stopping) {
                        s.inFlight = false;
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        return started;
    }

    private long nanosUntilNextDue() {
        long wait = MAX_PARK_NANOS;
        lock.lock();
        try {
            long now = clock.nanoTime();
            for (RealServerHealth s : servers) {
                if (!s.inFlight) {
                    wait = Math.min(wait, s.nanosUntilDue(now));
                }
            }
        } finally {
            lock.unlock();
        }
        return wait;
    }

    private volatile Thread.UncaughtExceptionHandler onDeath = (t, e) -> {
        Thread.UncaughtExceptionHandler d = Thread.getDefaultUncaughtExceptionHandler();
        if (d != null) {
            d.uncaughtException(t, e);
        }
    };

    private void loop() {
        while (!stopped) {
            try {
                dispatchDue();
                long wait = nanosUntilNextDue();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            } catch (RuntimeException e) {
                // the scheduler never dies: a lost round is retried on the next pass
                LOG.error("health: scheduler error", e);
                LockSupport.parkNanos(MAX_PARK_NANOS);
            }
        }
    }

    private StateChange execute(RealServerHealth s) {
        CheckResult r;
        try {
            r = s.check.run();
        } catch (RuntimeException e) {
            r = CheckResult.down("check error: " + LogText.describe(e));
        } catch (Error e) {
            // the future would keep it, and this server would never be checked again
            onDeath.uncaughtException(Thread.currentThread(), e);
            throw e;
        }
        StateChange c = complete(s, r);
        Thread t = scheduler;
        if (t != null) {
            // its next due time changed
            LockSupport.unpark(t);
        }
        return c;
    }

    private StateChange complete(RealServerHealth s, CheckResult r) {
        long now = clock.nanoTime();
        lock.lock();
        try {
            s.inFlight = false;
            if (stopped) {
                return null;
            }
            counters.checkRun(s.index, !r.up());
            StateChange c = s.onResult(r, now);
            if (c != null) {
                log(c);
                counters.state(s.index, s.state(), s.engineWeight(), c.isTransition());
            } else if (!r.up() && s.state() == ServerState.UP) {
                LOG.debug("health: {} check failed {} of {} ({})", s.config.label(), s.failures(),
                    s.config.timing().retries(), r.detail());
            }
            if (c != null || s.applyPending) {
                apply(s);
            }
            ServiceGroup g = groupOf[s.index];
            if (g != null && (c != null && c.isTransition() || g.applyPending)) {
                updateSorry(g);
            }
            return c;
        } finally {
            lock.unlock();
        }
    }

    private static void log(StateChange c) {
        HealthCheckConfig cfg = c.server();
        if (!c.isTransition()) {
            LOG.info("health: {} weight {} ({})", cfg.label(), c.weight(), c.detail());
        } else if (c.to() == ServerState.UP) {
            LOG.info("health: {} UP ({}): weight {}", cfg.label(), c.detail(), c.weight());
        } else {
            LOG.warn("health: {} DOWN ({}): {}", cfg.label(), c.detail(),
                cfg.onFailure() == FailureAction.QUIESCE ? "quiesced (weight 0)" : "removed");
        }
    }

    private void updateSorry(ServiceGroup g) {
        boolean allDown = allDown(g);
        if (allDown != g.active) {
            g.active = allDown;
            counters.sorry(g.sorry.service(), allDown);
            if (allDown) {
                LOG.warn("health: {} every real server down: sorry server {} added", g.sorry.service(),
                    LogText.hostPort(g.sorry.address(), g.sorry.port()));
            } else {
                LOG.info("health: {} a real server is back: sorry server {} removed", g.sorry.service(),
                    LogText.hostPort(g.sorry.address(), g.sorry.port()));
            }
            applySorry(g);
        } else if (g.applyPending) {
            applySorry(g);
        }
    }

    private boolean allDown(ServiceGroup g) {
        for (int m : g.members) {
            if (servers[m].state() == ServerState.UP) {
                return false;
            }
        }
        return true;
    }

    private void apply(RealServerHealth s) {
        HealthCheckConfig c = s.config;
        RealServerConfig want = s.engineConfig();
        s.applyPending = !submit(c.label(), e -> DestActions.ensure(e, c.service(), c.address(), c.port(), want));
    }

    private void applySorry(ServiceGroup g) {
        SorryServer sorry = g.sorry;
        RealServerConfig want = g.active ? sorry.config() : null;
        g.applyPending = !submit("sorry server " + sorry.label(),
            e -> DestActions.ensure(e, sorry.service(), sorry.address(), sorry.port(), want));
    }

    // false when the agent could not take it now; the caller re-submits on the next result
    private boolean submit(String what, Function<Engine, DestActions.Outcome> task) {
        try {
            agent.submit(task).whenCompleteAsync((outcome, error) -> {
                if (error != null) {
                    LOG.warn("health: {}: engine refused the change: {}", what, error.getMessage());
                } else if (outcome == DestActions.Outcome.NO_SERVICE) {
                    LOG.warn("health: {}: virtual service not configured, nothing changed", what);
                }
            }, logExecutor);
            return true;
        } catch (IllegalStateException e) {
            LOG.warn("health: {}: not applied ({}), will retry", what, e.getMessage());
            return false;
        }
    }
}
