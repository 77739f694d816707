package uvs.sync.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import uvs.sync.SyncDaemonConfig;

/**
 * Real multicast between a master and a backup in a throw-away network namespace (root only; skipped
 * elsewhere), plus the socket setup's argument checks.
 */
class MulticastSyncTransportTest {
    @Test
    void shouldRejectAMissingInterface() {
        SyncDaemonConfig cfg = SyncDaemonConfig.master().withMcastInterface("uvsnosuch0");
        assertThatThrownBy(() -> MulticastSyncTransport.master(cfg, 1, 0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("uvsnosuch0 does not exist");
        assertThatThrownBy(() -> MulticastSyncTransport.backup(cfg.withState(SyncDaemonConfig.State.BACKUP), 65, 0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ports 65");
    }

    @Test
    @Tag("root")
    void shouldSyncOverRealMulticastInANetworkNamespace() throws Exception {
        Map<String, Long> r = runChildInNamespace("plain");
        // every conn was sent once (3rd packet) and applied: 300 entries, 2 ports of 40-entry messages
        String out = r.toString();
        assertThat(r.get("conns")).as(out).isEqualTo(MulticastChild.FLOWS);
        assertThat(r.get("entriesSent")).as(out).isEqualTo(MulticastChild.FLOWS);
        assertThat(r.get("sendErrors")).as(out).isZero();
        assertThat(r.get("datagrams")).as(out).isEqualTo(r.get("messagesSent"));
        assertThat(r.get("created")).as(out).isEqualTo(MulticastChild.FLOWS);
        assertThat(r.get("backupConns")).as(out).isEqualTo(MulticastChild.FLOWS);
    }

    @Test
    @Tag("root")
    void shouldRecoverLostDatagramsWithNacksOverRealSockets() throws Exception {
        Map<String, Long> r = runChildInNamespace("reliable");
        String out = r.toString();
        // one in 7 datagrams lost on the way; NACKs reach the master's unicast address and every conn arrives
        assertThat(r.get("backupConns")).as(out).isEqualTo(MulticastChild.FLOWS);
        assertThat(r.get("lost")).as(out).isPositive();
        assertThat(r.get("recovered")).as(out).isEqualTo(r.get("lost"));
        assertThat(r.get("nacksReceived")).as(out).isPositive();
        assertThat(r.get("retransmitted")).as(out).isGreaterThanOrEqualTo(r.get("recovered"));
        assertThat(r.get("authFailures") + r.get("replyErrors") + r.get("sendErrors")).as(out).isZero();
    }

    /** Runs {@link MulticastChild} with {@code mode} in a throw-away network namespace; its RESULT values. */
    private static Map<String, Long> runChildInNamespace(String mode) throws Exception {
        Assumptions.assumeTrue(isRoot(), "needs root to create a network namespace");
        Assumptions.assumeTrue(run(5, "ip", "netns", "list") == 0, "'ip netns' does not work here");
        String ns = "uvs-synctest-" + ProcessHandle.current().pid() + "-" + mode;
        try {
            Assumptions.assumeTrue(run(5, "ip", "netns", "add", ns) == 0, "cannot create network namespace " + ns);
            assertThat(run(5, "ip", "-n", ns, "link", "set", "lo", "up")).isZero();
            assertThat(run(5, "ip", "-n", ns, "link", "set", "lo", "multicast", "on")).isZero();
            assertThat(run(5, "ip", "-n", ns, "route", "add", "224.0.0.0/4", "dev", "lo")).isZero();
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process child = new ProcessBuilder("ip", "netns", "exec", ns, java,
                "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), MulticastChild.class.getName(), mode)
                .redirectErrorStream(true).start();
            boolean done = child.waitFor(60, TimeUnit.SECONDS);
            if (!done) {
                child.destroyForcibly();
            }
            String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(done).as("child finished; output:%n%s", out).isTrue();
            assertThat(child.exitValue()).as("child exit; output:%n%s", out).isZero();
            return parse(out);
        } finally {
            run(10, "ip", "netns", "del", ns);
        }
    }

    private static Map<String, Long> parse(String out) {
        Map<String, Long> m = new HashMap<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("RESULT ")) {
                for (String kv : line.substring(7).trim().split(" ")) {
                    String[] p = kv.split("=");
                    m.put(p[0], Long.parseLong(p[1]));
                }
            }
        }
        assertThat(m).as("RESULT line in:%n%s", out).isNotEmpty();
        return m;
    }

    private static boolean isRoot() {
        try {
            List<String> status = Files.readAllLines(Path.of("/proc/self/status"));
            for (String line : status) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2].equals("0");
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /** Runs a command with a time limit; its exit code, or -1 when it cannot run or times out. */
    private static int run(int seconds, String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            p.getInputStream().readAllBytes();
            return p.exitValue();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
