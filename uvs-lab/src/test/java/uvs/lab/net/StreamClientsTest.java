package uvs.lab.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/** Streams against a real server on loopback, and against fake servers that reset, stall or change name. */
class StreamClientsTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void shouldKeepAllStreamsAliveOnTheirServer() throws Exception {
        try (RealServerServices server = RealServerServices.start("rs7", 0, 0);
            StreamClients clients = new StreamClients(new InetSocketAddress(LOOPBACK, server.streamPort()), 5,
                Duration.ofMillis(20))) {
            clients.start();
            assertThat(clients.awaitConnected(Duration.ofSeconds(5))).isTrue();
            Thread.sleep(200);
            StreamSummary s = clients.summary();
            assertThat(s.alive()).as(s.toString()).isEqualTo(5);
            assertThat(s.servers()).containsExactly(Map.entry("rs7", 5));
            assertThat(s.replies()).isGreaterThanOrEqualTo(10);
            assertThat(clients.servers()).containsOnly("rs7");
        }
    }

    @Test
    void shouldCountResetWhenServerGoesAwayButNotOwnClose() throws Exception {
        RealServerServices server = RealServerServices.start("rs1", 0, 0);
        try (StreamClients clients = new StreamClients(new InetSocketAddress(LOOPBACK, server.streamPort()), 3,
            Duration.ofMillis(20))) {
            clients.start();
            assertThat(clients.awaitConnected(Duration.ofSeconds(5))).isTrue();
            server.close();
            awaitBroken(clients, 3);
            assertThat(clients.summary().reset()).as(clients.summary().toString()).isEqualTo(3);
        }
        try (RealServerServices other = RealServerServices.start("rs2", 0, 0);
            StreamClients clients = new StreamClients(new InetSocketAddress(LOOPBACK, other.streamPort()), 2,
                Duration.ofMillis(20))) {
            clients.start();
            assertThat(clients.awaitConnected(Duration.ofSeconds(5))).isTrue();
            clients.close();
            assertThat(clients.summary().alive()).as(clients.summary().toString()).isEqualTo(2);
        }
    }

    @Test
    void shouldCountServerChangedWhenNameOrSequenceChanges() throws Exception {
        // replies "rsA 1" then "rsB 2": the second comes from another server
        try (FakeServer fake = new FakeServer((n, seq) -> (seq == 1 ? "rsA " : "rsB ") + seq);
            StreamClients clients = new StreamClients(new InetSocketAddress(LOOPBACK, fake.port()), 1,
                Duration.ofMillis(10))) {
            clients.start();
            awaitBroken(clients, 1);
            assertThat(clients.summary().serverChanged()).isEqualTo(1);
            assertThat(clients.summary().servers()).containsOnlyKeys("rsA");
        }
        // same name, sequence restarts at 1 on the second line
        try (FakeServer fake = new FakeServer((n, seq) -> "rsA 1");
            StreamClients clients = new StreamClients(new InetSocketAddress(LOOPBACK, fake.port()), 1,
                Duration.ofMillis(10))) {
            clients.start();
            awaitBroken(clients, 1);
            assertThat(clients.summary().serverChanged()).isEqualTo(1);
        }
    }

    @Test
    void shouldCountTimeoutWhenServerStopsAnswering() throws Exception {
        try (FakeServer fake = new FakeServer((n, seq) -> seq == 1 ? "rsA 1" : null);
            StreamClients clients = new StreamClients(new InetSocketAddress(LOOPBACK, fake.port()), 1,
                Duration.ofMillis(10))) {
            clients.start();
            awaitBroken(clients, 1);
            assertThat(clients.summary().timeout()).isEqualTo(1);
            assertThat(clients.summary().replies()).isEqualTo(1);
        }
    }

    private static void awaitBroken(StreamClients clients, int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (clients.summary().broken() < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(clients.summary().broken()).as(clients.summary().toString()).isEqualTo(n);
    }

    /** A stream server whose reply to line {@code seq} is chosen by the test (null: never answer). */
    private static final class FakeServer implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 10, LOOPBACK);
        private final List<Socket> open = new ArrayList<>();
        private final Thread acceptor;

        FakeServer(BiFunction<Integer, Long, String> reply) throws IOException {
            acceptor = Thread.ofVirtual().start(() -> {
                try {
                    Socket s = socket.accept();
                    synchronized (open) {
                        open.add(s);
                    }
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
                        StandardCharsets.US_ASCII));
                    OutputStream out = s.getOutputStream();
                    long seq = 0;
                    while (in.readLine() != null) {
                        String r = reply.apply(0, ++seq);
                        if (r != null) {
                            out.write((r + "\n").getBytes(StandardCharsets.US_ASCII));
                            out.flush();
                        }
                    }
                } catch (IOException e) {
                    // closed by the test
                }
            });
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws Exception {
            socket.close();
            synchronized (open) {
                for (Socket s : open) {
                    s.close();
                }
            }
            acceptor.join(2000);
        }
    }
}
