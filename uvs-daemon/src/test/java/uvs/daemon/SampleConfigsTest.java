package uvs.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import uvs.ctl.importer.ImportFormat;
import uvs.ctl.importer.ImportReport;
import uvs.ctl.importer.ImportResult;

/**
 * keepalived's own sample configurations ({@code doc/samples}) and ldirectord's sample {@code ldirectord.cf},
 * copied with their licence headers under {@code samples/}: each is translated exactly as
 * {@code samples/expected/NAME.txt} says (rules, checks, every diagnostic and every line about what does
 * not run as written, as {@code uvsadm --import} prints them), and none of them has an unknown keyword:
 * both programs accept everything in their own samples.
 */
class SampleConfigsTest {
    private static final Path SAMPLES = resource("/uvs/ctl/importer/samples");

    private static Path resource(String name) {
        try {
            return Path.of(SampleConfigsTest.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<String> samples() throws IOException {
        try (Stream<Path> keepalived = Files.list(SAMPLES.resolve("keepalived"))) {
            List<String> names = keepalived.map(p -> "keepalived/" + p.getFileName()).sorted().toList();
            return Stream.concat(names.stream(), Stream.of("ldirectord/ldirectord.cf"));
        }
    }

    /** What {@code uvsadm --import FILE} prints for a sample, with the samples directory left out. */
    static String report(String name) throws IOException {
        Path file = SAMPLES.resolve(name);
        ImportResult r = ImportFormat.detect(file).importFile(file);
        return ImportReport.format(r).replace(SAMPLES + "/", "");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void shouldTranslateEachSampleAsExpected(String name) throws IOException {
        String report = report(name);
        String file = name.replace('/', '.') + ".txt";
        Path expected = SAMPLES.resolve("expected").resolve(file);
        // what it is now, to compare with the expected file when they differ
        Path actual = Path.of("target", "sample-reports", file);
        Files.createDirectories(actual.getParent());
        Files.writeString(actual, report, StandardCharsets.UTF_8);
        assertThat(expected).as("expected translation of " + name + " (now: " + actual.toAbsolutePath() + ")").exists();
        assertThat(report).as("translation of " + name).isEqualTo(Files.readString(expected, StandardCharsets.UTF_8));
        assertThat(report.lines()).as("keywords of " + name).noneMatch(l -> l.contains("unknown keyword"));
        assertThat(report).as(name + " imports without errors").doesNotContain("# not imported");
    }

    /**
     * The example sections ldirectord's sample has commented out (one per service: fwmark, ranges, https,
     * ftp, smtp, pop, imap, ldap, nntp, dns, mysql, pgsql, oracle, simpletcp, radius, sip, IPv6), each
     * enabled alone after the sample's global settings, translated as {@code expected/ldirectord.sections.txt}
     * says, without unknown keywords and with no error but those of host names, which UVS does not resolve,
     * and of a malformed real server ldirectord refuses too.
     */
    @Test
    void shouldTranslateEachCommentedOutLdirectordExample(@TempDir Path dir) throws IOException {
        List<String> lines = Files.readAllLines(SAMPLES.resolve("ldirectord/ldirectord.cf"), StandardCharsets.UTF_8);
        int firstVirtual = 0;
        while (!lines.get(firstVirtual).startsWith("virtual=")) {
            firstVirtual++;
        }
        List<String> globals = lines.subList(0, firstVirtual);
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).matches("#virtual6?\\s*=.*")) {
                continue;
            }
            StringBuilder cf = new StringBuilder(String.join("\n", globals)).append('\n');
            for (int j = i; j < lines.size() && lines.get(j).startsWith("#"); j++) {
                cf.append(lines.get(j).substring(1)).append('\n');
            }
            Path file = dir.resolve("ldirectord-line" + (i + 1) + ".cf");
            Files.writeString(file, cf.toString());
            ImportResult r = ImportFormat.LDIRECTORD.importFile(file);
            String report = ImportReport.format(r).replace(dir + "/", "");
            all.append(report);
            assertThat(report).as("example at line " + (i + 1)).doesNotContain("unknown keyword");
            // UVS resolves no host names: the examples naming their servers sql01->sql03 are refused; the SIP
            // example's "192.168.6.2::5060" does not match ldirectord's own pattern for a real server either
            assertThat(report.lines().filter(l -> l.contains(": error: "))).as("example at line " + (i + 1))
                .allMatch(l -> l.contains("names are not resolved") || l.contains("::5060 gate"));
        }
        Path actual = Path.of("target", "sample-reports", "ldirectord.sections.txt");
        Files.createDirectories(actual.getParent());
        Files.writeString(actual, all.toString(), StandardCharsets.UTF_8);
        assertThat(all.toString()).isEqualTo(Files.readString(SAMPLES.resolve("expected/ldirectord.sections.txt"),
            StandardCharsets.UTF_8));
    }
}
