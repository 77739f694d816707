package uvs.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
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
        StringBuilder out = new StringBuilder(ImportReport.format(r));
        if (!r.hasErrors()) {
            for (String line : ImportedConfig.of(r).checkWarnings()) {
                out.append("# ").append(line).append('\n');
            }
        }
        return out.toString().replace(SAMPLES + "/", "");
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
}
