package uvs.daemon.cluster;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uvs.core.net.IpAddress;
import uvs.ctl.importer.SyncFollow;
import uvs.daemon.Supervisor;

/**
 * uvsd's cluster duties, an agent ({@code uvs-cluster}) on a thread of its own, every {@value #TICK_MILLIS} ms:
 * the sync role follows the VRRP instance, the VIP guard follows the services, BIRD announces the VIPs that have
 * a real server to send to (nothing without a data plane, nothing once draining), and the state file says
 * whether uvsd carries traffic.
 * A failing duty is reported to the daemon's error handler (logged once, counted), tried again at the next
 * tick, and logged again when it works; it never stops the others.
 */
public final class ClusterAgent implements Agent, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterAgent.class);
    private static final long TICK_MILLIS = 100;
    private static final long TICK_NANOS = TICK_MILLIS * 1_000_000L;

    /** Reads the services' addresses (on the engine's thread). */
    public interface Services {
        /** The addresses now. */
        ServiceVips read() throws Exception;
    }

    /** Reports a failed duty (uvsd's supervisor logs it once and counts it). */
    public interface Errors {
        /** {@code duty} failed with {@code e}. */
        void failed(String duty, Throwable e);
    }

    /** Runs the agent on a thread (uvsd's supervisor runs it: an Error escaping it stops uvsd). */
    public interface Launcher {
        /** Starts {@code agent} on a thread of its own, idling with {@code idle}. */
        AgentRunner start(Agent agent, IdleStrategy idle);
    }

    /** Switches the sync daemon's role. */
    public interface SyncRoles {
        /** Runs the master (true) or the backup (false) daemon, and stops the other. */
        void become(boolean master) throws Exception;
    }

    private final ClusterSpec spec;
    private final Services services;
    private final boolean forwarding;
    private final VipGuard guard;
    private final SyncRoleFollower follower;
    private final StateFile state;
    private final BgpAnnouncer bgp;
    private final Errors report;
    private final Map<String, String> lastError = new HashMap<>();
    private final AtomicLong errors = new AtomicLong();
    private final AgentRunner runner;
    private long lastTick;
    private volatile boolean draining;
    private volatile boolean stopped;

    /**
     * Starts the duties.
     *
     * @param spec what is asked
     * @param services the services' addresses
     * @param forwarding true when the data plane runs (only then are VIPs announced)
     * @param follow the VRRP instance the sync role follows, or null
     * @param roles switches the sync role (used with {@code follow})
     * @param report where failed duties go
     * @param launcher starts the agent's thread
     * @throws uvs.net.sys.NativeException when the BGP device cannot be created
     */
    public ClusterAgent(ClusterSpec spec, Services services, boolean forwarding, SyncFollow follow,
                        SyncRoles roles, Errors report, Launcher launcher) {
        this.spec = spec;
        this.report = report;
        this.services = services;
        this.forwarding = forwarding;
        this.guard = spec.vipGuard() ? new VipGuard() : null;
        this.follower = follow == null ? null : new SyncRoleFollower(follow, roles);
        this.state = spec.stateFile() == null ? null : new StateFile(spec.stateFile());
        this.bgp = spec.bgp() == null ? null : new BgpAnnouncer(spec.bgp());
        if (bgp != null && !forwarding) {
            LOG.warn("BGP: uvsd runs without a data plane (--interface), so it announces no VIP");
        }
        tick();
        lastTick = System.nanoTime();
        // after a tick the next cycle finds nothing due and sleeps a whole tick: ten wakeups a second
        this.runner = launcher.start(this, new SleepingMillisIdleStrategy(TICK_MILLIS));
    }

    /** A plain daemon thread of its own, failures logged (tests, tools). */
    public static Launcher plainThread() {
        return (agent, idle) -> {
            AgentRunner r = new AgentRunner(idle, e -> LOG.error("{} failed", agent.roleName(), e), null, agent);
            // the runner gives every throwable to its error handler first: nothing is left for the thread to report
            AgentRunner.startOnThread(r, Thread.ofPlatform().daemon().uncaughtExceptionHandler((t, e) -> { })
                .factory());
            return r;
        };
    }

    /** No report beyond the agent's own log line when a failure's message changes (tests, tools). */
    public static Errors noReport() {
        return (duty, e) -> { };
    }

    /** The number of failed duty runs so far. */
    public long errors() {
        return errors.get();
    }

    /**
     * Runs the duties when a tick is due.
     *
     * @return 1 when it ran them, else 0
     * @throws AgentTerminationException (expected) once closed
     */
    @Override
    public int doWork() {
        if (stopped) {
            throw new AgentTerminationException(true);
        }
        long now = System.nanoTime();
        if (now - lastTick < TICK_NANOS) {
            return 0;
        }
        lastTick = now;
        tick();
        return 1;
    }

    @Override
    public String roleName() {
        return "uvs-cluster";
    }

    private synchronized void tick() {
        if (follower != null) {
            run("sync role", follower::tick);
        }
        if (guard == null && bgp == null && state == null) {
            return;
        }
        ServiceVips[] read = new ServiceVips[1];
        if (!run("services", () -> read[0] = services.read())) {
            return;
        }
        ServiceVips vips = read[0];
        if (guard != null) {
            run("VIP guard", () -> guard.apply(vips.all()));
        }
        if (bgp != null) {
            Set<IpAddress> announce = forwarding && !draining ? vips.available() : Set.of();
            run("BGP", () -> bgp.announce(announce));
        }
        if (state != null) {
            run("state file", () -> state.write(draining ? StateFile.State.DRAINING : StateFile.State.RUNNING));
        }
    }

    private interface Duty {
        void run() throws Exception;
    }

    // true when the duty did its work
    private boolean run(String name, Duty duty) {
        try {
            duty.run();
            if (lastError.remove(name) != null) {
                LOG.info("{}: working again", name);
            }
            return true;
        } catch (Exception | Error e) {
            failed(name, e);
            return false;
        }
    }

    private void failed(String name, Throwable e) {
        errors.incrementAndGet();
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        if (!Objects.equals(lastError.put(name, message), message)) {
            LOG.warn("{}: {} (retrying every {} ms)", name, message, TICK_MILLIS);
        }
        report.failed(name, e);
        if (e instanceof VirtualMachineError vme) {
            throw vme;
        }
    }

    /**
     * Gives the traffic up before uvsd stops: the state file says draining (keepalived's track script fails),
     * BIRD withdraws every VIP; then waits {@link ClusterSpec#drain} while the data plane keeps forwarding what
     * still arrives.
     */
    public void drain() throws InterruptedException {
        draining = true;
        tick();
        if (!spec.drain().isZero()) {
            LOG.info("draining: VIPs given up, forwarding for {} s more", spec.drain().toSeconds());
            Thread.sleep(spec.drain().toMillis());
        }
    }

    /** Stops the duties; the BGP device goes (BIRD withdraws what is left), the VIP guard stays. */
    @Override
    public void close() {
        stopped = true;
        Supervisor.stop(runner);
        if (bgp != null) {
            bgp.close();
        }
    }
}
