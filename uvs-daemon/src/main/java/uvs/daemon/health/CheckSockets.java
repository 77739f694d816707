package uvs.daemon.health;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;

/** Sockets for checks, bound to the check's source address (keepalived {@code bindto}) when it has one. */
final class CheckSockets {
    private CheckSockets() {
    }

    /** An unconnected TCP socket, bound to {@code source} unless it is null. */
    static Socket tcp(InetSocketAddress source) throws IOException {
        Socket s = new Socket();
        if (source != null) {
            try {
                s.bind(source);
            } catch (IOException e) {
                s.close();
                throw new IOException("bind to " + source.getAddress().getHostAddress() + ": " + LogText.describe(e), e);
            }
        }
        return s;
    }

    /** A UDP socket, bound to {@code source} (or to any address when it is null). */
    static DatagramSocket udp(InetSocketAddress source) throws IOException {
        try {
            return source == null ? new DatagramSocket() : new DatagramSocket(source);
        } catch (IOException e) {
            throw new IOException((source == null ? "" : "bind to " + source.getAddress().getHostAddress() + ": ")
                + LogText.describe(e), e);
        }
    }
}
