package uvs.ctl.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static uvs.ctl.importer.ImportFixture.ip;
import static uvs.ctl.importer.ImportFixture.timing;
import static uvs.ctl.importer.ImportFixture.write;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import uvs.core.net.Af;
import uvs.core.net.IpProto;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceKey;
import uvs.ctl.cli.IpvsadmParser;
import uvs.ctl.model.CheckSpec;
import uvs.ctl.model.DirectorConfig;
import uvs.ctl.model.RealServerSpec;
import uvs.ctl.model.ServiceSpec;
import uvs.daemon.health.CheckKind;
import uvs.daemon.health.CheckTiming;
import uvs.daemon.health.FailureAction;
import uvs.daemon.health.HealthCheckConfig;
import uvs.daemon.health.SorryServer;
import uvs.daemon.health.StatusCodes;
import uvs.sync.SyncDaemonConfig;

/** The result types: their checks, the report text, and format detection. */
class ImportModelTest {
    @TempDir
    Path dir;

    private static final SourceLocation AT = new SourceLocation("a.conf", 3);

    @Test
    void shouldRefuseOutputTogetherWithErrors() {
        List<Diagnostic> error = List.of(new Diagnostic(AT, Severity.ERROR, "bad"));

        assertThatThrownBy(() -> new ImportResult("a.conf", new DirectorConfig(List.of(), null, true, List.of()), List.of(), error))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("errors must have no output");
        assertThat(ImportResult.failed("a.conf", error).hasErrors()).isTrue();
    }

