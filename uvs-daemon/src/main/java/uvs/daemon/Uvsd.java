package uvs.daemon;

import io.prometheus.metrics.model.registry.MultiCollector;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.TimeoutException;
import org.agrona.concurrent.AgentRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uvs.core.Engine;
import uvs.ctl.cli.DaemonOptions;
import uvs.ctl.cli.DaemonState;
import uvs.ctl.importer.SyncFollow;
import uvs.ctl.model.Change;
import uvs.ctl.model.DirectorConfig;
import uvs.ctl.model.EngineModel;
import uvs.ctl.view.DaemonView;
import uvs.daemon.cluster.ClusterAgent;
import uvs.daemon.cluster.ClusterSpec;
import uvs.daemon.cluster.ServiceVips;
import uvs.daemon.health.HealthChecker;
import uvs.ctl.health.HealthConfig;
import uvs.daemon.metrics.EngineMetrics;
import uvs.daemon.metrics.MetricsServer;
import uvs.sync.SyncDaemonConfig;

/**
 * The running daemon: its engine shards, each on its owner thread (one per data-plane worker), the control socket, the configuration it was
 * started with (rules and tunables files, or a keepalived/ldirectord file with its health checks and
 * sync daemons; reloaded on SIGHUP without dropping connections), and monitoring.
 */
