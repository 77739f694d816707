package uvs.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class UvsVersionTest {
    @Test
    void shouldCarryTheBuildsVersionAndCommit() {
        UvsVersion v = UvsVersion.current();

        assertThat(v.version()).matches("\\d+\\.\\d+\\.\\d+.*");
        // built from this git checkout: an abbreviated commit, not the placeholder
        assertThat(v.commit()).matches("[0-9a-f]{7,40}");
    }

    @Test
    void shouldSayProgramVersionAndCommitInOneLine() {
        assertThat(new UvsVersion("1.2.3", "abc1234", false).line("uvsd")).isEqualTo("uvsd 1.2.3 (commit abc1234)");
        assertThat(new UvsVersion("1.2.3", "abc1234", true).line("uvs")).isEqualTo("uvs 1.2.3 (commit abc1234, modified)");
    }

    @Test
    void shouldAnswerUvsdVersion() {
        StringWriter out = new StringWriter();
        int code = new CommandLine(new UvsdMain()).setOut(new PrintWriter(out)).execute("--version");
        assertThat(code).isZero();
        assertThat(out.toString()).startsWith("uvsd " + UvsVersion.current().version() + " (commit ");
    }
}
