package uvs.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uvs.core.Engine;
import uvs.core.tune.SysctlFile;
import uvs.ctl.cli.DaemonOptions;
import uvs.ctl.cli.DaemonState;
import uvs.ctl.cli.RestoreLine;
import uvs.ctl.importer.SyncFollow;
import uvs.ctl.view.DaemonView;
import uvs.daemon.cluster.ClusterAgent;
import uvs.daemon.cluster.ClusterSpec;
import uvs.daemon.cluster.ServiceVips;
import uvs.daemon.health.HealthChecker;
import uvs.daemon.health.HealthConfig;
import uvs.daemon.metrics.EngineMetrics;
import uvs.daemon.metrics.MetricsServer;
import uvs.sync.SyncDaemonConfig;
import uvs.time.ManualClock;

/**
 * The running daemon: its engine shards, each on its owner thread (one per data-plane worker), the control socket, the configuration it was
 * started with (rules and tunables files, or a keepalived/ldirectord file with its health checks and
 * sync daemons; reloaded on SIGHUP without dropping connections), and monitoring.
 */
public final class Uvsd implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Uvsd.class);

    private final UvsdConfig config;
    private final EngineGroup engines;
    private final SyncDaemonGroup daemons;
    private final ControlServer control;
    private final DataPlane dataPlane;
    private final List<Thread> engineThreads = new java.util.ArrayList<>();
    private final Thread controlThread;
    private final MetricsServer metrics;
    private final Thread procThread;
    private volatile HealthChecker health;
    private final ImportedConfig imported;
    private ClusterAgent cluster;

    /**
     * Starts: loads the tunables and the rules (each all or nothing), then serves the control socket.
     *
     * @throws IllegalArgumentException with file:line when a file is bad (nothing started)
     */
    public Uvsd(UvsdConfig config) throws IOException {
        this.config = config;
        int shards = config.dataPlane() == null ? 1 : config.dataPlane().workers();
        List<EngineAgent> agents = new java.util.ArrayList<>();
        ImportedConfig imported = null;
        for (int i = 0; i < shards; i++) {
            Engine engine = new Engine(config.clock(), config.engine());
            loadSysctl(engine);
            imported = loadRules(engine);
            agents.add(new EngineAgent(engine));
        }
        this.imported = imported;
        this.engines = new EngineGroup(agents);
        this.daemons = new SyncDaemonGroup(engines);
        for (int i = 0; i < shards; i++) {
            engineThreads.add(Thread.ofPlatform().name(shards == 1 ? "uvs-engine" : "uvs-engine-" + i).daemon()
                .start(engines.agent(i)));
        }
        try {
            this.dataPlane = config.dataPlane() == null ? null
                : DataPlane.start(config.dataPlane(), engines, daemons, config.clock());
        } catch (RuntimeException e) {
            engines.stop();
            throw e;
        }
        this.control = new ControlServer(config.socket(), config.allowUser(),
            new IpvsadmHandler(engines, daemons, dataPlane));
        this.controlThread = Thread.ofPlatform().name("uvs-control").daemon().start(control);
        this.metrics = config.metricsPort() < 0 ? null
            : new MetricsServer(config.metricsHost(), config.metricsPort(), collectors());
        if (config.procDir() != null) {
            ProcfsWriter writer = new ProcfsWriter(engines, config.procDir());
            this.procThread = Thread.ofPlatform().name("uvs-procfs").daemon()
                .start(() -> writer.runEvery(1000, m -> LOG.warn("{}", m)));
        } else {
            this.procThread = null;
        }
        if (imported != null) {
            startImported(imported);
        }
        LOG.info("uvsd started: {} engine shard(s), control socket {}", shards, config.socket());
    }

    private io.prometheus.metrics.model.registry.MultiCollector[] collectors() {
        List<io.prometheus.metrics.model.registry.MultiCollector> c = new java.util.ArrayList<>(
            List.of(new EngineMetrics(engines), new DaemonMetrics(daemons, () -> health)));
        if (dataPlane != null) {
            c.add(new DataPlaneMetrics(dataPlane));
        }
        return c.toArray(io.prometheus.metrics.model.registry.MultiCollector[]::new);
    }

    private void loadSysctl(Engine e) throws IOException {
        if (config.sysctl() == null) {
            return;
        }
        SysctlFile f = SysctlFile.read(config.sysctl().toString(), Files.newBufferedReader(config.sysctl()));
        for (String warning : e.applySysctl(f.entries())) {
            LOG.warn("{}", warning);
        }
    }

    /** Applies the rules (from the rules file or the imported file); returns the import, if any. */
    private ImportedConfig loadRules(Engine e) throws IOException {
        String text;
        ImportedConfig imported = null;
        if (config.importFile() != null) {
            imported = ImportedConfig.read(config.importFile());
            imported.warnings().forEach(w -> LOG.warn("{}", w));
            text = imported.rulesText();
        } else if (config.rules() != null) {
            text = Files.readString(config.rules());
        } else {
            return null;
        }
        String source = config.importFile() != null ? config.importFile() + " (translated rules)" : config.rules().toString();
        try {
            List<RestoreLine> lines = RulesReconciler.parse(text);
            RulesReconciler.reconcile(e, new Engine(new ManualClock(), e.config()), lines);
        } catch (uvs.ctl.cli.IpvsadmException ex) {
            throw new IllegalArgumentException(source + ":" + ex.line() + ": " + ex.ipvsadmMessage().strip(), ex);
        }
        return imported;
    }

    /** Health checks and sync daemons of an imported keepalived/ldirectord configuration. */
    private void startImported(ImportedConfig imported) {
        try {
            HealthConfig hc = engines.primary().call(imported::healthConfig, 30);
            if (health != null) {
                health.close();
            }
            health = new HealthChecker(hc, engines, config.clock());
            health.start();
            LOG.info("health checks: {} real servers, {} sorry servers", hc.checks().size(), hc.sorryServers().size());
        } catch (Exception ex) {
            LOG.error("health checks not started: {}", ex.getMessage());
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
            dataPlane != null, follow, this::becomeSyncRole);
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
     * Re-reads the configuration files and applies the differences on the engine thread; a bad file
     * changes nothing and is reported. Health checks are restarted from an imported file; running sync
     * daemons are left alone.
     */
    public void reload() {
        try {
            ImportedConfig imported = engines.call(e -> {
                try {
                    loadSysctl(e);
                    return loadRules(e);
                } catch (IOException ex) {
                    throw new IllegalArgumentException(ex.getMessage(), ex);
                }
            }, 30);
            if (imported != null) {
                HealthConfig hc = engines.primary().call(imported::healthConfig, 30);
                if (health != null) {
                    health.close();
                }
                health = new HealthChecker(hc, engines, config.clock());
                health.start();
            } else if (health != null) {
                health.reapply();
            }
            LOG.info("configuration reloaded");
        } catch (Exception ex) {
            LOG.error("reload refused, nothing changed: {}", ex.getMessage());
        }
    }

    /** Shard 0's engine agent (tests run work on the engine thread through it). */
    public EngineAgent agent() {
        return engines.primary();
    }

    /** The health checker of an imported configuration, or null. */
    public HealthChecker health() {
        return health;
    }

    /** The control socket path. */
    public java.nio.file.Path socket() {
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
            health.close();
        }
        if (metrics != null) {
            metrics.close();
        }
        if (procThread != null) {
            procThread.interrupt();
        }
        control.close();
        daemons.stopAll();
        engines.stop();
        try {
            for (Thread t : engineThreads) {
                t.join(2000);
            }
            controlThread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (dataPlane != null) {
            dataPlane.close();
        }
        LOG.info("uvsd stopped");
    }
}
