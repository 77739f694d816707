package uvs.daemon.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFileTest {
    private static final Path CHECK = Path.of("..", "packaging", "keepalived", "uvsd-check");

    @Test
    void shouldSayRunningThenDrainingWithThisPid(@TempDir Path dir) throws Exception {
        StateFile f = new StateFile(dir.resolve("run").resolve("uvsd.state"));
        long pid = ProcessHandle.current().pid();

        f.write(StateFile.State.RUNNING);
        assertThat(Files.readString(f.path())).isEqualTo(pid + " running\n");
        f.write(StateFile.State.DRAINING);
        assertThat(Files.readString(f.path())).isEqualTo(pid + " draining\n");
        try (var files = Files.list(f.path().getParent())) {
            assertThat(files).as("no temporary file left").containsExactly(f.path());
        }
    }

    /** keepalived's track script shipped with UVS: succeeds only for a live uvsd that says running. */
    @Test
    void shouldPassTheTrackScriptOnlyWhileUvsdRunsAndSaysRunning(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(CHECK), "skipped: " + CHECK + " not found from " + Path.of("").toAbsolutePath());
        Path state = dir.resolve("uvsd.state");
        assertThat(check(state)).as("no state file").isEqualTo(1);

        // a process whose command line names uvsd's main class stands for uvsd
        Process uvsd = new ProcessBuilder("sh", "-c", "sleep 30", "uvs.daemon.UvsdMain").start();
        try {
            Files.writeString(state, uvsd.pid() + " running\n");
            assertThat(check(state)).as("running").isZero();
            Files.writeString(state, uvsd.pid() + " draining\n");
            assertThat(check(state)).as("draining").isEqualTo(1);
            Files.writeString(state, ProcessHandle.current().pid() + " running\n");
            assertThat(check(state)).as("a PID that is not uvsd").isEqualTo(1);
            Files.writeString(state, "x running\n");
            assertThat(check(state)).as("garbage").isEqualTo(1);
            Files.writeString(state, uvsd.pid() + " running\n");
        } finally {
            uvsd.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        assertThat(check(state)).as("uvsd gone (SIGKILL)").isEqualTo(1);
    }

    private static int check(Path state) throws Exception {
        Process p = new ProcessBuilder(CHECK.toString(), state.toString()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(10, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}
