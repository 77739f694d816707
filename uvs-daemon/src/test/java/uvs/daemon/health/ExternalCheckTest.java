package uvs.daemon.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import uvs.ctl.health.CheckKind;

class ExternalCheckTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private static CheckResult run(boolean dynamic, Duration timeout, String... command) {
        return new ExternalCheck(new CheckKind.External(List.of(command), dynamic), timeout).run();
    }

    private static CheckResult exit(int code, boolean dynamic) {
        return run(dynamic, TIMEOUT, "sh", "-c", "exit " + code);
    }

    @Test
    void shouldBeUpOnExitZeroOnly() {
        assertThat(run(false, TIMEOUT, "/bin/true")).isEqualTo(CheckResult.up("exit 0"));
        assertThat(run(false, TIMEOUT, "/bin/false")).isEqualTo(CheckResult.down("exit 1"));
        assertThat(exit(5, false)).isEqualTo(CheckResult.down("exit 5"));
    }

    @Test
    void shouldMapMiscDynamicExitCodesToWeights() {
        // misc_dynamic: 0 = up at the configured weight, 1 = down, 2..255 = up with weight code - 2
        assertThat(exit(0, true)).isEqualTo(CheckResult.up("exit 0"));
        assertThat(exit(1, true)).isEqualTo(CheckResult.down("exit 1"));
        assertThat(exit(2, true)).isEqualTo(CheckResult.upWithWeight(0, "exit 2"));
        assertThat(exit(5, true)).isEqualTo(CheckResult.upWithWeight(3, "exit 5"));
        assertThat(exit(255, true)).isEqualTo(CheckResult.upWithWeight(253, "exit 255"));
    }

    @Test
    void shouldKillACommandStillRunningAtTheTimeout() {
        long ms = Loopback.millis(() -> assertThat(run(false, Duration.ofMillis(200), "sh", "-c", "sleep 30; exit 0"))
            .isEqualTo(CheckResult.down("still running after 200 ms: killed")));
        assertThat(ms).as("bounded by the 200 ms timeout plus process start").isLessThan(3_000);
    }

    @Test
    void shouldBeDownWhenTheProgramCannotRun() {
        CheckResult r = run(false, TIMEOUT, "/nonexistent/uvs-check");
        assertThat(r.up()).isFalse();
        assertThat(r.detail()).startsWith("cannot run /nonexistent/uvs-check: IOException");
    }
}
