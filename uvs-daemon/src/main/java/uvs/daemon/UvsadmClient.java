package uvs.daemon;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends one uvsadm request to uvsd's control socket and returns the reply. The whole round trip is bounded
 * ({@link #TIMEOUT}): a uvsd that accepts and never answers gives an error, never a hung uvsadm.
 */
public final class UvsadmClient {
    /**
     * How long uvsadm waits for uvsd: longer than uvsd's own 30 s engine timeout, after which a busy uvsd
     * answers with an error itself.
     */
    public static final Duration TIMEOUT = Duration.ofSeconds(60);

    private UvsadmClient() {
    }

    /**
     * One round trip, bounded by {@link #TIMEOUT}.
     *
     * @throws IOException when the socket cannot be reached (the message names the path) or uvsd does not
     *     answer in time
     */
    public static ControlProtocol.Reply send(Path socket, List<String> args, byte[] stdin) throws IOException {
        return send(socket, args, stdin, TIMEOUT);
    }

    /**
     * One round trip that gives up after {@code timeout}.
     *
     * @throws IOException as {@link #send(Path, List, byte[])}
     */
    public static ControlProtocol.Reply send(Path socket, List<String> args, byte[] stdin, Duration timeout)
        throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            // blocking channel I/O has no timeout of its own: closing the channel ends a blocked connect,
            // write or read
            AtomicBoolean expired = new AtomicBoolean();
            Thread watchdog = Thread.ofVirtual().name("uvsadm-timeout").start(() -> {
                try {
                    Thread.sleep(timeout);
                    expired.set(true);
                    ch.close();
                } catch (InterruptedException | IOException e) {
                    // answered in time (interrupted), or already closed
                }
            });
            try {
                return roundTrip(ch, socket, args, stdin);
            } catch (IOException e) {
                if (expired.get()) {
                    throw new IOException("uvsd at " + socket + " did not answer within " + timeout.toSeconds()
                        + " s (it is busy or stuck)", e);
                }
                throw e;
            } finally {
                watchdog.interrupt();
            }
        }
    }

    private static ControlProtocol.Reply roundTrip(SocketChannel ch, Path socket, List<String> args, byte[] stdin)
        throws IOException {
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            throw new IOException("cannot reach uvsd at " + socket + " (" + e.getMessage()
                + "); is uvsd running? (set " + ControlServer.ENV + " for another path)", e);
        }
        try {
            ControlProtocol.writeRequest(new DataOutputStream(Channels.newOutputStream(ch)),
                new ControlProtocol.Request(args, stdin));
        } catch (IOException e) {
            // uvsd may answer (refuse) before reading everything: its reply is still there to read
        }
        try {
            return ControlProtocol.readReply(new DataInputStream(Channels.newInputStream(ch)));
        } catch (EOFException e) {
            throw new IOException("uvsd at " + socket + " closed the connection without an answer", e);
        }
    }
}
