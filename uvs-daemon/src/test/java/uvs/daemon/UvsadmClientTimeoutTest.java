package uvs.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** uvsadm gives up on a uvsd that takes the connection and never answers, with one line that says so. */
class UvsadmClientTimeoutTest {
    @TempDir
    Path dir;

    @Test
    void shouldGiveUpOnAUvsdThatAcceptsAndNeverAnswers() throws Exception {
        Path sock = dir.resolve("uvsd.sock");
        List<SocketChannel> held = new ArrayList<>();
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            // a stuck uvsd: takes the connection, reads nothing, writes nothing
            Thread stuck = Thread.ofPlatform().daemon().start(() -> {
                try {
                    held.add(server.accept());
                } catch (IOException e) {
                    // closed at the end of the test
                }
            });
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> UvsadmClient.send(sock, List.of("-L", "-n"), new byte[0], Duration.ofSeconds(1)))
                .isInstanceOf(IOException.class)
                .hasMessage("uvsd at " + sock + " did not answer within 1 s (it is busy or stuck)");
            double waited = (System.nanoTime() - t0) / 1e9;
            // bounded: it gave up after its timeout, not after uvsd's 30 s or never
            assertThat(waited).isBetween(0.9, 20.0);
            stuck.join(5_000);
            assertThat(held).hasSize(1);
        } finally {
            for (SocketChannel c : held) {
                c.close();
            }
        }
    }

    @Test
    void shouldWaitLongerThanUvsdsOwnEngineTimeoutByDefault() {
        // uvsd answers "did not answer in time" itself after 30 s: uvsadm must wait at least that long
        assertThat(UvsadmClient.TIMEOUT).isGreaterThan(Duration.ofSeconds(30)).isLessThanOrEqualTo(Duration.ofMinutes(2));
    }
}
