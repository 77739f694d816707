package uvs.daemon.health;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import uvs.ctl.health.CheckKind;

/**
 * RADIUS check (ldirectord service=radius, as Authen::Radius {@code check_pwd}): an Access-Request with
 * User-Name, the User-Password hidden with the shared secret (RFC 2865 5.2) and NAS-IP-Address; up only on
 * an Access-Accept whose Response Authenticator proves the same secret. Replies with another identifier
 * are skipped.
 */
public final class RadiusCheck extends TargetedCheck {
    private static final int ACCESS_REQUEST = 1;
    private static final int ACCESS_ACCEPT = 2;
    private static final int ACCESS_REJECT = 3;

    private final CheckKind.Radius spec;

    /** A check of {@code target} from {@code source} (null = any). */
    public RadiusCheck(InetSocketAddress target, InetSocketAddress source, CheckKind.Radius spec, Duration timeout) {
        super(target, source, timeout);
        this.spec = spec;
    }

    @Override
    public CheckResult run() {
        Deadline deadline = Deadline.after(timeout);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int id = random.nextInt(256);
        byte[] authenticator = new byte[16];
        random.nextBytes(authenticator);
        try (DatagramSocket s = CheckSockets.udp(source)) {
            s.connect(target);
            byte[] nas = s.getLocalAddress().getAddress().length == 4 ? s.getLocalAddress().getAddress()
                : new byte[] {127, 0, 0, 1};
            byte[] request = request(id, authenticator, nas);
            s.send(new DatagramPacket(request, request.length));
            byte[] buf = new byte[4096];
            while (true) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                s.setSoTimeout(deadline.remainingMillis());
                s.receive(p);
                int n = p.getLength();
                int length = n >= 20 ? (buf[2] & 0xff) << 8 | buf[3] & 0xff : -1;
                if (length < 20 || length > n || (buf[1] & 0xff) != id) {
                    continue;
                }
                if (!Arrays.equals(responseAuthenticator(buf, length, authenticator), Arrays.copyOfRange(buf, 4, 20))) {
                    return CheckResult.down("reply authenticator does not match: another secret?");
                }
                int code = buf[0] & 0xff;
                return code == ACCESS_ACCEPT ? CheckResult.up("Access-Accept")
                    : CheckResult.down(code == ACCESS_REJECT ? "Access-Reject" : "reply code " + code);
            }
        } catch (SocketTimeoutException e) {
            return CheckResult.down("no reply within " + timeout.toMillis() + " ms");
        } catch (PortUnreachableException e) {
            return CheckResult.down("port unreachable");
        } catch (IOException e) {
            return CheckResult.down(LogText.describe(e));
        }
    }

    /** The Access-Request: User-Name, hidden User-Password, NAS-IP-Address {@code nas}. */
    byte[] request(int id, byte[] authenticator, byte[] nas) {
        ByteArrayOutputStream attrs = new ByteArrayOutputStream();
        attribute(attrs, 1, spec.login().getBytes(StandardCharsets.UTF_8));
        attribute(attrs, 2, hide(spec.password().getBytes(StandardCharsets.UTF_8), authenticator));
        attribute(attrs, 4, nas);
        int length = 20 + attrs.size();
        ByteArrayOutputStream p = new ByteArrayOutputStream(length);
        p.write(ACCESS_REQUEST);
        p.write(id);
        p.write(length >> 8);
        p.write(length);
        p.writeBytes(authenticator);
        p.writeBytes(attrs.toByteArray());
        return p.toByteArray();
    }

    private static void attribute(ByteArrayOutputStream out, int type, byte[] value) {
        out.write(type);
        out.write(value.length + 2);
        out.writeBytes(value);
    }

    // RFC 2865 5.2: padded to 16 bytes, each block XOR MD5(secret + previous block)
    private byte[] hide(byte[] password, byte[] authenticator) {
        int len = Math.max(16, (password.length + 15) / 16 * 16);
        byte[] out = Arrays.copyOf(password, len);
        byte[] previous = authenticator;
        for (int at = 0; at < len; at += 16) {
            byte[] b = md5(spec.secret().getBytes(StandardCharsets.UTF_8), previous);
            for (int i = 0; i < 16; i++) {
                out[at + i] ^= b[i];
            }
            previous = Arrays.copyOfRange(out, at, at + 16);
        }
        return out;
    }

    // MD5(Code + Identifier + Length + Request Authenticator + Attributes + Secret)
    private byte[] responseAuthenticator(byte[] reply, int length, byte[] requestAuthenticator) {
        byte[] head = Arrays.copyOf(reply, 4);
        byte[] attrs = Arrays.copyOfRange(reply, 20, length);
        return md5(head, requestAuthenticator, attrs, spec.secret().getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] md5(byte[]... parts) {
        try {
            MessageDigest d = MessageDigest.getInstance("MD5");
            for (byte[] p : parts) {
                d.update(p);
            }
            return d.digest();
        } catch (NoSuchAlgorithmException e) {
            // every JDK provides MD5
            throw new IllegalStateException(e);
        }
    }
}
