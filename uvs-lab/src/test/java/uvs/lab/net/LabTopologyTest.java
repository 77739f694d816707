package uvs.lab.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Names and addresses derived from the lab prefix. */
class LabTopologyTest {
    @Test
    void shouldDeriveAllNamespaceNamesFromThePrefix() {
        LabTopology t = new LabTopology("uvst42");
        assertThat(t.namespaces()).containsExactly("uvst42-client", "uvst42-router", "uvst42-d1", "uvst42-d2",
            "uvst42-rs1", "uvst42-rs2", "uvst42-rs3");
        assertThat(t.stateDir()).hasToString("/run/uvs-lab/uvst42");
        assertThat(LabTopology.standard().client()).isEqualTo("uvs-client");
    }

    @Test
    void shouldKeepInterfaceNamesWithinFifteenCharacters() {
        for (String name : List.of(LabTopology.ETH, LabTopology.SYNC_IF, LabTopology.BRIDGE,
            LabTopology.ROUTER_CLIENT_IF, "d1", "rs3")) {
            assertThat(name.length()).as(name).isLessThanOrEqualTo(15);
        }
    }

    @Test
    void shouldRejectBadPrefixAndIndexWithMessage() {
        assertThatThrownBy(() -> new LabTopology("Uvs")).hasMessageContaining("lab prefix 'Uvs'");
        assertThatThrownBy(() -> new LabTopology("uvs-t")).hasMessageContaining("lab prefix 'uvs-t'");
        assertThatThrownBy(() -> new LabTopology("a23456789012345678")).hasMessageContaining("up to 15");
        assertThatThrownBy(() -> LabTopology.standard().director(3)).hasMessage("director 3: expected 1 to 2");
        assertThatThrownBy(() -> LabTopology.realServer4(0)).hasMessage("real server 0: expected 1 to 3");
    }

    @Test
    void shouldNumberDirectorAndRealServerAddresses() {
        assertThat(List.of(LabTopology.director4(1), LabTopology.director4(2), LabTopology.director6(2),
            LabTopology.sync4(2), LabTopology.realServer4(1), LabTopology.realServer4(3), LabTopology.realServer6(2)))
            .containsExactly("10.100.1.2", "10.100.1.3", "fd00:100:1::3", "10.100.3.2", "10.100.1.11",
                "10.100.1.13", "fd00:100:1::12");
    }

    @Test
    void shouldListOneHundredClientSourcesOfEachFamily() throws Exception {
        List<InetAddress> v4 = LabTopology.clientSources(false);
        List<InetAddress> v6 = LabTopology.clientSources(true);
        assertThat(v4).hasSize(100).startsWith(InetAddress.getByName("10.100.0.100"))
            .endsWith(InetAddress.getByName("10.100.0.199"));
        // 0x100 + 99 = 0x163
        assertThat(v6).hasSize(100).startsWith(InetAddress.getByName("fd00:100::100"))
            .endsWith(InetAddress.getByName("fd00:100::163"));
    }
}