public final class Uvsd implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Uvsd.class);

    private static final int TIMEOUT_SECONDS = 30;

    private final UvsdConfig config;
    private final Supervisor supervisor;
    private final EngineGroup engines;
    private final SyncDaemonGroup daemons;
    private final ControlServer control;
    private final DataPlane dataPlane;
    private final List<AgentRunner> engineRunners = new ArrayList<>();
    private final AgentRunner controlRunner;
    private final MetricsServer metrics;
    private final AgentRunner procRunner;
    private volatile HealthChecker health;
    // the imported configuration in force (replaced by a reload)
    private volatile ImportedConfig imported;
    // real servers of the imported file left unchecked, for monitoring
    private volatile int uncheckedServers;
    private ClusterAgent cluster;
    private final ReloadCounters reloads = new ReloadCounters();

    /** Starts uvsd; a fatal failure of any of its threads ends the process (exit {@value Supervisor#EXIT_FAILED}). */
    public Uvsd(UvsdConfig config) throws IOException {
        this(config, Supervisor.exitingProcess());
    }

    /**
     * Starts: reads and checks the tunables and the rules (each all or nothing), takes the control socket
     * (one uvsd per socket), then serves it. Every thread runs under {@code supervisor}.
     *
     * @throws IllegalArgumentException with file:line when a file is bad, or when another uvsd serves the
     *     socket (nothing started)
     */
    public Uvsd(UvsdConfig config, Supervisor supervisor) throws IOException {
        this.config = config;
        this.supervisor = supervisor;
        int shards = config.dataPlane() == null ? 1 : config.dataPlane().workers();
        DaemonFiles files = DaemonFiles.load(config);
        List<EngineAgent> agents = new ArrayList<>();
        for (int i = 0; i < shards; i++) {
            Engine engine = new Engine(config.clock(), config.engine());
            for (String warning : files.applyTo(engine)) {
                LOG.warn("{}", warning);
            }
            agents.add(new EngineAgent(engine, engineName(shards, i)));
        }
        ImportedConfig imported = files.imported();
        this.imported = imported;
        this.engines = new EngineGroup(agents);
        ProcfsWriter procfs = config.procDir() == null ? null
            : new ProcfsWriter(engines, config.procDir(), config.procGroup());
        // the socket before any thread: a second uvsd must change nothing
        this.control = new ControlServer(config.socket(), new ControlAccess(config.allowUser(), config.allowGroup()),
            null, supervisor);
        this.daemons = new SyncDaemonGroup(engines, supervisor);
        for (int i = 0; i < shards; i++) {
            EngineAgent a = engines.agent(i);
            engineRunners.add(supervisor.run(a, a.idleStrategy(), AgentPolicy.CONTINUE));
        }
        DataPlane dp = null;
        MetricsServer ms = null;
        try {
            dp = config.dataPlane() == null ? null
                : DataPlane.start(config.dataPlane(), engines, daemons, config.clock(), supervisor);
            control.handler(new IpvsadmHandler(engines, daemons, dp));
            ms = config.metricsPort() < 0 ? null
                : new MetricsServer(config.metricsHost(), config.metricsPort(), collectors(dp));
        } catch (IOException | RuntimeException e) {
            // nothing half-started stays behind, and the socket and its lock are given back
            engines.stop();
            if (dp != null) {
                dp.close();
            }
            control.close();
            throw e;
        }
        this.dataPlane = dp;
        this.metrics = ms;
        this.controlRunner = supervisor.run(control, ControlServer.idleStrategy(), AgentPolicy.RESTART);
        // stale procfs files are not worth stopping the director for: the counter shows the fault
        this.procRunner = procfs == null ? null
            : supervisor.run(procfs, ProcfsWriter.idleStrategy(), AgentPolicy.CONTINUE);
        if (imported != null) {
            startImported(imported, files.desired());
        }
        LOG.info("uvsd started: {} engine shard(s), control socket {}", shards, config.socket());
    }

    private static String engineName(int shards, int i) {
        return shards == 1 ? "uvs-engine" : "uvs-engine-" + i;
    }

    private MultiCollector[] collectors(DataPlane dp) {
        List<MultiCollector> c = new ArrayList<>(
            List.of(new EngineMetrics(engines), new DaemonMetrics(daemons, () -> health, supervisor,
                () -> uncheckedServers, reloads)));
        if (dp != null) {
            c.add(new DataPlaneMetrics(dp));
        }
        return c.toArray(MultiCollector[]::new);
    }

    /** Replaces the running health checks by those of {@code hc}, supervised. */
    private void startHealth(HealthConfig hc) {
        HealthChecker h = new HealthChecker(hc, engines, config.clock());
        if (health != null) {
            health.close();
            // a reload keeps what the checks found
            h.inheritStates(health);
        }
        h.errorHandler(supervisor.errorHandlerFor("uvs-health"));
        h.start();
        health = h;
    }

    /** Every diagnostic of the import and everything in it that does not run as written, on every start and reload. */
    private void logImport(ImportedConfig imported) {
        for (String w : imported.warnings()) {
            if (w.contains(": info: ")) {
                LOG.info("import: {}", w);
            } else {
                LOG.warn("import: {}", w);
            }
        }
        uncheckedServers = imported.uncheckedServers();
        if (uncheckedServers > 0) {
            LOG.warn("import: {} real server(s) left unchecked: UVS does not run their checks",
                uncheckedServers);
        }
    }

    /** Health checks and sync daemons of an imported keepalived/ldirectord configuration. */
    private void startImported(ImportedConfig imported, DirectorConfig desired) {
        logImport(imported);
        try {
            HealthConfig hc = desired.healthConfig(new SplittableRandom());
            startHealth(hc);
            LOG.info("health checks: {} real servers, {} sorry servers", hc.checks().size(), hc.sorryServers().size());
        } catch (Exception ex) {
            // uvsd keeps serving the imported services unchecked: the failure is logged with its stack and counted
            supervisor.onError("uvs-health (not started)", ex);
        }
        if (imported.result().syncFollow() != null) {
            return; // the cluster agent runs the role the VRRP instance's state asks for
        }
        for (SyncDaemonConfig s : imported.result().syncDaemons()) {
            try {
                daemons.start(stateOf(s), optionsOf(s), SyncExtensions.NONE);
                LOG.info("started {}", s.describe());
            } catch (Exception ex) {
                LOG.error("sync daemon {} not started: {}", s.describe(), ex.getMessage());
            }
        }
    }

    private static DaemonState stateOf(SyncDaemonConfig s) {
        return s.state() == SyncDaemonConfig.State.MASTER ? DaemonState.MASTER : DaemonState.BACKUP;
    }

    private static DaemonOptions optionsOf(SyncDaemonConfig s) {
        return new DaemonOptions(s.mcastInterface(), s.syncid(), s.maxlen(), s.group(), s.port(), s.ttl());
    }

    /**
     * Starts uvsd's cluster duties ({@link ClusterAgent}): those {@code spec} asks for, and the sync role of an
     * imported {@code lvs_sync_daemon} tied to a VRRP instance. Nothing starts when neither is asked.
     */
    public synchronized void startCluster(ClusterSpec spec) {
        SyncFollow follow = imported == null ? null : imported.result().syncFollow();
        if (spec.isEmpty() && follow == null) {
            return;
        }
        cluster = new ClusterAgent(spec, () -> engines.primary().call(e -> ServiceVips.of(e.services()), 5),
            dataPlane != null, follow, this::becomeSyncRole, (duty, e) -> supervisor.onError("uvs-cluster " + duty, e),
            (agent, idle) -> supervisor.run(agent, idle, AgentPolicy.CONTINUE));
    }

    // the imported sync daemon in the role of the VRRP instance's state; the other role stopped
    private void becomeSyncRole(boolean master) throws Exception {
        DaemonState want = master ? DaemonState.MASTER : DaemonState.BACKUP;
        List<Integer> running = daemons.views().stream().map(DaemonView::state).toList();
        if (running.contains(master ? DaemonView.BACKUP : DaemonView.MASTER)) {
            daemons.stop(master ? DaemonState.BACKUP : DaemonState.MASTER);
        }
        if (!running.contains(master ? DaemonView.MASTER : DaemonView.BACKUP)) {
            for (SyncDaemonConfig s : imported.result().syncDaemons()) {
                if (stateOf(s) == want) {
                    daemons.start(want, optionsOf(s), SyncExtensions.NONE);
                    LOG.info("started {}", s.describe());
                }
            }
        }
    }

    /**
     * Before stopping: gives the VIPs up (BIRD withdraws them, keepalived's track script fails) and keeps
     * forwarding for the cluster's grace period. Returns at once without cluster duties.
     */
    public void drain() throws InterruptedException {
        ClusterAgent c;
        synchronized (this) {
            c = cluster;
        }
        if (c != null) {
            c.drain();
        }
    }

    /**
     * Re-reads the configuration files, checks them completely off the engine thread, and applies the
     * differences on the engine thread: tunables and rules together or not at all. A bad file changes
     * nothing and is reported. Health checks are restarted from an imported file, and its sync daemons
     * restarted when its sync settings changed ({@link #reloadSync}); otherwise running sync daemons are left
     * alone.
     *
     * @return true if the configuration was applied
     */
    public synchronized boolean reload() {
        try {
            // read, check and diff here, on the reload thread; the shards get only the ordered changes
            DaemonFiles files = DaemonFiles.load(config);
            List<Change> changes = files.changes(engines.primary().call(EngineModel::of, TIMEOUT_SECONDS));
            List<String> warnings = files.applyTo(engines, changes, TIMEOUT_SECONDS);
            warnings.forEach(w -> LOG.warn("{}", w));
            for (String s : StartSettings.needingRestart(config.dataPlane(), files.desired().dataPlane())) {
                LOG.warn("reload: {} needs a restart of uvsd; everything else is applied", s);
            }
            ImportedConfig imported = files.imported();
            if (imported != null) {
                logImport(imported);
                HealthConfig hc = files.desired().healthConfig(new SplittableRandom());
                startHealth(hc);
                reloadSync(this.imported, imported);
            } else if (health != null) {
                health.reapply();
            }
            LOG.info("configuration reloaded{}: {} change(s)", files.services() < 0 ? ""
                : ": " + files.services() + " services, " + files.realServers() + " real servers", changes.size());
            reloads.applied();
            return true;
        } catch (TimeoutException ex) {
            // the batch queued still applies when the engine gets to it; the next reload finishes the rest
            LOG.error("reload not finished: an engine did not answer within {} s; its queued changes apply when it "
                + "does, and the next reload brings it the rest", TIMEOUT_SECONDS);
            reloads.failed();
            return false;
        } catch (IllegalArgumentException | IOException ex) {
            // a bad or unreadable file: every problem with file:line, nothing changed
            LOG.error("reload refused, nothing changed: {}", Messages.of(ex).replace('\n', ' '));
            reloads.refused();
            return false;
        } catch (Exception ex) {
            // a fault of uvsd itself: logged once with its stack and counted; the old configuration runs on
            supervisor.onError("uvs-reload", ex);
            reloads.failed();
            return false;
        }
    }

    /** How reloads ended so far (for monitoring and tests). */
    ReloadCounters reloadCounters() {
        return reloads;
    }

    /** The supervisor of uvsd's threads. */
    public Supervisor supervisor() {
        return supervisor;
    }

    /** Shard 0's engine agent (tests run work on the engine thread through it). */
    public EngineAgent agent() {
        return engines.primary();
    }

    /**
     * After a reload of an imported file: when its sync daemons (interface, syncid, group, port, ...)
     * changed, the running ones stop and the new ones start, in the role the VRRP instance gives when the
     * sync daemon follows one. A change of the VRRP instance it follows needs a restart of uvsd, which the
     * log says.
     */
    private void reloadSync(ImportedConfig before, ImportedConfig now) throws Exception {
        List<SyncDaemonConfig> was = before.result().syncDaemons();
        List<SyncDaemonConfig> is = now.result().syncDaemons();
        SyncFollow followed = before.result().syncFollow();
        if (!Objects.equals(followed, now.result().syncFollow())) {
            LOG.warn("sync daemons: the VRRP instance they follow changed; restart uvsd to apply it (running sync "
                + "daemons left as they are)");
            return;
        }
        imported = now;
        if (was.equals(is)) {
            return;
        }
        List<Integer> running = daemons.views().stream().map(DaemonView::state).toList();
        for (int state : running) {
            daemons.stop(state == DaemonView.MASTER ? DaemonState.MASTER : DaemonState.BACKUP);
        }
        LOG.info("sync daemons: settings changed, {} stopped", running.size());
        if (followed == null) {
            for (SyncDaemonConfig s : is) {
                try {
                    daemons.start(stateOf(s), optionsOf(s), SyncExtensions.NONE);
                    LOG.info("started {}", s.describe());
                } catch (Exception ex) {
                    LOG.error("sync daemon {} not started: {}", s.describe(), ex.getMessage());
                }
            }
        } else if (!running.isEmpty()) {
            // the role the VRRP instance gave is the one that was running
            becomeSyncRole(running.contains(DaemonView.MASTER));
        }
    }

    /** The health checker of an imported configuration, or null. */
    public HealthChecker health() {
        return health;
    }

    /** The control socket path. */
    public Path socket() {
        return control.path();
    }

    /** The data plane, or null when uvsd runs without {@code --interface}. */
    public DataPlane dataPlane() {
        return dataPlane;
    }

    /** The Prometheus port, or -1 when metrics are off. */
    public int metricsPort() {
        return metrics == null ? -1 : metrics.port();
    }

    @Override
    public void close() throws IOException {
        synchronized (this) {
            if (cluster != null) {
                cluster.close();
            }
        }
        if (health != null) {
            health.shutdown();
        }
        if (metrics != null) {
            metrics.close();
        }
        if (procRunner != null) {
            Supervisor.stop(procRunner);
        }
        control.close();
        Supervisor.stop(controlRunner);
        daemons.stopAll();
        engines.stop();
        engineRunners.forEach(Supervisor::stop);
        if (dataPlane != null) {
            dataPlane.close();
        }
        LOG.info("uvsd stopped");
    }
}
