package uvs.daemon;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;

/** Sends one uvsadm request to uvsd's control socket and returns the reply. */
public final class UvsadmClient {
    private UvsadmClient() {
    }

    /**
     * One round trip.
     *
     * @throws IOException when the socket cannot be reached (the message names the path)
     */
    public static ControlProtocol.Reply send(Path socket, List<String> args, byte[] stdin) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
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
            } catch (java.io.EOFException e) {
                throw new IOException("uvsd at " + socket + " closed the connection without an answer", e);
            }
        }
    }
}
