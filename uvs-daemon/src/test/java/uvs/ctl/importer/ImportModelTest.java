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
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
import uvs.ctl.health.CheckKind;
import uvs.ctl.health.CheckTiming;
import uvs.ctl.health.FailureAction;
import uvs.ctl.health.HealthCheckConfig;
import uvs.ctl.health.SorryServer;
import uvs.ctl.health.StatusCodes;
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
        assertThatThrownBy(() -> new CheckSpec(AT, svc, ip("10.0.0.2"), 80, 70_000, new CheckKind.Tcp(),
            timing(1, 1, 0, 1, 0), FailureAction.REMOVE, false, null, 0, null, null, null))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("weight 70000");
    }

    @Test
    void shouldShowSettingsAsWrittenAndWarnOnlyOfThoseNotHonoured() {
        CheckText t = new CheckText().add("z", "1");
        int from = t.mark();
        t.ignored("url.2.regex", "a b").add("empty", "");
        CheckText copy = t.copy().add("more", "x");
        t.replace(from, t.mark(), new CheckText().add("y", "2"));

        // values with blanks (or none) are quoted; a url's setting is named as keepalived writes it
        assertThat(copy.written()).isEqualTo(" z=1 url.2.regex=\"a b\" empty=\"\" more=x");
        assertThat(copy.ignored()).containsExactly("url regex a b");
        assertThat(t.written()).isEqualTo(" z=1 y=2");
    }

    private static CheckedServer server(String address, int line, CheckTiming t, int weight) {
        return new CheckedServer(new SourceLocation("a.conf", line), ServiceKey.of(IpProto.TCP, ip("10.0.0.1"), 80),
            ip(address), 80, weight, t, FailureAction.REMOVE, null);
    }

    @Test
    void shouldPrintAReportThatIsValidRestoreInput() throws IOException {
        ServiceKey svc = ServiceKey.of(IpProto.TCP, ip("10.0.0.1"), 80);
        CheckedServer web = new CheckedServer(AT, svc, ip("10.0.0.2"), 80, 3,
            CheckTiming.imported(Duration.ofSeconds(6), Duration.ofMillis(2500), 3, Duration.ofSeconds(2),
                Duration.ZERO), FailureAction.QUIESCE,
            new SorryServer(svc, ip("10.0.0.9"), 80, RealServerConfig.of(1, ForwardMethod.ROUTE), FailureAction.REMOVE));
        CheckKind.Http page = new CheckKind.Http(false, false, "/health", null, StatusCodes.SUCCESS, "Test Page", null);
        ReadCheck check = ReadCheck.of(web, "http", web.spec(page, false, null, 0, null, null),
            new CheckText().add("url.1.path", "/health").add("receive", "Test Page"), List.of(), List.of());
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
    void shouldPlanEachCheckOnceAndSayAtItsLineWhatDoesNotRunAsWritten() {
        CheckTiming t = CheckTiming.imported(Duration.ofSeconds(6), Duration.ofSeconds(2), 1, Duration.ofSeconds(1),
            Duration.ofSeconds(6));
        CheckedServer web = server("10.0.0.2", 3, t, 2);
        CheckSpec http = web.spec(new CheckKind.Http(false, false, "/health", null, StatusCodes.parse("200"), null,
            null), true, null, 8080, null, null);
        ReadCheck read = ReadCheck.of(web, "http", http, new CheckText().add("connect_port", "8080")
            .ignored("bind_if", "eth0"), List.of("before"), List.of("after"));
        CheckedServer sip = server("10.0.0.3", 9, t, 1);
        ReadCheck notRun = ReadCheck.notRun(sip, "negotiate", new CheckText().add("service", "sip"),
            "UVS does not run negotiate (service sip) checks");

        ImportResult r = new ImportResult("a.conf", DirectorConfig.EMPTY, List.of(read, notRun), List.of());

        assertThat(r.healthChecks()).containsExactly(http);
        assertThat(r.uncheckedServers()).isEqualTo(1);
        assertThat(r.checkLines()).containsExactly(
            "TCP 10.0.0.1:80 -> 10.0.0.2:80: http every 6s, timeout 2s, retries 1 every 1s, warmup up to 6s, weight 2, "
                + "on failure remove; connect_port=8080 bind_if=eth0",
            "TCP 10.0.0.1:80 -> 10.0.0.3:80: negotiate every 6s, timeout 2s, retries 1 every 1s, warmup up to 6s, "
                + "weight 1, on failure remove; service=sip");
        assertThat(r.diagnostics()).extracting(Diagnostic::toString).containsExactly(
            "a.conf:3: warning: before",
            "a.conf:3: warning: real server 10.0.0.2:80 of TCP 10.0.0.1:80: 'bind_if eth0' is not honoured by UVS's "
                + "HTTP check",
            "a.conf:3: warning: after",
            "a.conf:9: warning: real server 10.0.0.3:80 of TCP 10.0.0.1:80 is not checked: UVS does not run negotiate "
                + "(service sip) checks; it stays up unchecked");
    }

    @Test
    void shouldJoinTheCheckersOfOneServerKeepingHaSuspendAroundThemAll() {
        CheckTiming t = CheckTiming.imported(Duration.ofSeconds(6), Duration.ofSeconds(2), 1, Duration.ofSeconds(1),
            Duration.ofSeconds(6));
        CheckTiming slower = CheckTiming.imported(Duration.ofSeconds(9), Duration.ofSeconds(3), 1,
            Duration.ofSeconds(1), Duration.ofSeconds(9));
        CheckedServer first = server("10.0.0.2", 4, t, 1);
        CheckedServer second = server("10.0.0.2", 7, slower, 1);
        CheckKind.WhileLocal tcp = new CheckKind.WhileLocal(new CheckKind.Tcp(), ip("10.0.0.1"));
        CheckKind.WhileLocal ping = new CheckKind.WhileLocal(new CheckKind.Ping(1), ip("10.0.0.1"));

        ImportResult r = new ImportResult("a.conf", DirectorConfig.EMPTY, List.of(
            ReadCheck.of(first, "tcp", first.spec(tcp, false, null, 81, ip("10.0.0.9"), null), new CheckText(),
                List.of(), List.of()),
            ReadCheck.of(second, "ping", second.spec(ping, false, null, 0, null, null), new CheckText(), List.of(),
                List.of())), List.of());

        // one check: both checkers, each with its target and timeout, suspended together; the first's timing
        assertThat(r.healthChecks()).containsExactly(new CheckSpec(first.at(), first.service(), first.address(), 80,
            1, new CheckKind.WhileLocal(new CheckKind.AllOf(List.of(
                new CheckKind.Part(new CheckKind.Tcp(), null, 81, ip("10.0.0.9"), Duration.ofSeconds(2)),
                new CheckKind.Part(new CheckKind.Ping(1), null, 0, null, Duration.ofSeconds(3)))), ip("10.0.0.1")),
            t, FailureAction.REMOVE, false, null, 0, ip("10.0.0.9"), null, null));
        assertThat(r.checkLines()).hasSize(2);
        assertThat(r.diagnostics()).extracting(Diagnostic::toString).containsExactly(
            "a.conf:7: warning: real server 10.0.0.2:80 of TCP 10.0.0.1:80: this checker runs with the interval and "
                + "retries of the first one (a.conf:4)");
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
