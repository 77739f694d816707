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
    private final ControlServer control;
    private final Path rules;
    private final Path sysctl;
    private final Thread engineThread;
    private final Thread controlThread;

    /**
     * Starts: loads the tunables and rules (each all-or-nothing), then serves the control socket.
     *
     * @throws IllegalArgumentException with file:line when a file is bad (nothing started)
     */
    public Uvsd(NanoClock clock, EngineConfig config, Path rules, Path sysctl, Path socket, String allowUser)
            throws IOException {
        this.engine = new Engine(clock, config);
        this.rules = rules;
        this.sysctl = sysctl;
        loadSysctl(engine);
        loadRules(engine);
        this.agent = new EngineAgent(engine);
        this.control = new ControlServer(socket, allowUser, new IpvsadmHandler(agent, IpvsadmHandler::none));
        this.engineThread = Thread.ofPlatform().name("uvs-engine").daemon().start(agent);
        this.controlThread = Thread.ofPlatform().name("uvs-control").daemon().start(control);
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

    @Override
    public void close() throws IOException {
        control.close();
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
