package uvs.daemon.health;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import javax.net.ssl.SSLContext;

/**
 * A loopback TCP server that answers each line-based conversation with a script: for every connection it
 * first sends {@code greeting}, then answers each line it reads with {@code answer.apply(line)} (null =
 * nothing). The lines read are kept.
 */
public final class ScriptedServer implements AutoCloseable {
    private final ServerSocket server;
    private final List<String> received = new CopyOnWriteArrayList<>();

    public ScriptedServer(String greeting, Function<String, String> answer) throws IOException {
        this(null, greeting, answer);
    }

    /** The same over TLS from the first byte with {@code tls}'s key (null: plain TCP). */
    public ScriptedServer(SSLContext tls, String greeting, Function<String, String> answer) throws IOException {
        server = tls == null ? new ServerSocket(0, 50, InetAddress.getLoopbackAddress())
            : tls.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    OutputStream out = s.getOutputStream();
                    out.write(greeting.getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
                        StandardCharsets.ISO_8859_1));
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        received.add(line);
                        String reply = answer.apply(line);
                        if (reply != null) {
                            out.write(reply.getBytes(StandardCharsets.ISO_8859_1));
                            out.flush();
                        }
                    }
                } catch (IOException closed) {
                    // next connection, or the server is closed
                }
            }
        });
    }

    /** The lines read so far, once there are at least {@code n} (or after 5 s: the check may have sent fewer). */
    public List<String> received(int n) {
        long end = System.nanoTime() + 5_000_000_000L;
        while (received.size() < n && System.nanoTime() - end < 0) {
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return List.copyOf(received);
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    public int port() {
        return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
