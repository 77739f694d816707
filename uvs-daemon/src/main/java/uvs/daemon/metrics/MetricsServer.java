package uvs.daemon.metrics;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;

/** The Prometheus exposition endpoint of uvsd: {@code http://HOST:PORT/metrics}, localhost by default. */
public final class MetricsServer implements AutoCloseable {
    /** Default listen address. */
    public static final String DEFAULT_HOST = "127.0.0.1";

    private final HTTPServer server;

    /** Starts serving {@code collectors} on {@code host:port} (port 0 picks a free one). */
    public MetricsServer(String host, int port, MultiCollector... collectors) throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        for (MultiCollector c : collectors) {
            registry.register(c);
        }
        server = HTTPServer.builder().hostname(host).port(port).registry(registry).buildAndStart();
    }

    /** The port actually listened on. */
    public int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        server.close();
    }
}
