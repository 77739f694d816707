package uvs.daemon.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TcpConnectCheckTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @Test
    void shouldBeUpWhenSomethingListens() throws IOException {
        try (ServerSocket s = Loopback.silent()) {
            CheckResult r = new TcpConnectCheck(new InetSocketAddress(Loopback.LOOPBACK, s.getLocalPort()), TIMEOUT).run();
            assertThat(r).isEqualTo(CheckResult.up("connected"));
        }
    }

    @Test
    void shouldBeDownWhenTheConnectionIsRefused() throws IOException {
        int port = Loopback.closedTcpPort();
        CheckResult r = new TcpConnectCheck(new InetSocketAddress(Loopback.LOOPBACK, port), TIMEOUT).run();
        assertThat(r.up()).isFalse();
        assertThat(r.detail()).startsWith("connect: ConnectException").contains("refused");
    }
}
