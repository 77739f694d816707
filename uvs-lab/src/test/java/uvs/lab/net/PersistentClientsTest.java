package uvs.lab.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** HTTP rounds from several loopback source addresses (all of 127/8 is local on Linux). */
class PersistentClientsTest {
    @Test
    void shouldRecordServerPerSourceAndKeepItInLaterRounds() throws Exception {
        List<InetAddress> sources = AddressRange.of("127.0.0.10", 5);
        try (RealServerServices server = RealServerServices.start("rs3", 0, 0)) {
            PersistentClients clients = new PersistentClients(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), server.httpPort()), sources);
            PersistenceSummary first = clients.round();
            assertThat(first).hasToString(
                "persistent: round 1, clients 5, answered 5, kept 5, changed 0, failed 0, servers rs3=5");
            assertThat(clients.firstAnswers()).containsEntry(sources.get(4), "rs3").hasSize(5);
            assertThat(clients.round().kept()).isEqualTo(5);
        }
    }

    @Test
    void shouldCountFailuresWhenNobodyListens() throws Exception {
        int port;
        try (RealServerServices gone = RealServerServices.start("rs1", 0, 0)) {
            port = gone.httpPort();
        }
        PersistentClients clients = new PersistentClients(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), port), AddressRange.of("127.0.0.20", 3));
        PersistenceSummary s = clients.round();
        assertThat(s.failed()).isEqualTo(3);
        assertThat(s.servers()).isEqualTo(Map.of());
    }
}