    @Test
    void shouldRefuseValuesOutOfRange() {
        assertThatThrownBy(() -> new SourceLocation("a.conf", 0)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("line number must be at least 1, got 0");
        assertThatThrownBy(() -> new Diagnostic(AT, Severity.INFO, "")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("message must not be empty");
        assertThatThrownBy(() -> CheckTiming.imported(Duration.ofSeconds(1), Duration.ofSeconds(1), -1,
            Duration.ZERO,
            Duration.ZERO)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retries");
        ServiceKey svc = ServiceKey.of(IpProto.TCP, ip("10.0.0.1"), 80);
        assertThatThrownBy(() -> new SorryServer(svc, ip("10.0.0.1"), 70_000, RealServerConfig.defaults(),
            FailureAction.REMOVE)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port 70000");
        assertThatThrownBy(() -> new ImportedCheck(AT, svc, ip("10.0.0.2"), 80, ImportedCheckKind.TCP, Map.of(),
            timing(1, 1, 0, 1, 0), FailureAction.REMOVE, 70_000, null))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("weight 70000");
    }

    @Test
    void shouldKeepCheckFieldsInTheirOrderAndUnmodifiable() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("z", "1");
        fields.put("a", "2");
        ImportedCheck c = new ImportedCheck(AT, ServiceKey.fwmark(1, Af.INET), ip("10.0.0.2"), 0,
            ImportedCheckKind.TCP, fields, timing(1, 1, 0, 1, 0), FailureAction.REMOVE, 1, null);
        fields.put("b", "3");

        assertThat(c.fields().keySet()).containsExactly("z", "a");
        assertThatThrownBy(() -> c.fields().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void shouldPrintAReportThatIsValidRestoreInput() throws IOException {
        ServiceKey svc = ServiceKey.of(IpProto.TCP, ip("10.0.0.1"), 80);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("url.1.path", "/health");
        fields.put("receive", "Test Page");
        ImportedCheck check = new ImportedCheck(AT, svc, ip("10.0.0.2"), 80, ImportedCheckKind.HTTP, fields,
            CheckTiming.imported(Duration.ofSeconds(6), Duration.ofMillis(2500), 3, Duration.ofSeconds(2),
                Duration.ZERO), FailureAction.QUIESCE, 3,
            new SorryServer(svc, ip("10.0.0.9"), 80, RealServerConfig.of(1, ForwardMethod.ROUTE), FailureAction.REMOVE));
        ImportResult r = new ImportResult("a.conf", DirectorConfig.of(List.of(new ServiceSpec(svc, ServiceConfig.of("rr"),
            List.of(new RealServerSpec(ip("10.0.0.2"), 80, RealServerConfig.of(3, ForwardMethod.ROUTE), AT)), AT)))
            .withSyncDaemons(List.of(SyncDaemonConfig.master())),
            List.of(check), List.of(new Diagnostic(AT, Severity.WARNING, "something")));

        String text = ImportReport.format(r);

        assertThat(text).isEqualTo("""
            # imported from a.conf
            -A -t 10.0.0.1:80 -s rr
            -a -t 10.0.0.1:80 -r 10.0.0.2:80 -g -w 3
            # master sync daemon (mcast=eth0, syncid=0, maxlen=1472, group=224.0.0.81, port=8848, ttl=1)
            # check TCP 10.0.0.1:80 -> 10.0.0.2:80: http every 6s, timeout 2.5s, retries 3 every 2s, warmup up to 0s, \
            weight 3, on failure quiesce, sorry 10.0.0.9:80 -g -w 1 (remove when not needed); url.1.path=/health \
            receive="Test Page"
            # a.conf:3: warning: something
            """);
        assertThat(IpvsadmParser.parseRestore(new StringReader(text))).hasSize(2);
    }

    @Test
    void shouldTypeEachCheckOnceAndSayAtItsLineWhatDoesNotRunAsWritten() {
        ServiceKey svc = ServiceKey.of(IpProto.TCP, ip("10.0.0.1"), 80);
        CheckTiming t = CheckTiming.imported(Duration.ofSeconds(6), Duration.ofSeconds(2), 1, Duration.ofSeconds(1),
            Duration.ofSeconds(6));
        Map<String, String> http = new LinkedHashMap<>();
        http.put("url.1.path", "/health");
        http.put("url.1.status_code", "200");
        http.put("connect_port", "8080");
        http.put("alpha", "yes");
        http.put("bind_if", "eth0");
        ImportedCheck web = new ImportedCheck(AT, svc, ip("10.0.0.2"), 80, ImportedCheckKind.HTTP, http, t,
            FailureAction.REMOVE, 2, null);
        ImportedCheck sip = new ImportedCheck(new SourceLocation("a.conf", 9), svc, ip("10.0.0.3"), 80,
            ImportedCheckKind.NEGOTIATE, Map.of("service", "sip"), t, FailureAction.REMOVE, 1, null);

        ImportResult r = new ImportResult("a.conf", DirectorConfig.EMPTY, List.of(web, sip), List.of());

        assertThat(r.healthChecks()).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(new CheckKind.Http(false, false, "/health", null, StatusCodes.parse("200"),
                null, null));
            assertThat(c.connectPort()).isEqualTo(8080);
            assertThat(c.startDown()).isTrue();
            assertThat(c.weight()).isEqualTo(2);
            assertThat(c.at()).isEqualTo(AT);
        });
        assertThat(r.uncheckedServers()).isEqualTo(1);
        assertThat(r.diagnostics()).extracting(Diagnostic::toString).containsExactly(
            "a.conf:3: warning: real server 10.0.0.2:80 of TCP 10.0.0.1:80: 'bind_if eth0' is not honoured by UVS's "
                + "HTTP check",
            "a.conf:9: warning: real server 10.0.0.3:80 of TCP 10.0.0.1:80 is not checked: UVS does not run negotiate "
                + "(service sip) checks; it stays up unchecked");
    }

    @Test
    void shouldDrawEachStartsWarmupBelowTheConfiguredOneAtTheChecksWeight() {
        ServiceKey svc = ServiceKey.of(IpProto.TCP, ip("10.0.0.1"), 80);
        CheckTiming t = CheckTiming.imported(Duration.ofSeconds(6), Duration.ofSeconds(2), 1, Duration.ofSeconds(1),
            Duration.ofSeconds(6));
        CheckSpec spec = new CheckSpec(AT, svc, ip("10.0.0.2"), 80, 4, new CheckKind.Tcp(), t, FailureAction.QUIESCE,
            false, null, 0, null, null, null);
        SplittableRandom random = new SplittableRandom(16);
        for (int i = 0; i < 100; i++) {
            HealthCheckConfig h = spec.config(RealServerConfig.of(9, ForwardMethod.MASQ), random);
            assertThat(h.timing().warmup()).isBetween(Duration.ZERO, Duration.ofSeconds(6));
            assertThat(h.realServer()).isEqualTo(RealServerConfig.of(4, ForwardMethod.MASQ));
        }
    }

    @Test
    void shouldSayWhyAFailedImportHasNoRules() {
        ImportResult r = ImportResult.failed("b.cf", List.of(new Diagnostic(AT, Severity.ERROR, "bad port")));

        assertThat(ImportReport.format(r)).isEqualTo("# imported from b.cf\n# not imported: 1 error(s)\n"
            + "# a.conf:3: error: bad port\n");
    }

    @Test
    void shouldDetectTheFormatByNameThenByContent() throws IOException {
        assertThat(ImportFormat.detect(write(dir, "lb.cf", ""))).isEqualTo(ImportFormat.LDIRECTORD);
        assertThat(ImportFormat.detect(write(dir, "ldirectord-web", ""))).isEqualTo(ImportFormat.LDIRECTORD);
        assertThat(ImportFormat.detect(write(dir, "lb.conf", "virtual=1\n"))).isEqualTo(ImportFormat.KEEPALIVED);
        // no hint in the name: a virtual= line in the first column means ldirectord
        assertThat(ImportFormat.detect(write(dir, "lb", "# x\nvirtual = 10.0.0.1:80\n")))
            .isEqualTo(ImportFormat.LDIRECTORD);
        assertThat(ImportFormat.detect(write(dir, "lb2", "virtual_server 10.0.0.1 80 {\n}\n")))
            .isEqualTo(ImportFormat.KEEPALIVED);
        assertThat(ImportFormat.LDIRECTORD.importFile(write(dir, "x", "virtual=10.0.0.1:80\n\treal=10.0.0.2:80 gate\n"))
            .rules()).containsExactly("-A -t 10.0.0.1:80 -s wrr", "-a -t 10.0.0.1:80 -r 10.0.0.2:80 -g -w 1");
    }
}
