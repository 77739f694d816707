package uvs.daemon;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import uvs.core.Engine;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServer;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceKey;
import uvs.core.svc.VirtualService;
import uvs.ctl.importer.Diagnostic;
import uvs.ctl.importer.ImportFormat;
import uvs.ctl.importer.ImportResult;
import uvs.ctl.importer.ImportedCheck;
import uvs.daemon.health.CheckKind;
import uvs.daemon.health.CheckTiming;
import uvs.daemon.health.FailureAction;
import uvs.daemon.health.HealthCheckConfig;
import uvs.daemon.health.HealthConfig;
import uvs.daemon.health.SorryServer;
import uvs.daemon.health.StatusCodes;

/**
 * A keepalived.conf or ldirectord.cf read as uvsd's configuration: its rules (in ipvsadm-save form),
 * sync daemons, and health checks turned into the health checker's configuration. Checks UVS cannot run
 * (SMTP, DNS, PING, …) are reported; their servers stay up unchecked.
 */
public final class ImportedConfig {
    private final ImportResult result;
    private final List<String> warnings = new ArrayList<>();

    private ImportedConfig(ImportResult result) {
        this.result = result;
    }

    /**
     * Reads and translates {@code file}.
     *
     * @throws IllegalArgumentException listing every error with file:line when the file is bad
     */
    public static ImportedConfig read(Path file) throws IOException {
        ImportResult r = ImportFormat.detect(file).importFile(file);
        List<String> errors = new ArrayList<>();
        for (Diagnostic d : r.diagnostics()) {
            if (d.severity() == uvs.ctl.importer.Severity.ERROR) {
                errors.add(d.toString());
            }
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", errors));
        }
        ImportedConfig c = new ImportedConfig(r);
        for (Diagnostic d : r.diagnostics()) {
            c.warnings.add(d.toString());
        }
        return c;
    }

    /** The translation itself. */
    public ImportResult result() {
        return result;
    }

    /** Rules text in {@code -R} form. */
    public String rulesText() {
        return String.join("\n", result.rules()) + "\n";
    }

    /** Diagnostics of the translation and of the mapping to health checks. */
    public List<String> warnings() {
        return warnings;
    }

    /**
     * The health checker's configuration; real-server settings come from {@code engine} (after the rules
     * were applied), falling back to the imported weight with direct routing for servers not in the rules.
     */
    public HealthConfig healthConfig(Engine engine) {
        List<HealthCheckConfig> checks = new ArrayList<>();
        Map<ServiceKey, SorryServer> sorry = new LinkedHashMap<>();
        for (ImportedCheck c : result.checks()) {
            RealServerConfig rs = realServerConfig(engine, c);
            CheckKind kind = kind(c);
            if (kind != null) {
                HealthCheckConfig h = HealthCheckConfig.of(c.service(), c.realAddress(), c.realPort(), rs, kind)
                    // the import counts retries after the first failure; the checker counts failures before down
                    .withTiming(new CheckTiming(positive(c.timing().interval()), positive(c.timing().timeout()),
                        c.timing().retries() + 1, c.timing().retryDelay(), c.timing().warmup()))
                    .withFailureAction(c.onFailure() == uvs.ctl.importer.FailureAction.REMOVE
                        ? FailureAction.REMOVE : FailureAction.QUIESCE);
                String port = c.fields().get("connect_port");
                if (port != null) {
                    h = h.withConnectTo(c.realAddress(), Integer.parseInt(port));
                }
                if ("yes".equals(c.fields().get("alpha"))) {
                    h = h.withStartDown(true);
                }
                checks.add(h);
            }
            if (c.sorry() != null && !sorry.containsKey(c.service())) {
                sorry.put(c.service(), new SorryServer(c.service(), c.sorry().address(), c.sorry().port(),
                    c.sorry().config()));
            }
        }
        return new HealthConfig(checks, new ArrayList<>(sorry.values()));
    }

    private static RealServerConfig realServerConfig(Engine engine, ImportedCheck c) {
        VirtualService s = engine.service(c.service());
        RealServer d = s == null ? null : s.findDest(c.realAddress(), c.realPort());
        if (d == null) {
            return RealServerConfig.of(Math.max(c.weight(), 0), ForwardMethod.ROUTE);
        }
        return new RealServerConfig(c.weight(), d.forward(), d.tunnelType(), d.tunnelPort(), d.tunnelChecksum(),
            d.upperThreshold(), d.lowerThreshold());
    }

    private CheckKind kind(ImportedCheck c) {
        Map<String, String> f = c.fields();
        return switch (c.kind()) {
            case TCP -> new CheckKind.Tcp();
            case HTTP, HTTPS -> new CheckKind.Http(c.kind() == uvs.ctl.importer.CheckKind.HTTPS, false,
                first(f, "url.1.path", "request", "/"), first(f, "url.1.virtualhost", "virtualhost", null),
                StatusCodes.parse(first(f, "url.1.status_code", null, "200-299").trim().replaceAll("\\s+", ",")),
                f.get("receive"), f.get("url.1.digest"));
            case UDP -> new CheckKind.Udp(f.getOrDefault("payload", "").getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "yes".equals(f.get("require_reply")), null);
            case EXTERNAL -> new CheckKind.External(Arrays.asList(
                first(f, "misc_path", "checkcommand", "/bin/false").trim().split("\\s+")), "yes".equals(f.get("misc_dynamic")));
            case ALWAYS_UP -> null;
            default -> {
                warnings.add(c.source() + ": " + c.kind() + " checks are not run by UVS; " + c.realAddress() + ":"
                    + c.realPort() + " stays up unchecked");
                yield null;
            }
        };
    }

    /** A zero interval or timeout (not a valid checker setting) becomes one second. */
    private static java.time.Duration positive(java.time.Duration d) {
        return d.isZero() ? java.time.Duration.ofSeconds(1) : d;
    }

    private static String first(Map<String, String> f, String a, String b, String fallback) {
        String v = f.get(a);
        if (v == null && b != null) {
            v = f.get(b);
        }
        return v == null ? fallback : v;
    }
}
