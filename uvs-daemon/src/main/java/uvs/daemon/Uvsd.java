package uvs.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uvs.core.Engine;
import uvs.core.EngineConfig;
import uvs.core.tune.SysctlFile;
import uvs.ctl.cli.RestoreLine;
import uvs.time.ManualClock;
import uvs.time.NanoClock;

/**
 * The running daemon: one engine on its owner thread, the control socket, and the rules and tunables
 * files it was started with (reloaded on SIGHUP without dropping connections).
 */
public final class Uvsd implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Uvsd.class);

    private final Engine engine;
    private final EngineAgent agent;
    private final SyncDaemons daemons;
    private final ControlServer control;
    private final Path rules;
    private final Path sysctl;
    private final Thread engineThread;
    private final Thread controlThread;
    private final uvs.daemon.metrics.MetricsServer metrics;
    private final Thread procThread;

    /**
     * Starts: loads the tunables and rules (each all-or-nothing), then serves the control socket.
     *
     * @throws IllegalArgumentException with file:line when a file is bad (nothing started)
     */
    public Uvsd(NanoClock clock, EngineConfig config, Path rules, Path sysctl, Path socket, String allowUser)
            throws IOException {
        this(clock, config, rules, sysctl, socket, allowUser, null, -1, null);
    }

    /**
     * Starts with monitoring: Prometheus on {@code metricsHost:metricsPort} (port -1: off, 0: any free
     * port) and the procfs views in {@code procDir} (null: off).
     */
    public Uvsd(NanoClock clock, EngineConfig config, Path rules, Path sysctl, Path socket, String allowUser,
                String metricsHost, int metricsPort, Path procDir) throws IOException {
        this.engine = new Engine(clock, config);
        this.rules = rules;
        this.sysctl = sysctl;
        loadSysctl(engine);
        loadRules(engine);
        this.agent = new EngineAgent(engine);
        this.daemons = new SyncDaemons(engine);
        agent.addCycleWork(daemons::doWork);
        this.control = new ControlServer(socket, allowUser, new IpvsadmHandler(agent, daemons));
        this.engineThread = Thread.ofPlatform().name("uvs-engine").daemon().start(agent);
        this.controlThread = Thread.ofPlatform().name("uvs-control").daemon().start(control);
        this.metrics = metricsPort < 0 ? null
            : new uvs.daemon.metrics.MetricsServer(metricsHost == null ? uvs.daemon.metrics.MetricsServer.DEFAULT_HOST
                : metricsHost, metricsPort, new uvs.daemon.metrics.EngineMetrics(agent));
        if (procDir != null) {
            ProcfsWriter writer = new ProcfsWriter(agent, procDir);
            this.procThread = Thread.ofPlatform().name("uvs-procfs").daemon()
                .start(() -> writer.runEvery(1000, m -> LOG.warn("{}", m)));
        } else {
            this.procThread = null;
        }
        LOG.info("uvsd started: {} services, control socket {}", engine.services().size(), socket);
    }

    private void loadSysctl(Engine e) throws IOException {
        if (sysctl == null) {
            return;
        }
        SysctlFile f = SysctlFile.read(sysctl.toString(), Files.newBufferedReader(sysctl));
        for (String warning : e.applySysctl(f.entries())) {
            LOG.warn("{}", warning);
        }
    }

    private void loadRules(Engine e) throws IOException {
        if (rules == null) {
            return;
        }
        List<RestoreLine> lines = RulesReconciler.parse(Files.readString(rules));
        RulesReconciler.reconcile(e, new Engine(new ManualClock(), e.config()), lines);
    }

    /**
     * Re-reads both files and applies the differences on the engine thread; a bad file changes nothing
     * and is reported.
     */
    public void reload() {
        try {
            agent.call(e -> {
                try {
                    loadSysctl(e);
                    loadRules(e);
                } catch (IOException ex) {
                    throw new IllegalArgumentException(ex.getMessage(), ex);
                }
                return null;
            }, 30);
            LOG.info("reloaded {} and {}", rules, sysctl);
        } catch (Exception ex) {
            LOG.error("reload refused, nothing changed: {}", ex.getMessage());
        }
    }

    /** The engine agent (tests run work on the engine thread through it). */
    public EngineAgent agent() {
        return agent;
    }

    /** The control socket path. */
    public Path socket() {
        return control.path();
    }

    /** The Prometheus port, or -1 when metrics are off. */
    public int metricsPort() {
        return metrics == null ? -1 : metrics.port();
    }

    @Override
    public void close() throws IOException {
        if (metrics != null) {
            metrics.close();
        }
        if (procThread != null) {
            procThread.interrupt();
        }
        control.close();
        try {
            agent.call(e -> {
                daemons.stopAll();
                return null;
            }, 5);
        } catch (Exception e) {
            LOG.warn("sync daemons not stopped cleanly: {}", e.getMessage());
        }
        agent.stop();
        try {
            engineThread.join(2000);
            controlThread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("uvsd stopped");
    }
}
