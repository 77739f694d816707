package uvs.lab.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import uvs.lab.net.GatewayMode;
import uvs.lab.net.LabTopology;
import uvs.lab.net.RouteMode;
import uvs.lab.net.StreamSummary;
import uvs.lab.net.TrafficMain;
import uvs.lab.net.TrafficProcess;

/**
 * Masquerading (NAT) through a UVS director in the namespace lab (root only): the real servers' default route
 * is the NAT gateway address that d1 answers ARP/ND for; HTTP through the VIP works and the real servers see
 * the clients' own addresses.
 */
@Tag("root")
class NatE2eTest {
    private static final int STREAMS = 6;
    private static E2eLab lab;

    @BeforeAll
    static void bringUp() throws Exception {
        lab = E2eLab.open("nat", RouteMode.D1, GatewayMode.NAT);
        String rules = new Rules().service(false, LabTopology.HTTP_PORT, "rr", 0, "-m")
            .service(true, LabTopology.HTTP_PORT, "rr", 0, "-m")
            .service(false, LabTopology.STREAM_PORT, "rr", 0, "-m")
            .service(true, LabTopology.STREAM_PORT, "rr", 0, "-m").toString();
        lab.startDirectors(rules, "", List.of(LabTopology.NAT_GATEWAY4, LabTopology.NAT_GATEWAY6), false);
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    @ParameterizedTest(name = "IPv6 {0}")
    @ValueSource(booleans = {false, true})
    void shouldAnswerHttpFromRealServerWhenMasquerading(boolean v6) {
        String client = v6 ? LabTopology.CLIENT6 : LabTopology.CLIENT4;
        String body = lab.httpGet(client, "http://" + Rules.vip(v6, LabTopology.HTTP_PORT) + "/");
        assertThat(body).as("HTTP answer through the VIP%s", lab.diagnostics()).matches("rs[1-3]");
        int server = Integer.parseInt(body.substring(2));
        String listing = E2eLab.connections(lab.directors().d1());
        assertThat(ConnEntry.parse(listing)).as("d1 -L -n -c:\n%s%s", listing, lab.diagnostics())
            .anySatisfy(c -> {
                assertThat(ConnEntry.host(c.source())).isEqualTo(client);
                assertThat(c.destination()).isEqualTo(Rules.realServer(v6, server, LabTopology.HTTP_PORT));
            });
    }

    @ParameterizedTest(name = "IPv6 {0}")
    @ValueSource(booleans = {false, true})
    void shouldShowClientAddressesToRealServersWhenMasquerading(boolean v6) throws Exception {
        TrafficProcess streams = lab.streams(v6, STREAMS, STREAMS);
        try {
            StreamSummary s = E2eLab.report(streams);
            String why = "\n" + s + lab.diagnostics(streams);
            assertThat(s.alive()).as("streams alive%s", why).isEqualTo(STREAMS);
            assertThat(s.servers()).as("rr spread the streams%s", why).containsOnlyKeys("rs1", "rs2", "rs3");
            Set<String> expected = new HashSet<>();
            for (InetAddress a : LabTopology.clientSources(v6).subList(0, STREAMS)) {
                expected.add(a.getHostAddress());
            }
            Set<String> seen = new HashSet<>();
            for (int i = 1; i <= LabTopology.REAL_SERVERS; i++) {
                seen.addAll(lab.realServerPeers(i, LabTopology.STREAM_PORT));
            }
            // NAT rewrites only the destination: the servers' sockets must have the client sources as peers
            assertThat(normalized(seen)).as("peers of the real servers' stream sockets%s", why)
                .isEqualTo(normalized(expected));
        } finally {
            streams.send(TrafficMain.STOP);
        }
    }

    // one spelling per address (ss and InetAddress may differ in IPv6 zero compression)
    private static Set<String> normalized(Set<String> addresses) throws Exception {
        Set<String> out = new HashSet<>();
        for (String a : addresses) {
            out.add(InetAddress.getByName(a).getHostAddress());
        }
        return out;
    }
}
