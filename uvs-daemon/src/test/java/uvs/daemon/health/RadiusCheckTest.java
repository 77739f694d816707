package uvs.daemon.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import uvs.ctl.health.CheckKind;

/** RADIUS against a loopback server that checks alice/secret-pw with its own shared secret (RFC 2865). */
class RadiusCheckTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @Test
    void shouldBeUpOnlyOnAnAcceptSignedWithTheSecret() throws Exception {
        try (DatagramSocket server = new DatagramSocket(new InetSocketAddress(Loopback.LOOPBACK, 0))) {
            Thread.ofVirtual().start(() -> serve(server, "s3cret"));
            InetSocketAddress at = new InetSocketAddress(Loopback.LOOPBACK, server.getLocalPort());
            assertThat(check(at, "alice", "a much longer password than 16", "s3cret"))
                .isEqualTo(CheckResult.up("Access-Accept"));
            assertThat(check(at, "alice", "wrong", "s3cret")).isEqualTo(CheckResult.down("Access-Reject"));
            assertThat(check(at, "alice", "a much longer password than 16", "other"))
                .as("the server cannot read the password, and its reply does not verify")
                .isEqualTo(CheckResult.down("reply authenticator does not match: another secret?"));
        }
        try (DatagramSocket closed = new DatagramSocket(new InetSocketAddress(Loopback.LOOPBACK, 0))) {
            InetSocketAddress at = new InetSocketAddress(Loopback.LOOPBACK, closed.getLocalPort());
            closed.close();
            assertThat(check(at, "alice", "x", "s3cret").up()).isFalse();
        }
    }

    private static CheckResult check(InetSocketAddress at, String login, String password, String secret) {
        return new RadiusCheck(at, null, new CheckKind.Radius(login, password, secret), TIMEOUT).run();
    }

    // accepts alice with the long password, rejects anything else; signs replies with its secret
    private static void serve(DatagramSocket s, String secret) {
        byte[] buf = new byte[4096];
        byte[] key = secret.getBytes(StandardCharsets.UTF_8);
        while (!s.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                s.receive(p);
                byte[] req = Arrays.copyOf(buf, p.getLength());
                byte[] auth = Arrays.copyOfRange(req, 4, 20);
                String user = null;
                String password = null;
                for (int at = 20; at + 2 <= req.length; at += req[at + 1] & 0xff) {
                    byte[] v = Arrays.copyOfRange(req, at + 2, at + (req[at + 1] & 0xff));
                    if (req[at] == 1) {
                        user = new String(v, StandardCharsets.UTF_8);
                    } else if (req[at] == 2) {
                        byte[] prev = auth;
                        byte[] plain = new byte[v.length];
                        for (int i = 0; i < v.length; i += 16) {
                            byte[] b = md5(key, prev);
                            for (int j = 0; j < 16; j++) {
                                plain[i + j] = (byte) (v[i + j] ^ b[j]);
                            }
                            prev = Arrays.copyOfRange(v, i, i + 16);
                        }
                        int end = plain.length;
                        while (end > 0 && plain[end - 1] == 0) {
                            end--;
                        }
                        password = new String(plain, 0, end, StandardCharsets.UTF_8);
                    }
                }
                boolean ok = "alice".equals(user) && "a much longer password than 16".equals(password);
                byte[] reply = {(byte) (ok ? 2 : 3), req[1], 0, 20};
                byte[] sig = md5(reply, auth, key);
                byte[] out = Arrays.copyOf(reply, 20);
                System.arraycopy(sig, 0, out, 4, 16);
                s.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private static byte[] md5(byte[]... parts) {
        try {
            MessageDigest d = MessageDigest.getInstance("MD5");
            for (byte[] b : parts) {
                d.update(b);
            }
            return d.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
