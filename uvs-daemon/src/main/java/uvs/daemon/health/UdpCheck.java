package uvs.daemon.health;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import uvs.ctl.health.CheckKind;

/**
 * UDP request/response check: one datagram from a connected socket, so that an ICMP port unreachable
 * reaches it. See {@link CheckKind.Udp} for what counts as up.
 */
public final class UdpCheck implements HealthCheck {
    private final InetSocketAddress target;
    private final CheckKind.Udp spec;
    private final byte[] payload;
    private final byte[] expect;
    private final Duration timeout;
    private final InetSocketAddress source;

    /** A check of {@code target} as {@code spec} says. */
    public UdpCheck(InetSocketAddress target, CheckKind.Udp spec, Duration timeout) {
        this(target, null, spec, timeout);
    }

    /** A check of {@code target} from local address {@code source} (null = any) as {@code spec} says. */
    public UdpCheck(InetSocketAddress target, InetSocketAddress source, CheckKind.Udp spec, Duration timeout) {
        this.target = target;
        this.source = source;
        this.spec = spec;
        this.payload = spec.payload();
        this.expect = spec.expect();
        this.timeout = timeout;
    }

    @Override
    public CheckResult run() {
        Deadline deadline = Deadline.after(timeout);
        try (DatagramSocket s = CheckSockets.udp(source)) {
            s.connect(target);
            s.send(new DatagramPacket(payload, payload.length));
            DatagramPacket reply = new DatagramPacket(new byte[CheckKind.Udp.MAX_PAYLOAD],
                CheckKind.Udp.MAX_PAYLOAD);
            try {
                s.setSoTimeout(deadline.remainingMillis());
                s.receive(reply);
            } catch (SocketTimeoutException e) {
                return spec.requireReply() ? CheckResult.down("no reply within " + timeout.toMillis() + " ms")
                    : CheckResult.up("no reply and no ICMP error within " + timeout.toMillis() + " ms");
            }
            if (expect != null && !startsWith(reply, expect)) {
                return CheckResult.down("reply of " + reply.getLength() + " bytes does not start with the expected "
                    + expect.length + " bytes");
            }
            return CheckResult.up("reply of " + reply.getLength() + " bytes");
        } catch (PortUnreachableException e) {
            return CheckResult.down("port unreachable");
        } catch (IOException e) {
            return CheckResult.down(LogText.describe(e));
        }
    }

    private static boolean startsWith(DatagramPacket p, byte[] prefix) {
        if (p.getLength() < prefix.length) {
            return false;
        }
        byte[] data = p.getData();
        int off = p.getOffset();
        for (int i = 0; i < prefix.length; i++) {
            if (data[off + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
