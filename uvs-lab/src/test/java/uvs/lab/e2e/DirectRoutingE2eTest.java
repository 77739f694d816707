package uvs.lab.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import uvs.lab.demo.LabDirector;
import uvs.lab.net.GatewayMode;
import uvs.lab.net.LabTopology;
import uvs.lab.net.PersistenceSummary;
import uvs.lab.net.RouteMode;
import uvs.lab.net.TrafficMain;
import uvs.lab.net.TrafficProcess;

/**
 * Direct routing through a UVS director in the namespace lab (root only): HTTP to the IPv4 and IPv6 VIP is
 * answered by a real server, the director lists the connection, and persistence keeps each client source on
 * its real server across rounds.
 */
@Tag("root")
class DirectRoutingE2eTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static E2eLab lab;

    @BeforeAll
    static void bringUp() throws Exception {
        lab = E2eLab.open("dr", RouteMode.D1, GatewayMode.DR);
        String rules = new Rules().service(false, LabTopology.HTTP_PORT, "rr", 300, "-g")
            .service(true, LabTopology.HTTP_PORT, "rr", 300, "-g").toString();
        lab.startDirectors(rules, "", List.of(), false);
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    @ParameterizedTest(name = "IPv6 {0}")
    @ValueSource(booleans = {false, true})
    void shouldAnswerHttpFromRealServerAndListConnectionWhenDirectRouting(boolean v6) {
        String client = v6 ? LabTopology.CLIENT6 : LabTopology.CLIENT4;
        String body = lab.httpGet(client, "http://" + Rules.vip(v6, LabTopology.HTTP_PORT) + "/");
        assertThat(body).as("HTTP answer through the VIP%s", lab.diagnostics()).matches("rs[1-3]");

        LabDirector d1 = lab.directors().d1();
        String listing = E2eLab.connections(d1);
        int server = Integer.parseInt(body.substring(2));
        // the answering server's address is the connection's destination: the name ties the two together
        assertThat(ConnEntry.parse(listing))
            .as("d1 -L -n -c:\n%s%s", listing, lab.diagnostics())
            .anySatisfy(c -> {
                assertThat(ConnEntry.host(c.source())).isEqualTo(client);
                assertThat(c.virtual()).isEqualTo(Rules.vip(v6, LabTopology.HTTP_PORT));
                assertThat(c.destination()).isEqualTo(Rules.realServer(v6, server, LabTopology.HTTP_PORT));
            });
        String standby = E2eLab.connections(lab.directors().d2());
        assertThat(ConnEntry.parse(standby)).as("standby d2 (no sync) carried nothing:\n%s", standby).isEmpty();
    }

    @ParameterizedTest(name = "IPv6 {0}")
    @ValueSource(booleans = {false, true})
    void shouldKeepEveryClientOnItsRealServerWhenPersistent(boolean v6) throws Exception {
        TrafficProcess clients = lab.traffic(List.of("persistent", "--vip", v6 ? LabTopology.VIP6 : LabTopology.VIP4,
            "--sources", v6 ? LabTopology.CLIENT_SOURCES6 : LabTopology.CLIENT_SOURCES4, "--rounds", "2",
            "--pause-ms", "300"));
        PersistenceSummary first = PersistenceSummary.parse(clients.await(TrafficMain.ROUND, WAIT));
        PersistenceSummary second = PersistenceSummary.parse(clients.await(TrafficMain.ROUND, WAIT));
        clients.send(TrafficMain.STOP);
        String why = "\n" + first + "\n" + second + lab.diagnostics(clients);
        assertThat(first.answered()).as("round 1 answered%s", why).isEqualTo(LabTopology.CLIENT_SOURCE_COUNT);
        // rr over 100 new sources: every server gets clients, so "kept" below is not one server answering all
        assertThat(first.servers()).as("round 1 servers%s", why).containsOnlyKeys("rs1", "rs2", "rs3");
        assertThat(second.kept()).as("round 2 kept%s", why).isEqualTo(LabTopology.CLIENT_SOURCE_COUNT);
    }
}
