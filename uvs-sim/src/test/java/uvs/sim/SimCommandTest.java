package uvs.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code uvs sim}: table, summary, CSV file and errors. */
class SimCommandTest {
    @TempDir
    Path dir;

    private String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new SimCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    @Test
    void shouldPrintTableSummaryAndWriteCsv() throws IOException {
        String[] r = run("../sim/scenarios/d-reliable-1pct-loss.sim", "--scale", "0.01", "--seed", "3",
            "--out", dir.toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[1]).contains("A.active").containsPattern("(?m)^agreement_active: \\d+\\.\\d\\d%$")
            .containsPattern("(?m)^flows_continued: \\d+\\.\\d\\d%$")
            .containsPattern("(?m)^sync_bytes_per_conn: \\d+\\.\\d$");
        Path csv = dir.resolve("d-reliable-1pct-loss.csv");
        // 120 s sampled every 10 s: a header and 12 rows
        assertThat(Files.readAllLines(csv)).hasSize(13).first().asString().startsWith("second,a_active,");
    }

    @Test
    void shouldReportFileAndLineOfBadScenario() throws IOException {
        Path bad = dir.resolve("bad.sim");
        Files.writeString(bad, "clients = 10\nduration = soon\n");
        String[] r = run(bad.toString());
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("bad.sim:2: duration: 'soon' is not an integer");
        assertThat(run(dir.resolve("missing.sim").toString())[2]).contains("no such file");
        assertThat(run("../sim/scenarios/f-quiescent-eqt0.sim", "--scale", "0")[2]).contains("scale 0.0");
    }

    @Test
    void shouldPrintThePopulationAndReportBadPopulationKeys() throws IOException {
        String[] r = run("../sim/scenarios/g-mixed-population.sim", "--scale", "0.01");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[1]).containsPattern("(?m)^packets_per_conn: \\d+\\.\\d\\d$")
            .containsPattern("(?m)^abandoned: \\d+$").containsPattern("(?m)^conns_to_persistent_service: \\d+$");
        Path bad = dir.resolve("bad-close.sim");
        Files.writeString(bad, "clients = 10\n\nclose = fin:0.9,rst:0.2\n");
        r = run(bad.toString());
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("bad-close.sim:3: close: shares sum to 1.100, not 1");
    }

    @Test
    void shouldWriteSelfContainedHtmlReportAndProgressOnlyToStderr() throws IOException {
        String[] r = run("../sim/scenarios/e-mh.sim", "--scale", "0.01", "--out", dir.toString(), "--progress");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[2]).contains("100%").contains("[########################################]");
        assertThat(r[1]).doesNotContain("#").containsPattern("(?m)^flows_continued_mh_port_fallback: \\d+\\.\\d\\d%$");
        String html = Files.readString(dir.resolve("report.html"));
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg", "<polyline", "flows_continued_mh_port_fallback")
            .doesNotContain("<script", "src=", "href=", "http"); // nothing fetched
    }
}
