package uvs.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code uvsadm --import FILE [--check]}: what it prints and when it fails. */
class ImportCheckCommandTest {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return UvsadmMain.importFile(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private Path write(String text) throws Exception {
        Path p = dir.resolve("keepalived.conf");
        Files.writeString(p, text);
        return p;
    }

    private static String vs(String check) {
        return """
            virtual_server 10.1.1.1 25 {
                lb_algo rr
                lb_kind NAT
                protocol TCP
                real_server 10.2.2.1 25 {
            %s
                }
            }
            """.formatted(check.indent(8).stripTrailing());
    }

    @Test
    void shouldPassACheckOfAFileThatRunsAsWritten() throws Exception {
        Path p = write(vs("TCP_CHECK {\n    connect_timeout 2\n}"));
        assertThat(run("--import", p.toString(), "--check")).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("-a -t 10.1.1.1:25 -r 10.2.2.1:25 -m -w 1");
    }

    @Test
    void shouldFailACheckNamingWhatDoesNotRunAsWritten() throws Exception {
        Path p = write(vs("TCP_CHECK {\n    connect_timeout 2\n    bind_if eth1\n}"));
        assertThat(run("--import", p.toString())).as("without --check the translation is only printed").isZero();
        String line = "keepalived.conf:6: warning: real server 10.2.2.1:25 of TCP 10.1.1.1:25: 'bind_if eth1' is not honoured";
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("# " + line);

        out.reset();
        assertThat(run("--import=" + p, "--check")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("1 thing(s) would not run as written")
            .contains(line);
    }

    @Test
    void shouldFailACheckOnADiagnosticWarning() throws Exception {
        Path p = write(vs("TCP_CHECK {\n}\nnotify_up /bin/true"));
        assertThat(run("--import", p.toString(), "--check")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("'notify_up' is not supported");
    }

    @Test
    void shouldRefuseBadUsage() {
        assertThat(run("--import")).isEqualTo(2);
        assertThat(run("--import", "a", "b")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: uvsadm --import");
    }
}
