package uvs.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control socket against clients that stall, never read, lie about sizes or are not root, and the
 * ownership {@code --allow-user} / {@code --allow-group} give the socket file.
 */
class ControlSocketAbuseTest {
    @TempDir
    Path dir;

    private static ControlProtocol.Reply echo(ControlProtocol.Request r) {
        // "-L" answers a listing far larger than a socket buffer
        String out = r.args().contains("-L") ? "x".repeat(1 << 20) : String.join(" ", r.args());
        return new ControlProtocol.Reply(3, out, "");
    }

    private static SocketChannel connect(Path sock) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(sock));
        return ch;
    }

    private static void write(SocketChannel ch, int... ints) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 * ints.length);
        for (int i : ints) {
            b.putInt(i);
        }
        ch.write(b.flip());
    }

    @Test
    void shouldServeOthersWhileOneClientStallsOrNeverReadsAndDropThemAfterTheTimeout() throws Exception {
        Path sock = dir.resolve("control.sock");
        try (ControlServer server = new ControlServer(sock, null, ControlSocketAbuseTest::echo);
             SocketChannel stalled = connect(sock); SocketChannel deaf = connect(sock)) {
            server.timeouts(3, 3);
            TestAgents.start(server, ControlServer.idleStrategy());
            // a request cut off after its argument count, held open
            write(stalled, ControlProtocol.MAGIC, 2);
            // a request whose 1 MiB answer is never read
            ControlProtocol.writeRequest(new DataOutputStream(Channels.newOutputStream(deaf)),
                new ControlProtocol.Request(List.of("-L"), new byte[0]));
            long t0 = System.nanoTime();
            ControlProtocol.Reply r = UvsadmClient.send(sock, List.of("-A", "-t", "10.0.0.1:80"), new byte[0]);
            assertThat(r.stdout()).isEqualTo("-A -t 10.0.0.1:80");
            // served while both others still hold their connections (they are dropped only after 3 s)
            assertThat(System.nanoTime() - t0).isLessThan(2_500_000_000L);
            // both are dropped once their time is up
            stalled.configureBlocking(true);
            assertThat(stalled.read(ByteBuffer.allocate(16))).isEqualTo(-1);
            Thread.sleep(1500);
            int got = 0;
            try {
                ByteBuffer b = ByteBuffer.allocate(1 << 16);
                int n;
                while ((n = deaf.read(b.clear())) >= 0) {
                    got += n;
                }
            } catch (IOException e) {
                // reset: dropped
            }
            assertThat(got).as("the deaf client never gets the whole 1 MiB reply").isLessThan(1 << 20);
        }
    }

    @Test
    void shouldRefuseAnOversizedRequestBeforeReadingIt() throws Exception {
        Path sock = dir.resolve("control.sock");
        try (ControlServer server = new ControlServer(sock, null, ControlSocketAbuseTest::echo);
             SocketChannel ch = connect(sock)) {
            TestAgents.start(server, ControlServer.idleStrategy());
            // one argument claiming 16 MiB and a 1 GiB standard input: neither is sent, nor waited for
            write(ch, ControlProtocol.MAGIC, 1, 16 << 20);
            ControlProtocol.Reply r = ControlProtocol.readReply(new DataInputStream(Channels.newInputStream(ch)));
            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.stderr()).isEqualTo("bad request: arguments longer than " + ControlProtocol.MAX_ARGS_BYTES
                + " bytes in all\n");
        }
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/setpriv"))
            && Files.isExecutable(Path.of("/usr/bin/python3"));
    }

    /** Runs a python client as {@code uid:gid} that sends {@code header} (big-endian ints) and prints the reply. */
    private static String clientAs(int uid, int gid, Path sock, String send) throws Exception {
        String client = String.join("\n",
            "import socket, struct",
            "s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)",
            "s.settimeout(5)",
            "s.connect('" + sock + "')",
            "s.sendall(" + send + ")",
            "data = b''",
            "while True:",
            "    c = s.recv(4096)",
            "    if not c: break",
            "    data += c",
            "code, n = struct.unpack('>ii', data[:8]); m = struct.unpack('>i', data[8 + n:12 + n])[0]",
            "print(code, data[8:8 + n].decode().strip(), data[12 + n:12 + n + m].decode().strip())");
        Process p = new ProcessBuilder("/usr/bin/setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups",
            "/usr/bin/python3", "-c", client).redirectErrorStream(true).start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    }

    private static final String LIST_REQUEST =
        "struct.pack('>ii', 0x55565331, 1) + struct.pack('>i', 2) + b'-n' + struct.pack('>i', 0)";

    @Test
    @Tag("root")
    void shouldRefuseAStrangerBeforeReadingTheBody() throws Exception {
        Assumptions.assumeTrue(root(), "needs root, setpriv and python3 to act as another user");
        Path open = Files.createTempDirectory(Path.of("/tmp"), "uvs-ctl-");
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path sock = open.resolve("control.sock");
        try (ControlServer server = new ControlServer(sock, null, ControlSocketAbuseTest::echo)) {
            TestAgents.start(server, ControlServer.idleStrategy());
            Files.setPosixFilePermissions(sock, PosixFilePermissions.fromString("rw-rw-rw-"));
            // announces 16 MiB of argument and sends none of it: refused at once all the same
            String out = clientAs(65534, 65534, sock, "struct.pack('>iii', 0x55565331, 1, 16 << 20)");
            assertThat(out).isEqualTo("2  " + ControlServer.NOT_ROOT);
        } finally {
            Files.deleteIfExists(sock);
            Files.deleteIfExists(DaemonLock.lockFile(sock));
            Files.deleteIfExists(open);
        }
    }

    @Test
    @Tag("root")
    void shouldLetTheAllowedUserAndGroupConnect() throws Exception {
        Assumptions.assumeTrue(root(), "needs root, setpriv and python3 to act as another user");
        Path open = Files.createTempDirectory(Path.of("/tmp"), "uvs-ctl-");
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path sock = open.resolve("control.sock");
        try {
            try (ControlServer server = new ControlServer(sock, new ControlAccess("nobody", null),
                ControlSocketAbuseTest::echo, new Supervisor(c -> { }))) {
                TestAgents.start(server, ControlServer.idleStrategy());
                PosixFileAttributes a = Files.readAttributes(sock, PosixFileAttributes.class);
                assertThat(a.owner().getName()).isEqualTo("nobody");
                assertThat(PosixFilePermissions.toString(a.permissions())).isEqualTo("rw-------");
                assertThat(clientAs(65534, 65534, sock, LIST_REQUEST)).isEqualTo("3 -n");
                // another unprivileged user is still refused (by the socket's mode)
                assertThat(clientAs(12345, 12345, sock, LIST_REQUEST)).contains("PermissionError");
            }
            String group = Files.readAllLines(Path.of("/etc/group")).stream().filter(l -> l.startsWith("nogroup:"))
                .findFirst().map(l -> "nogroup").orElse("nobody");
            int gid = (int) Files.getAttribute(open, "unix:gid") == -1 ? 0
                : Integer.parseInt(Files.readAllLines(Path.of("/etc/group")).stream()
                    .filter(l -> l.startsWith(group + ":")).findFirst().orElseThrow().split(":")[2]);
            try (ControlServer server = new ControlServer(sock, new ControlAccess(null, group),
                ControlSocketAbuseTest::echo, new Supervisor(c -> { }))) {
                TestAgents.start(server, ControlServer.idleStrategy());
                PosixFileAttributes a = Files.readAttributes(sock, PosixFileAttributes.class);
                assertThat(a.group().getName()).isEqualTo(group);
                assertThat(PosixFilePermissions.toString(a.permissions())).isEqualTo("rw-rw----");
                assertThat(clientAs(12345, gid, sock, LIST_REQUEST)).isEqualTo("3 -n");
                assertThat(clientAs(12345, 12345, sock, LIST_REQUEST)).contains("PermissionError");
            }
        } finally {
            Files.deleteIfExists(sock);
            Files.deleteIfExists(DaemonLock.lockFile(sock));
            Files.deleteIfExists(open);
        }
    }
}
