package uvs.daemon.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import uvs.net.sys.Libc;

/**
 * ICMP echo: answered on loopback; unanswered inside a network namespace whose loopback is down (root
 * only: the namespace is created and removed by the test, and nothing leaves it).
 */
class PingCheckTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private static CheckResult ping(String address) throws IOException {
        return new PingCheck(new InetSocketAddress(InetAddress.getByName(address), 0), null, TIMEOUT).run();
    }

    @Test
    void shouldBeAnsweredOnLoopback() throws IOException {
        assertThat(ping("127.0.0.1").detail()).startsWith("echo reply");
        assertThat(ping("::1").detail()).startsWith("echo reply");
        CheckResult bound = new PingCheck(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0),
            new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), TIMEOUT).run();
        assertThat(bound.detail()).startsWith("echo reply");
    }

    @Test
    @Tag("root")
    void shouldBeDownWhereNothingAnswers() throws Exception {
        assumeThat(System.getProperty("user.name")).as("creating a network namespace needs root").isEqualTo("root");
        String ns = "uvs-ping-" + ProcessHandle.current().pid();
        run("ip", "netns", "add", ns);
        try {
            // a new namespace's loopback is down: the echo cannot be sent, nor answered
            assertThat(inNamespace(ns).up()).isFalse();
            run("ip", "-n", ns, "link", "set", "lo", "up");
            // root's group outside ping_group_range (the default "1 0"): a raw socket
            run("ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv4.ping_group_range=1 0");
            assertThat(inNamespace(ns)).isEqualTo(CheckResult.up("echo reply (raw socket)"));
            // the namespace's own setting lets every group use datagram ICMP sockets
            run("ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv4.ping_group_range=0 2147483647");
            assertThat(inNamespace(ns)).isEqualTo(CheckResult.up("echo reply (datagram socket)"));
        } finally {
            run("ip", "netns", "delete", ns);
        }
    }

    // the check on a platform thread that entered the namespace (its sockets are made there)
    private static CheckResult inNamespace(String ns) throws Exception {
        AtomicReference<Object> out = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try (Arena arena = Arena.ofConfined()) {
                Libc libc = new Libc(arena);
                int fd = libc.check(libc.open(arena.allocateFrom("/run/netns/" + ns), Libc.O_RDONLY | Libc.O_CLOEXEC,
                    0), "open netns");
                libc.check(libc.setns(fd, Libc.CLONE_NEWNET), "setns");
                libc.close(fd);
                out.set(ping("127.0.0.1"));
            } catch (Exception | Error e) {
                out.set(e);
            }
        });
        t.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(out.get()).isInstanceOf(CheckResult.class);
        return (CheckResult) out.get();
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + new String(p.getInputStream().readAllBytes()))
            .isZero();
    }
}
