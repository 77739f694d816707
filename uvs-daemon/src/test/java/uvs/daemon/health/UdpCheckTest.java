package uvs.daemon.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import uvs.ctl.health.CheckKind;

class UdpCheckTest {
    private static final Duration TIMEOUT = Duration.ofMillis(300);
    private static final byte[] PING = "PING".getBytes(StandardCharsets.US_ASCII);
    private DatagramSocket server;

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
    }

    // answers every datagram with "PONG" followed by what it received
    private InetSocketAddress echo() throws IOException {
        server = new DatagramSocket(new InetSocketAddress(Loopback.LOOPBACK, 0));
        DatagramSocket s = server;
        Thread.ofVirtual().start(() -> {
            byte[] buf = new byte[2048];
            while (!s.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    s.receive(p);
                    byte[] reply = ("PONG" + new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII))
                        .getBytes(StandardCharsets.US_ASCII);
                    s.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
                } catch (IOException closed) {
                    return;
                }
            }
        });
        return (InetSocketAddress) s.getLocalSocketAddress();
    }

    // bound but never reads or answers
    private InetSocketAddress mute() throws IOException {
        server = new DatagramSocket(new InetSocketAddress(Loopback.LOOPBACK, 0));
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    private static InetSocketAddress closedPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(Loopback.LOOPBACK, 0))) {
            return (InetSocketAddress) s.getLocalSocketAddress();
        }
    }

    private static CheckResult check(InetSocketAddress target, boolean requireReply, String expect) {
        byte[] e = expect == null ? null : expect.getBytes(StandardCharsets.US_ASCII);
        return new UdpCheck(target, new CheckKind.Udp(PING, requireReply, e), TIMEOUT).run();
    }

    @Test
    void shouldBeUpWhenTheReplyStartsWithTheExpectedBytes() throws IOException {
        InetSocketAddress a = echo();
        // the echo answers "PONGPING": 8 bytes
        assertThat(check(a, true, "PONGPI")).isEqualTo(CheckResult.up("reply of 8 bytes"));
        assertThat(check(a, true, null)).isEqualTo(CheckResult.up("reply of 8 bytes"));
        assertThat(check(a, true, "PING")).isEqualTo(
            CheckResult.down("reply of 8 bytes does not start with the expected 4 bytes"));
        assertThat(check(a, true, "PONGPINGPONG").up()).isFalse();
    }

    @Test
    void shouldNeedAReplyOnlyWhenRequired() throws IOException {
        InetSocketAddress a = mute();
        assertThat(check(a, true, null)).isEqualTo(CheckResult.down("no reply within 300 ms"));
        assertThat(check(a, false, null)).isEqualTo(CheckResult.up("no reply and no ICMP error within 300 ms"));
    }

    @Test
    void shouldBeDownOnPortUnreachable() throws IOException {
        InetSocketAddress a = closedPort();
        assertThat(check(a, false, null)).isEqualTo(CheckResult.down("port unreachable"));
        assertThat(check(a, true, null)).isEqualTo(CheckResult.down("port unreachable"));
    }
}
