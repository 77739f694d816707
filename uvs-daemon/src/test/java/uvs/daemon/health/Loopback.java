package uvs.daemon.health;

import static org.assertj.core.api.Assertions.fail;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import uvs.time.SystemNanoClock;

/** Servers on 127.0.0.1 ephemeral ports for the checks to talk to, and waiting helpers. */
final class Loopback {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private Loopback() {
    }

    /** An unstarted HTTP server on an ephemeral loopback port. */
    static HttpServer http() throws IOException {
        return HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
    }

    /** A listening socket that never accepts: connects succeed, nothing is ever answered. */
    static ServerSocket silent() throws IOException {
        return new ServerSocket(0, 50, LOOPBACK);
    }

    /** A loopback port nothing listens on (bound, then closed). */
    static int closedTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            return s.getLocalPort();
        }
    }

    /**
     * Serves {@code response} verbatim to every connection after reading its request head, then closes
     * the connection; stops when {@code server} is closed.
     */
    static void serveRaw(ServerSocket server, String response) {
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    readHead(s.getInputStream());
                    OutputStream out = s.getOutputStream();
                    out.write(response.getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                } catch (IOException closed) {
                    return;
                }
            }
        });
    }

    private static void readHead(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }

    /** Waits up to {@code max} for {@code condition}, failing with {@code what} otherwise. */
    static void await(BooleanSupplier condition, Duration max, String what) {
        long end = SystemNanoClock.INSTANCE.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (SystemNanoClock.INSTANCE.nanoTime() - end > 0) {
                fail("timed out after " + max + " waiting for " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for " + what);
            }
        }
    }

    /** Milliseconds {@code r} took. */
    static long millis(Runnable r) {
        long t0 = SystemNanoClock.INSTANCE.nanoTime();
        r.run();
        return (SystemNanoClock.INSTANCE.nanoTime() - t0) / 1_000_000L;
    }
}
