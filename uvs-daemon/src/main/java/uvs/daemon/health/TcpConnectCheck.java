package uvs.daemon.health;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/** TCP connect check: up when a connection is established within the timeout; it is closed at once. */
public final class TcpConnectCheck implements HealthCheck {
    private final InetSocketAddress target;
    private final InetSocketAddress source;
    private final Duration timeout;

    /** A check of {@code target}. */
    public TcpConnectCheck(InetSocketAddress target, Duration timeout) {
        this(target, null, timeout);
    }

    /** A check of {@code target} from local address {@code source} (null = any). */
    public TcpConnectCheck(InetSocketAddress target, InetSocketAddress source, Duration timeout) {
        this.target = target;
        this.source = source;
        this.timeout = timeout;
    }

    @Override
    public CheckResult run() {
        try (Socket s = CheckSockets.tcp(source)) {
            s.connect(target, Deadline.after(timeout).remainingMillis());
            return CheckResult.up("connected");
        } catch (IOException e) {
            return CheckResult.down("connect: " + LogText.describe(e));
        }
    }
}
