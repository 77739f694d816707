package uvs.daemon.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import uvs.ctl.health.CheckKind;

/** keepalived's FILE_CHECK: the number in a tracked file as up, down or a weight. */
class TrackFileCheckTest {
    @TempDir
    Path dir;

    private CheckResult run(String content, int weight, boolean reverse) throws IOException {
        Path f = dir.resolve("status");
        if (content == null) {
            Files.deleteIfExists(f);
        } else {
            Files.writeString(f, content);
        }
        // the real server's configured weight is 10
        return new TrackFileCheck(new CheckKind.TrackFile(f, weight, reverse), 10).run();
    }

    @Test
    void shouldTakeANonZeroNumberAsDownWithWeightZero() throws IOException {
        assertThat(run("0\n", 0, false).up()).isTrue();
        assertThat(run("1\n", 0, false).up()).isFalse();
        assertThat(run("-3", 0, false).up()).isFalse();
        // reverse: zero is down
        assertThat(run("0", 0, true).up()).isFalse();
        assertThat(run("5", 0, true).up()).isTrue();
        // a missing or empty file, or no number, reads as 0
        assertThat(run(null, 0, false).up()).isTrue();
        assertThat(run("", 0, true).up()).isFalse();
        assertThat(run("ready", 0, false).up()).isTrue();
    }

    @Test
    void shouldAddTheNumberTimesTheWeightToTheConfiguredWeight() throws IOException {
        assertThat(run("3\n", 2, false)).isEqualTo(CheckResult.upWithWeight(16, dir.resolve("status")
            + " holds 3: weight 16"));
        assertThat(run("3", 2, true).weight()).isEqualTo(4);
        // never below 0
        assertThat(run("100", -1, false).weight()).isZero();
        assertThat(run("0", 5, false)).isEqualTo(CheckResult.up(dir.resolve("status") + " holds 0"));
        // the product at keepalived's fault value is down
        assertThat(run("-2147483647", 1, false).up()).isFalse();
        assertThat(run("2147483647", 2, true).up()).isFalse();
    }

    @Test
    void shouldReadNumbersAsCsStrtolDoes() {
        assertThat(TrackFileCheck.strtol("  42 apples")).isEqualTo(42);
        assertThat(TrackFileCheck.strtol("-7\n")).isEqualTo(-7);
        assertThat(TrackFileCheck.strtol("+0x1F")).isEqualTo(31);
        assertThat(TrackFileCheck.strtol("010")).isEqualTo(8);
        assertThat(TrackFileCheck.strtol("0x")).isZero();
        assertThat(TrackFileCheck.strtol("09")).isZero();
        assertThat(TrackFileCheck.strtol("x1")).isZero();
    }

    @Test
    void shouldIgnoreANumberBeyondAnIntKeepingTheServerAsItWas() throws IOException {
        CheckResult r = run("99999999999", 1, false);
        assertThat(r.suspended()).isTrue();
    }
}
