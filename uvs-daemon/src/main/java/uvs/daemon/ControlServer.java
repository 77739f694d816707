package uvs.daemon;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control socket of {@code uvsd}: a Unix domain socket (mode 0600) on which each connection carries
 * one {@link ControlProtocol.Request} and gets one reply. Only root peers (checked with SO_PEERCRED) may
 * use it, unless another user is allowed explicitly. One thread; a bad client never stops it.
 */
public final class ControlServer implements Runnable, AutoCloseable {
    /** Default socket path. */
    public static final String DEFAULT_PATH = "/run/uvs/control.sock";
    /** Environment variable naming another socket path (read by uvsd and uvsadm). */
    public static final String ENV = "UVS_CONTROL_SOCKET";
    /** Exit code and message for a refused peer, as ipvsadm words EPERM. */
    public static final String NOT_ROOT = "Permission denied (you must be root)";

    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);

    private final Path path;
    private final String allowedUser;
    private final Handler handler;
    private final ServerSocketChannel server;
    private volatile boolean running = true;

    /** Handles one request (on the server thread). */
    @FunctionalInterface
    public interface Handler {
        /** The reply to {@code request}. */
        ControlProtocol.Reply handle(ControlProtocol.Request request);
    }

    /**
     * Binds the socket at {@code path} (replacing a stale one) with mode 0600.
     *
     * @param allowedUser the one user name allowed besides root, or null
     */
    public ControlServer(Path path, String allowedUser, Handler handler) throws IOException {
        this.path = path;
        this.allowedUser = allowedUser;
        this.handler = handler;
        Path dir = path.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Files.deleteIfExists(path);
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
    }

    /** The socket path. */
    public Path path() {
        return path;
    }

    /** The socket path from {@code UVS_CONTROL_SOCKET}, or the default. */
    public static Path pathFromEnvironment() {
        String p = System.getenv(ENV);
        return Path.of(p == null || p.isBlank() ? DEFAULT_PATH : p);
    }

    @Override
    public void run() {
        while (running) {
            try (SocketChannel ch = server.accept()) {
                serve(ch);
            } catch (IOException e) {
                if (running) {
                    LOG.warn("control connection failed: {}", e.getMessage());
                }
            } catch (RuntimeException e) {
                LOG.error("control request failed", e);
            }
        }
    }

    private void serve(SocketChannel ch) throws IOException {
        DataOutputStream out = new DataOutputStream(Channels.newOutputStream(ch));
        // read the whole request before answering: closing with unread data would reset the connection
        ControlProtocol.Request req = null;
        String bad = null;
        try {
            req = ControlProtocol.readRequest(new DataInputStream(Channels.newInputStream(ch)));
        } catch (IOException e) {
            bad = "bad request: " + e.getMessage();
        }
        UnixDomainPrincipal peer = ch.getOption(ExtendedSocketOptions.SO_PEERCRED);
        String user = peer.user().getName();
        ControlProtocol.Reply reply;
        if (!"root".equals(user) && !user.equals(allowedUser)) {
            LOG.warn("control request from user {} refused", user);
            reply = ControlProtocol.Reply.error(2, NOT_ROOT);
        } else if (bad != null) {
            reply = ControlProtocol.Reply.error(2, bad);
        } else {
            reply = handler.handle(req);
        }
        ControlProtocol.writeReply(out, reply);
        ch.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        running = false;
        server.close();
        Files.deleteIfExists(path);
    }
}
