package uvs.daemon.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import uvs.core.Decision;
import uvs.core.Engine;
import uvs.core.EngineConfig;
import uvs.core.PacketHeader;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceKey;
import uvs.daemon.EngineAgent;
import uvs.daemon.EngineGroup;
import uvs.daemon.TestAgents;
import uvs.time.ManualClock;

/** The Prometheus endpoint on loopback: names, labels and values from a live engine. */
class MetricsServerTest {
    @Test
    void shouldExposeServiceAndRealServerCounters() throws Exception {
        Engine engine = new Engine(new ManualClock(), EngineConfig.defaults().withCapacity(1024, 64));
        ServiceKey http = ServiceKey.of(IpProto.TCP, IpAddress.parse("10.1.1.1"), 80);
        engine.addService(http, ServiceConfig.persistent("wlc", 300));
        engine.addDest(http, IpAddress.parse("10.2.2.1"), 80, RealServerConfig.of(3, ForwardMethod.ROUTE));
        PacketHeader p = new PacketHeader().ipv4(IpProto.TCP, 0x0a00_0001, 1000, 0x0a01_0101, 80);
        p.tcpFlags = PacketHeader.TCP_SYN;
        p.length = 60;
        engine.process(p, new Decision());
        EngineAgent agent = new EngineAgent(engine);
        Thread t = TestAgents.start(agent, agent.idleStrategy());
        try (MetricsServer server = new MetricsServer("127.0.0.1", 0, new EngineMetrics(new EngineGroup(List.of(agent))))) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
            String body = r.body();
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(body).contains("uvs_up 1.0")
                .contains("uvs_real_server_active_connections{server=\"10.2.2.1:80\",service=\"TCP 10.1.1.1:80\"} 1.0")
                .contains("uvs_real_server_persistent_connections{server=\"10.2.2.1:80\",service=\"TCP 10.1.1.1:80\"} 1.0")
                .contains("uvs_real_server_weight{server=\"10.2.2.1:80\",service=\"TCP 10.1.1.1:80\"} 3.0")
                .contains("uvs_service_connections_total{service=\"TCP 10.1.1.1:80\"} 1.0")
                .contains("uvs_service_in_bytes_total{service=\"TCP 10.1.1.1:80\"} 60.0")
                .contains("uvs_connection_table_entries{af=\"inet\"} 2.0")
                .contains("uvs_connection_table_capacity{af=\"inet\"} 1024.0")
                .contains("uvs_packet_drops_total{reason=\"conn_table_full\"} 0.0");
        } finally {
            agent.stop();
            t.join(2000);
        }
    }
}
