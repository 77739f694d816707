package uvs.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The case, in a JVM of its own: uvsd with a 1 GiB heap and {@code --capacity 6500000} (most of the
 * heap goes to the connection table) starts on an empty rules file and is reloaded with SIGHUP, three times,
 * without dying of OutOfMemoryError: checking a rules file never builds an engine of {@code --capacity}
 * size; also when it was started with SIGHUP ignored, as {@code nohup} starts it. No network: no {@code --interface}, metrics off, the control socket and procfs off in a temp dir.
 */
class UvsdReloadMemoryTest {
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(90);

    @TempDir
    Path dir;

    @ParameterizedTest(name = "SIGHUP ignored by its parent: {0}")
    @ValueSource(booleans = {false, true})
    void shouldStartAndReloadWithAFullHeapOfConnectionEntries(boolean hangUpIgnored) throws Exception {
        Path rules = dir.resolve("rules");
        Path sock = dir.resolve("uvsd.sock");
        Path log = dir.resolve("uvsd.log");
        Files.writeString(rules, "");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // as under nohup: the JVM starts with SIGHUP ignored, and uvsd must still reload on it
        List<String> cmd = new ArrayList<>(hangUpIgnored
            ? List.of("sh", "-c", "trap '' HUP; exec \"$@\"", "sh") : List.of());
        cmd.addAll(List.of(java, "-Xmx1g", "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
            "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), UvsdMain.class.getName(),
            "--capacity", "6500000", "--rules", rules.toString(), "--control-socket", sock.toString(),
            "--metrics-port", "-1", "--proc-dir", "none"));
        Process uvsd = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            awaitLog(uvsd, log, "uvsd started", 1);
            assertThat(list(sock)).as(read(log)).doesNotContain("TCP").contains("IP Virtual Server");

            // the same empty file again, then one that says it may be empty, then one service
            hangUp(uvsd);
            awaitLog(uvsd, log, "configuration reloaded", 1);
            Files.writeString(rules, "# uvs: allow-empty\n");
            hangUp(uvsd);
            awaitLog(uvsd, log, "configuration reloaded", 2);
            assertThat(list(sock)).doesNotContain("TCP");
            Files.writeString(rules, "-A -t 10.0.0.1:80 -s wlc\n-a -t 10.0.0.1:80 -r 10.0.0.2:80 -m -w 1\n");
            hangUp(uvsd);
            awaitLog(uvsd, log, "configuration reloaded", 3);
            assertThat(list(sock)).contains("TCP  10.0.0.1:80 wlc").contains("-> 10.0.0.2:80");

            assertThat(uvsd.isAlive()).as(read(log)).isTrue();
            assertThat(read(log)).doesNotContain("OutOfMemoryError").doesNotContain("refused");
        } finally {
            uvsd.destroy();
            if (!uvsd.waitFor(15, TimeUnit.SECONDS)) {
                uvsd.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private static String list(Path sock) throws IOException {
        ControlProtocol.Reply r = UvsadmClient.send(sock, List.of("-L", "-n"), new byte[0]);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return r.stdout();
    }

    private static void hangUp(Process p) throws Exception {
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(p.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    /** Waits, bounded, until the log has {@code count} lines with {@code text}; fails if uvsd ends first. */
    private static void awaitLog(Process p, Path log, String text, int count) throws Exception {
        long end = System.nanoTime() + WAIT_NANOS;
        while (read(log).lines().filter(l -> l.contains(text)).count() < count) {
            assertThat(p.isAlive()).as("uvsd ended (exit %s):%n%s", p.isAlive() ? "-" : p.exitValue(), read(log)).isTrue();
            if (System.nanoTime() - end >= 0) {
                fail("no '%s' in time:%n%s%nuvsd's threads:%n%s", text, read(log), threads(p));
            }
            Thread.sleep(50);
        }
    }

    /** uvsd's thread dump (jcmd), to tell a lost signal from a stuck reload. */
    private static String threads(Process p) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process dump = new ProcessBuilder(jcmd.toString(), Long.toString(p.pid()), "Thread.print")
            .redirectErrorStream(true).start();
        String out = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        dump.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    private static String read(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }
}
