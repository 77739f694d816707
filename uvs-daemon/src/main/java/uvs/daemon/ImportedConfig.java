package uvs.daemon;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import uvs.core.net.IpAddress;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceKey;
import uvs.ctl.importer.Diagnostic;
import uvs.ctl.importer.ImportFormat;
import uvs.ctl.importer.ImportResult;
import uvs.ctl.importer.Severity;
import uvs.ctl.model.CheckSpec;
import uvs.ctl.model.DirectorConfig;
import uvs.ctl.model.RealServerSpec;
import uvs.ctl.model.ServiceSpec;
import uvs.daemon.health.HealthCheckConfig;
import uvs.daemon.health.HealthConfig;
import uvs.daemon.health.ServiceQuorum;
import uvs.daemon.health.SorryServer;

/**
 * A keepalived.conf or ldirectord.cf read as uvsd's configuration: its rules (in ipvsadm-save form),
 * sync daemons, and its typed health checks ({@link CheckSpec}) as the health checker's configuration.
 * Everything that does not run as written (checks UVS does not run, whose servers stay up unchecked, and
 * settings it does not honour) is among the import's diagnostics, known as soon as the file is read.
 */
public final class ImportedConfig {
    private final ImportResult result;
    private final List<String> warnings = new ArrayList<>();
    // each real server of the rules with its configuration
    private final Map<Dest, RealServerConfig> dests = new HashMap<>();

    private ImportedConfig(ImportResult result) {
        this.result = result;
        for (ServiceSpec s : result.config().services()) {
            for (RealServerSpec r : s.realServers()) {
                dests.put(new Dest(s.key(), r.address(), r.port()), r.config());
            }
        }
        for (Diagnostic d : result.diagnostics()) {
            warnings.add(d.toString());
        }
    }

    /**
     * Reads and translates {@code file}.
     *
     * @throws IllegalArgumentException listing every error with file:line when the file is bad
     */
    public static ImportedConfig read(Path file) throws IOException {
        return of(ImportFormat.detect(file).importFile(file));
    }

    /**
     * The configuration of a translation.
     *
     * @throws IllegalArgumentException listing every error with file:line when the translation has errors
     */
    public static ImportedConfig of(ImportResult r) {
        List<String> errors = new ArrayList<>();
        for (Diagnostic d : r.diagnostics()) {
            if (d.severity() == Severity.ERROR) {
                errors.add(d.toString());
            }
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", errors));
        }
        return new ImportedConfig(r);
    }

    /** The translation itself. */
    public ImportResult result() {
        return result;
    }

    /** The services, real servers, timeouts and sync daemons of the file. */
    public DirectorConfig config() {
        return result.config();
    }

    /** The configuration in {@code -R} form. */
    public String rulesText() {
        return result.rulesText();
    }

    /**
     * The diagnostics of the translation (each {@code file:line: severity: message}), among them one line per
     * setting or check that does not run as written, naming each real server left unchecked.
     */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** The lines of {@link #warnings()} about what does not run as written (no info diagnostics). */
    public List<String> notAsWritten() {
        List<String> out = new ArrayList<>();
        for (Diagnostic d : result.diagnostics()) {
            if (d.severity() != Severity.INFO) {
                out.add(d.toString());
            }
        }
        return out;
    }

    /** Real servers whose check UVS does not run: they stay up unchecked. */
    public int uncheckedServers() {
        return result.uncheckedServers();
    }

    /**
     * The health checker's configuration; each real server's method, tunnel settings and thresholds come
     * from the translated rules (a server not in them, which never happens for a checked one, gets direct
     * routing). Pure: it reads no engine.
     */
    public HealthConfig healthConfig() {
        return healthConfig(new SplittableRandom());
    }

    /** {@link #healthConfig()} with the warm-ups drawn from {@code random}. */
    public HealthConfig healthConfig(RandomGenerator random) {
        List<HealthCheckConfig> out = new ArrayList<>();
        Map<ServiceKey, SorryServer> sorry = new LinkedHashMap<>();
        Map<ServiceKey, ServiceQuorum> quorums = new LinkedHashMap<>();
        for (CheckSpec c : result.healthChecks()) {
            out.add(c.config(realServerConfig(c), random));
            if (c.sorry() != null) {
                sorry.putIfAbsent(c.service(), c.sorry());
            }
            if (c.quorum() != null) {
                quorums.putIfAbsent(c.service(), c.quorum());
            }
        }
        return new HealthConfig(out, new ArrayList<>(sorry.values()), new ArrayList<>(quorums.values()));
    }

    private RealServerConfig realServerConfig(CheckSpec c) {
        RealServerConfig d = dests.get(new Dest(c.service(), c.address(), c.port()));
        return d == null ? RealServerConfig.of(c.weight(), ForwardMethod.ROUTE) : d.withWeight(c.weight());
    }

    private record Dest(ServiceKey service, IpAddress address, int port) {
    }
}
