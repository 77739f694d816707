package uvs.ctl.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code uvsd --interface} with one or several interfaces, {@code --unres-qlen} and {@code --fast-path}. */
class DataPlaneSpecTest {
    @Test
    void shouldKeepTheInterfacesInTheirOrder() {
        DataPlaneSpec s = new DataPlaneSpec(List.of("eth0", "eth1"), List.of(), 64, 1, 3);
        assertThat(s.interfaces()).containsExactly("eth0", "eth1");
        assertThat(s.names()).isEqualTo("eth0,eth1");
    }

    @Test
    void shouldRefuseAnInterfaceNamedTwiceABadNameAndABadQueueLength() {
        assertThatThrownBy(() -> new DataPlaneSpec(List.of("eth0", "eth0"), List.of(), 64, 1, 3))
            .hasMessage("--interface: an interface is named twice in [eth0, eth0]");
        assertThatThrownBy(() -> new DataPlaneSpec(List.of("eth0", "a-name-longer-than-15"), List.of(), 64, 1, 3))
            .hasMessageContaining("1..15 characters");
        assertThatThrownBy(() -> new DataPlaneSpec(List.of(), List.of(), 64, 1, 3)).hasMessageContaining("--interface");
        assertThatThrownBy(() -> new DataPlaneSpec(List.of("eth0"), List.of(), 64, 1, -1))
            .hasMessage("--unres-qlen must be 0..256, got -1");
        assertThat(new DataPlaneSpec(List.of("eth0"), List.of(), 64, 1, 0).queueLength()).isZero();
    }

    @Test
    void shouldTakeTheFastPathOptionsAndRefuseBadOnes() {
        DataPlaneSpec s = new DataPlaneSpec(List.of("eth0"), List.of(), 64, 1, 3, PacketIoChoice.AF_XDP);
        assertThat(s.fastPath()).as("default").isEqualTo(FastPathChoice.AUTO);
        assertThat(s.fastPathEntries()).isEqualTo(262_144);
        assertThat(FastPathChoice.parse("off")).isEqualTo(FastPathChoice.OFF);
        assertThatThrownBy(() -> FastPathChoice.parse("yes"))
            .hasMessage("--fast-path must be auto, on or off, got 'yes'");
        assertThatThrownBy(() -> new DataPlaneSpec(List.of("eth0"), List.of(), 64, 1, 3, PacketIoChoice.AF_XDP,
            FastPathChoice.ON, 0)).hasMessage("--fast-path-entries must be 1..16777216, got 0");
    }
}
