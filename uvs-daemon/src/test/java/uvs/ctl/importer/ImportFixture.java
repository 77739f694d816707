package uvs.ctl.importer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import uvs.core.net.IpAddress;
import uvs.ctl.cli.IpvsadmParser;
import uvs.ctl.cli.RestoreLine;
import uvs.core.svc.ServiceKey;
import uvs.ctl.model.CheckSpec;
import uvs.ctl.health.CheckKind;
import uvs.ctl.health.CheckTiming;
import uvs.ctl.health.FailureAction;

/** Helpers shared by the importer tests: sample files, temporary files and the ipvsadm round trip. */
final class ImportFixture {
    private ImportFixture() {
    }

    /** A sample file under src/test/resources/uvs/ctl/importer. */
    static Path resource(String name) {
        try {
            return Path.of(ImportFixture.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@code text} to {@code dir/name} (creating directories). */
    static Path write(Path dir, String name, String text) {
        try {
            Path p = dir.resolve(name);
            Files.createDirectories(p.getParent());
            Files.writeString(p, text, StandardCharsets.UTF_8);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The rules parsed as ipvsadm {@code -R} input; fails the test if ipvsadm would refuse any line. */
    static List<RestoreLine> parsedRules(ImportResult r) {
        try {
            List<RestoreLine> lines = IpvsadmParser.parseRestore(new StringReader(r.rulesText()));
            assertThat(lines).as("every rule is one -R command").hasSize(r.rules().size());
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static IpAddress ip(String text) {
        return IpAddress.parse(text);
    }

    static Duration s(long seconds) {
        return Duration.ofSeconds(seconds);
    }

    static CheckTiming timing(long interval, long timeout, int retries, long retryDelay, long warmup) {
        return CheckTiming.imported(s(interval), s(timeout), retries, s(retryDelay), s(warmup));
    }

    /** A typed check of {@code address:port} started up, with no connect or bind address, sorry server or quorum. */
    static CheckSpec spec(String file, int line, ServiceKey service, String address, int port, int weight,
                          CheckKind kind, CheckTiming timing) {
        return new CheckSpec(new SourceLocation(file, line), service, ip(address), port, weight, kind, timing,
            FailureAction.REMOVE, false, null, 0, null, null, null);
    }

    /** The diagnostics as {@code file:line: severity: message} lines. */
    static List<String> texts(ImportResult r) {
        return r.diagnostics().stream().map(Diagnostic::toString).toList();
    }
}
