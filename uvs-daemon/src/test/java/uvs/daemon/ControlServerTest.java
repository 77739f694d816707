package uvs.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.AgentTerminationException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control socket: round trip, its agent's duty cycle, mode 0600, and refusal of a non-root peer. */
class ControlServerTest {
    @TempDir
    Path dir;

    private static ControlProtocol.Reply echo(ControlProtocol.Request r) {
        return new ControlProtocol.Reply(3, String.join(" ", r.args()) + "|" + new String(r.stdin(),
            StandardCharsets.UTF_8), "");
    }

    @Test
    void shouldCarryArgumentsStdinAndReply() throws Exception {
        Path sock = dir.resolve("control.sock");
        try (ControlServer server = new ControlServer(sock, null, ControlServerTest::echo)) {
            Thread t = TestAgents.start(server, ControlServer.idleStrategy());
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sock))).isEqualTo("rw-------");
            ControlProtocol.Reply r = UvsadmClient.send(sock, List.of("-A", "-t", "10.0.0.1:80"),
                "line\n".getBytes(StandardCharsets.UTF_8));
            assertThat(r.exitCode()).isEqualTo(3);
            assertThat(r.stdout()).isEqualTo("-A -t 10.0.0.1:80|line\n");
            server.close();
            t.join(2000);
        }
        assertThat(sock).doesNotExist();
    }

    @Test
    void shouldNameTheSocketWhenUvsdIsNotRunning() {
        Path sock = dir.resolve("absent.sock");
        try {
            UvsadmClient.send(sock, List.of("-L"), new byte[0]);
        } catch (IOException e) {
            assertThat(e.getMessage()).contains("cannot reach uvsd at " + sock).contains("UVS_CONTROL_SOCKET");
            return;
        }
        throw new AssertionError("connected to a socket that does not exist");
    }

    @Test
    void shouldAcceptInItsDutyCycleDropALateClientAndEndOnceClosed() throws Exception {
        Path sock = dir.resolve("control.sock");
        ControlServer server = new ControlServer(sock, null, ControlServerTest::echo);
        try (SocketChannel silent = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.timeouts(1, 1);
            assertThat(server.doWork()).as("nobody waiting").isZero();
            CompletableFuture<ControlProtocol.Reply> reply = CompletableFuture.supplyAsync(() -> {
                try {
                    return UvsadmClient.send(sock, List.of("-L"), new byte[0]);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            silent.connect(UnixDomainSocketAddress.of(sock));
            int accepted = 0;
            for (int i = 0; i < 1000 && accepted < 2; i++) {
                accepted += server.doWork();
                Thread.sleep(1);
            }
            assertThat(accepted).as("both connections taken without blocking").isEqualTo(2);
            assertThat(reply.get(5, TimeUnit.SECONDS).stdout()).isEqualTo("-L|");
            // the silent client never sends its request: a duty cycle after its deadline closes it
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            int closed = 0;
            while (closed == 0 && System.nanoTime() < end) {
                closed = server.doWork();
                Thread.sleep(10);
            }
            assertThat(closed).isEqualTo(1);
            silent.configureBlocking(true);
            assertThat(silent.read(ByteBuffer.allocate(16))).as("the client sees its connection closed").isEqualTo(-1);
        } finally {
            server.close();
        }
        assertThatThrownBy(server::doWork).isInstanceOfSatisfying(AgentTerminationException.class,
            e -> assertThat(e.isExpected()).isTrue());
    }

    @Test
    @Tag("root")
    void shouldRefuseNonRootPeer() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root to act as another user");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")) && Files.isExecutable(Path.of("/usr/bin/python3")),
            "needs setpriv and python3");
        Path open = Files.createTempDirectory(Path.of("/tmp"), "uvs-ctl-");
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path sock = open.resolve("control.sock");
        try (ControlServer server = new ControlServer(sock, null, ControlServerTest::echo)) {
            TestAgents.start(server, ControlServer.idleStrategy());
            // the mode is 0600; open it up so that only the peer check can refuse
            Files.setPosixFilePermissions(sock, PosixFilePermissions.fromString("rw-rw-rw-"));
            String client = String.join("\n",
                "import socket, struct",
                "s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)",
                "s.settimeout(5)",
                "s.connect('" + sock + "')",
                "s.sendall(struct.pack('>ii', 0x55565331, 1) + struct.pack('>i', 2) + b'-L' + struct.pack('>i', 0))",
                "data = b''",
                "while True:",
                "    c = s.recv(4096)",
                "    if not c: break",
                "    data += c",
                "code, n = struct.unpack('>ii', data[:8]); m = struct.unpack('>i', data[8 + n:12 + n])[0]",
                "print(code, data[12 + n:12 + n + m].decode().strip())");
            Process p = new ProcessBuilder("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                "/usr/bin/python3", "-c", client).redirectErrorStream(true).start();
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertThat(out).isEqualTo("2 " + ControlServer.NOT_ROOT);
        } finally {
            Files.deleteIfExists(sock);
            Files.deleteIfExists(DaemonLock.lockFile(sock));
            Files.deleteIfExists(open);
        }
    }
}
