package uvs.daemon.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.IdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceKey;
import uvs.ctl.health.CheckKind;
import uvs.ctl.health.FailureAction;
import uvs.ctl.health.HealthCheckConfig;
import uvs.ctl.health.HealthConfig;
import uvs.ctl.health.ServiceQuorum;
import uvs.ctl.health.SorryServer;
import uvs.ctl.model.Change;
import uvs.daemon.EngineGroup;
import uvs.daemon.Supervisor;
import uvs.time.NanoClock;

/**
 * Runs the health checks of a {@link HealthConfig} and keeps the engine's real servers in step with
 * them. A scheduler agent ({@code uvs-health}, on a thread of its own) starts every check when it is due, and
 * parks until the next one is due or a check ends; each check runs on its own virtual thread with its
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
    // longest run of a quorum_up / quorum_down command
    private static final Duration NOTIFY_TIMEOUT = Duration.ofSeconds(30);

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
    private volatile AgentRunner scheduler;
    private volatile ErrorHandler errorHandler = e -> LOG.error("health: scheduler failed", e);

    /**
     * The checked real servers of one service with a sorry server or a quorum of its own, and its quorum
     * state (keepalived check/ipwrapper.c {@code update_quorum_state}).
     */
    private static final class ServiceGroup {
        final ServiceKey service;
        final SorryServer sorry;
        final ServiceQuorum quorum;
        final int[] members;
        boolean quorumUp;
        // the sorry server is in and the live real servers are out
        boolean sorryActive;
        boolean applyPending;

        ServiceGroup(ServiceKey service, SorryServer sorry, ServiceQuorum quorum, int[] members) {
            this.service = service;
            this.sorry = sorry;
            this.quorum = quorum;
            this.members = members;
        }
    }

    /** A checker for {@code config} that changes the engine through {@code agent}; call {@link #start()}. */
    public HealthChecker(HealthConfig config, EngineGroup agent, NanoClock clock) {
        this.agent = agent;
        this.clock = clock;
        List<HealthCheckConfig> checks = config.checks();
        long now = clock.nanoTime();
        LocalAddresses local = HostAddresses.of(clock);
        servers = new RealServerHealth[checks.size()];
        counters = new HealthCounters(checks);
        for (int i = 0; i < servers.length; i++) {
            servers[i] = new RealServerHealth(i, checks.get(i), HealthCheck.of(checks.get(i), local), now);
            counters.state(i, servers[i].state(), servers[i].engineWeight(), false);
        }
        Set<ServiceKey> grouped = new LinkedHashSet<>();
        config.sorryServers().forEach(s -> grouped.add(s.service()));
        config.quorums().forEach(q -> grouped.add(q.service()));
        groups = new ServiceGroup[grouped.size()];
        groupOf = new ServiceGroup[servers.length];
        int g = 0;
        for (ServiceKey key : grouped) {
            SorryServer sorry = config.sorryServers().stream().filter(s -> s.service().equals(key)).findFirst()
                .orElse(null);
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < servers.length; i++) {
                if (checks.get(i).service().equals(key)) {
                    members.add(i);
                }
            }
            ServiceGroup group = new ServiceGroup(key, sorry, config.quorum(key),
                members.stream().mapToInt(Integer::intValue).toArray());
            for (int m : group.members) {
                groupOf[m] = group;
            }
            groups[g++] = group;
        }
        initQuorums();
    }

    // keepalived set_quorum_states, then update_quorum_state(init): a sorry server starts in when the
    // quorum starts down
    private void initQuorums() {
        for (ServiceGroup group : groups) {
            group.quorumUp = liveWeight(group) >= group.quorum.quorum() + group.quorum.hysteresis();
            group.sorryActive = !group.quorumUp && group.sorry != null;
            counters.sorry(group.service, group.sorryActive);
        }
    }

    /**
     * Before {@link #start()}, after a reload: every server checked the same way as in {@code old} (same
     * service, address, port, check and configuration) keeps its state (up or down, weight, failures), so that
     * a reload neither puts a failed server back into its pool nor takes a live one out; quorums follow.
     * Returns how many servers kept their state.
     *
     * @throws IllegalStateException if already started
     */
    public int inheritStates(HealthChecker old) {
        lock.lock();
        try {
            if (scheduler != null || stopped) {
                throw new IllegalStateException("inherit states before start");
            }
            int kept = 0;
            old.lock.lock();
            try {
                for (RealServerHealth s : servers) {
                    for (RealServerHealth o : old.servers) {
                        if (s.inherit(o)) {
                            kept++;
                            counters.state(s.index, s.state(), s.engineWeight(), false);
                            break;
                        }
                    }
                }
            } finally {
                old.lock.unlock();
            }
            initQuorums();
            return kept;
        } finally {
            lock.unlock();
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
            for (ServiceGroup g : groups) {
                if (!g.quorumUp) {
                    LOG.warn("health: {} starting with quorum down ({}, live weight {}){}", g.service, quorumText(g),
                        liveWeight(g), g.sorry == null ? "" : ": sorry server " + g.sorry.address().withPort(g.sorry.port()) + " added");
                }
            }
            reapplyLocked();
            AgentRunner r = new AgentRunner(new UntilNextCheck(), errorHandler, null, new Scheduler());
            scheduler = r;
            // the runner gives every throwable to its error handler first: nothing is left for the thread to report
            AgentRunner.startOnThread(r, Thread.ofPlatform().daemon().uncaughtExceptionHandler((t, e) -> { })
                .factory());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Where failures go (uvsd's supervisor): an exception of the scheduler (the next pass retries the round) and
     * an {@link Error} of the scheduler or of a check (the supervisor stops the daemon). Call before
     * {@link #start}. By default they are logged.
     */
    public void errorHandler(ErrorHandler h) {
        this.errorHandler = h;
    }

    /** Stops scheduling, interrupts running checks and waits briefly for them; results after this are ignored. */
    public void stop() {
        stopped = true;
        AgentRunner r = scheduler;
        try {
            if (r != null) {
                wake();
                Supervisor.stop(r);
            }
            pool.shutdownNow();
            pool.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops as {@link #stop()} when uvsd stops: first runs, and waits for, the {@code quorum_down} command
     * of every service with {@code omega} whose quorum is up (keepalived runs it at shutdown then).
     */
    public void shutdown() {
        List<ServiceGroup> omega = new ArrayList<>();
        lock.lock();
        try {
            for (ServiceGroup g : groups) {
                if (g.quorum.omega() && g.quorumUp && !g.quorum.onDown().isEmpty()) {
                    omega.add(g);
                }
            }
        } finally {
            lock.unlock();
        }
        stop();
        for (ServiceGroup g : omega) {
            runNotify(g.service, g.quorum.onDown(), "quorum_down (omega)");
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

    // the scheduler: due checks started each pass; stopping ends it
    private final class Scheduler implements Agent {
        @Override
        public int doWork() {
            if (stopped) {
                throw new AgentTerminationException(true);
            }
            return dispatchDue();
        }

        @Override
        public String roleName() {
            return "uvs-health";
        }
    }

    /**
     * The scheduler's wait: parks until the next check is due by the clock, at most {@code MAX_PARK_NANOS} (a
     * manual clock that moves is noticed); a check that ends unparks it, as its server's next due time changed.
     */
    private final class UntilNextCheck implements IdleStrategy {
        @Override
        public void idle(int workCount) {
            if (workCount <= 0) {
                idle();
            }
        }

        @Override
        public void idle() {
            long wait = nanosUntilNextDue();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
        }

        @Override
        public void reset() {
            // nothing kept between waits
        }
    }

    private void wake() {
        AgentRunner r = scheduler;
        Thread t = r == null ? null : r.thread();
        if (t != null) {
            LockSupport.unpark(t);
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
            errorHandler.onError(e);
            throw e;
        }
        StateChange c = complete(s, r);
        // its next due time changed
        wake();
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
            if (!r.suspended()) {
                counters.checkRun(s.index, !r.up());
            }
            StateChange c = s.onResult(r, now);
            if (c != null) {
                log(c);
                counters.state(s.index, s.state(), s.engineWeight(), c.isTransition());
            } else if (!r.up() && !r.suspended() && s.state() == ServerState.UP) {
                LOG.debug("health: {} check failed {} of {} ({})", s.config.label(), s.failures(),
                    s.config.timing().retries(), r.detail());
            }
            if (c != null || s.applyPending) {
                apply(s);
            }
            ServiceGroup g = groupOf[s.index];
            if (g != null && (c != null || g.applyPending)) {
                updateQuorum(g);
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

    // keepalived update_quorum_state: gained at quorum + hysteresis, lost below quorum - hysteresis or at 0
    private void updateQuorum(ServiceGroup g) {
        long sum = liveWeight(g);
        ServiceQuorum q = g.quorum;
        if (!g.quorumUp && sum >= (long) q.quorum() + q.hysteresis()) {
            g.quorumUp = true;
            LOG.info("health: {} gained quorum ({}, live weight {}){}", g.service, quorumText(g), sum,
                g.sorryActive ? ": sorry server " + g.sorry.address().withPort(g.sorry.port()) + " "
                    + (g.sorry.onRelease() == FailureAction.QUIESCE ? "quiesced" : "removed")
                    + ", live real servers back" : "");
            setSorryActive(g, false);
            notify(g, q.onUp(), "quorum_up");
        } else if (g.quorumUp && (sum == 0 || sum < (long) q.quorum() - q.hysteresis())) {
            g.quorumUp = false;
            LOG.warn("health: {} lost quorum ({}, live weight {}){}", g.service, quorumText(g), sum,
                g.sorry != null ? ": live real servers out, sorry server " + g.sorry.address().withPort(g.sorry.port()) + " added" : "");
            setSorryActive(g, g.sorry != null);
            notify(g, q.onDown(), "quorum_down");
        } else if (g.applyPending) {
            applyGroup(g);
        }
    }

    private void setSorryActive(ServiceGroup g, boolean active) {
        if (g.sorryActive != active) {
            g.sorryActive = active;
            counters.sorry(g.service, active);
            applyGroup(g);
        }
    }

    // the live members leave or rejoin the pool with the sorry server
    private void applyGroup(ServiceGroup g) {
        for (int m : g.members) {
            apply(servers[m]);
        }
        applySorry(g);
    }

    private void notify(ServiceGroup g, List<String> command, String what) {
        if (command.isEmpty()) {
            return;
        }
        try {
            pool.execute(() -> runNotify(g.service, command, what));
        } catch (RejectedExecutionException stopping) {
            LOG.warn("health: {} {} not run: stopping", g.service, what);
        }
    }

    private static void runNotify(ServiceKey service, List<String> command, String what) {
        CheckResult r = new ExternalCheck(new CheckKind.External(command, false), NOTIFY_TIMEOUT).run();
        if (r.up()) {
            LOG.info("health: {} {} {}: {}", service, what, String.join(" ", command), r.detail());
        } else {
            LOG.warn("health: {} {} {} failed: {}", service, what, String.join(" ", command), r.detail());
        }
    }

    private static String quorumText(ServiceGroup g) {
        return "quorum " + g.quorum.quorum() + ", hysteresis " + g.quorum.hysteresis();
    }

    // keepalived weigh_live_realservers: the weights of the members that are up
    private long liveWeight(ServiceGroup g) {
        long sum = 0;
        for (int m : g.members) {
            sum += servers[m].engineWeight();
        }
        return sum;
    }

    private void apply(RealServerHealth s) {
        HealthCheckConfig c = s.config;
        ServiceGroup g = groupOf[s.index];
        // out of the pool while the sorry server stands in (keepalived perform_quorum_state)
        RealServerConfig want = g != null && g.sorryActive ? s.downConfig() : s.engineConfig();
        s.applyPending = !submit(c.label(), new Change.EnsureRealServer(c.service(), c.address(), c.port(), want));
    }

    private void applySorry(ServiceGroup g) {
        SorryServer sorry = g.sorry;
        if (sorry == null) {
            g.applyPending = false;
            return;
        }
        RealServerConfig want = sorry.engineConfig(g.sorryActive);
        g.applyPending = !submit("sorry server " + sorry.label(),
            new Change.EnsureRealServer(sorry.service(), sorry.address(), sorry.port(), want));
    }

    // false when the agent could not take it now; the caller re-submits on the next result
    private boolean submit(String what, Change.EnsureRealServer change) {
        try {
            agent.submit(change::ensure).whenCompleteAsync((outcome, error) -> {
                if (error != null) {
                    LOG.warn("health: {}: engine refused the change: {}", what, error.getMessage());
                } else if (outcome == Change.EnsureRealServer.Outcome.NO_SERVICE) {
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
