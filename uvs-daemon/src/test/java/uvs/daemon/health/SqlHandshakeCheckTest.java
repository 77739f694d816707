package uvs.daemon.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import uvs.ctl.health.CheckKind;

/** The MySQL greeting and the PostgreSQL startup exchange, against loopback servers that answer like those. */
class SqlHandshakeCheckTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    // serves one connection: reads what the client sends first (when asked) and answers reply(it)
    private static ServerSocket serve(boolean readFirst, Function<byte[], byte[]> reply) throws IOException {
        ServerSocket server = new ServerSocket(0, 5, Loopback.LOOPBACK);
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    byte[] got = new byte[0];
                    if (readFirst) {
                        DataInputStream in = new DataInputStream(s.getInputStream());
                        int len = in.readInt();
                        got = new byte[len - 4];
                        in.readFully(got);
                    }
                    s.getOutputStream().write(reply.apply(got));
                    s.getOutputStream().flush();
                    s.getInputStream().read();
                } catch (IOException closed) {
                    // next connection, or closed
                }
            }
        });
        return server;
    }

    private static CheckResult check(ServerSocket s, CheckKind.SqlHandshake spec) {
        return new SqlHandshakeCheck(new InetSocketAddress(Loopback.LOOPBACK, s.getLocalPort()), null, spec, TIMEOUT)
            .run();
    }

    private static byte[] mysqlPacket(byte[] payload) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(payload.length);
        p.write(payload.length >> 8);
        p.write(payload.length >> 16);
        p.write(0);
        p.writeBytes(payload);
        return p.toByteArray();
    }

    @Test
    void shouldReadTheMySqlGreetingOrItsError() throws IOException {
        CheckKind.SqlHandshake mysql = new CheckKind.SqlHandshake(true, "", "");
        byte[] greeting = "\n8.0.36\0\1\0\0\0abcdefgh\0".getBytes(StandardCharsets.ISO_8859_1);
        try (ServerSocket s = serve(false, got -> mysqlPacket(greeting))) {
            assertThat(check(s, mysql)).isEqualTo(CheckResult.up("MySQL 8.0.36"));
        }
        byte[] error = "\u00ff\u0010\u0004#HY000Too many connections".getBytes(StandardCharsets.ISO_8859_1);
        try (ServerSocket s = serve(false, got -> mysqlPacket(error))) {
            assertThat(check(s, mysql)).isEqualTo(CheckResult.down("MySQL error 1040: Too many connections"));
        }
    }

    @Test
    void shouldStartAPostgresSessionForTheLoginAndDatabase() throws IOException {
        AtomicReference<String> startup = new AtomicReference<>();
        byte[] md5Auth = {'R', 0, 0, 0, 12, 0, 0, 0, 5, 1, 2, 3, 4};
        try (ServerSocket s = serve(true, got -> {
            startup.set(new String(got, StandardCharsets.UTF_8));
            return md5Auth;
        })) {
            CheckResult r = check(s, new CheckKind.SqlHandshake(false, "monitor", "app"));
            assertThat(r).isEqualTo(CheckResult.up("PostgreSQL asks for authentication"));
            assertThat(startup.get()).isEqualTo("\0\3\0\0user\0monitor\0database\0app\0\0");
        }
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        byte[] fields = "SFATAL\0C57P03\0Mthe database system is starting up\0\0".getBytes(StandardCharsets.UTF_8);
        e.write('E');
        e.writeBytes(new byte[] {0, 0, 0, (byte) (fields.length + 4)});
        e.writeBytes(fields);
        try (ServerSocket s = serve(true, got -> e.toByteArray())) {
            assertThat(check(s, new CheckKind.SqlHandshake(false, "monitor", "app")))
                .isEqualTo(CheckResult.down("PostgreSQL error: the database system is starting up"));
        }
    }
}
