package uvs.lab.net;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The services of one lab real server: HTTP that names the server, and a stream service that answers each line
 * with the server's name and the line's sequence number on that connection ({@code rs1 7}).
 */
public final class RealServerServices implements AutoCloseable {
    /** Response header naming the real server that answered an HTTP request. */
    public static final String HEADER = "X-Real-Server";

    private final String name;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpServer http;
    private final ServerSocket stream;

    private RealServerServices(String name, HttpServer http, ServerSocket stream) {
        this.name = name;
        this.http = http;
        this.stream = stream;
    }

    /**
     * Starts both services on the wildcard address (IPv4 and IPv6); port 0 picks a free port.
     *
     * @throws IOException if a port cannot be bound
     */
    public static RealServerServices start(String name, int httpPort, int streamPort) throws IOException {
        if (name.isBlank() || name.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("real server name '" + name + "': expected one word");
        }
        HttpServer http = HttpServer.create(new InetSocketAddress(httpPort), 128);
        ServerSocket stream;
        try {
            stream = new ServerSocket(streamPort, 512);
        } catch (IOException e) {
            http.stop(0);
            throw e;
        }
        RealServerServices s = new RealServerServices(name, http, stream);
        http.createContext("/", s::answer);
        http.setExecutor(s.workers);
        http.start();
        s.workers.execute(s::acceptStreams);
        return s;
    }

    /** The name this server reports. */
    public String name() {
        return name;
    }

    /** The bound HTTP port. */
    public int httpPort() {
        return http.getAddress().getPort();
    }

    /** The bound stream-service port. */
    public int streamPort() {
        return stream.getLocalPort();
    }

    private void answer(HttpExchange x) throws IOException {
        byte[] body = (name + "\n").getBytes(StandardCharsets.US_ASCII);
        x.getResponseHeaders().add(HEADER, name);
        x.getResponseHeaders().add("Content-Type", "text/plain");
        x.sendResponseHeaders(200, body.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(body);
        }
    }

    private void acceptStreams() {
        while (!stream.isClosed()) {
            try {
                Socket s = stream.accept();
                workers.execute(() -> serveStream(s));
            } catch (IOException e) {
                // closed by close(), or a connection that died before accept finished: the loop condition decides
            }
        }
    }

    private void serveStream(Socket s) {
        try (s;
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            Writer out = new OutputStreamWriter(s.getOutputStream(), StandardCharsets.UTF_8)) {
            s.setTcpNoDelay(true);
            long seq = 0;
            while (in.readLine() != null) {
                seq++;
                out.write(name + " " + seq + "\n");
                out.flush();
            }
        } catch (IOException e) {
            // the client reset or went away: nothing to answer any more
        }
    }

    /** Stops both services. */
    @Override
    public void close() {
        http.stop(0);
        try {
            stream.close();
        } catch (IOException e) {
            // already closing: nothing left to release
        }
        workers.shutdownNow();
    }
}
