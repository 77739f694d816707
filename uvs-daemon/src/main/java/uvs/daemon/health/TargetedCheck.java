package uvs.daemon.health;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/** A check that talks to one address of the real server, from a source address if it has one, in a timeout. */
abstract class TargetedCheck implements HealthCheck {
    /** Where the check talks to. */
    final InetSocketAddress target;
    /** The local address it binds to, or null for any. */
    final InetSocketAddress source;
    /** How long one run may take. */
    final Duration timeout;

    TargetedCheck(InetSocketAddress target, InetSocketAddress source, Duration timeout) {
        this.target = target;
        this.source = source;
        this.timeout = timeout;
    }

    /** A TCP connection to the target, made and given its read timeout within {@code deadline}. */
    final Socket connect(Deadline deadline) throws IOException {
        Socket s = CheckSockets.tcp(source);
        try {
            s.connect(target, deadline.remainingMillis());
            s.setSoTimeout(deadline.remainingMillis());
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }
}
