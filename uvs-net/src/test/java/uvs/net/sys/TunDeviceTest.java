package uvs.net.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("root")
class TunDeviceTest {
    @Test
    void shouldExistUpWhileHeldAndVanishWhenClosed() throws Exception {
        try (NetnsFixture ns = NetnsFixture.create()) {
            TunDevice tun = Netns.call(ns.name, () -> TunDevice.open("uvt0"));
            try {
                LinkInfo held = Netns.call(ns.name, () -> LinkInfo.of("uvt0"));
                assertThat(held.name()).isEqualTo("uvt0");
                Process p = new ProcessBuilder("ip", "-n", ns.name, "-o", "link", "show", "uvt0").start();
                String link = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
                assertThat(link).as("set up by uvsd").contains(",UP");
                // a second holder of the same name is refused: the name stays uvsd's
                assertThatThrownBy(() -> Netns.call(ns.name, () -> TunDevice.open("uvt0")))
                    .isInstanceOf(NativeException.class).hasMessageContaining("TUNSETIFF");
            } finally {
                tun.close();
            }
            assertThatThrownBy(() -> Netns.call(ns.name, () -> LinkInfo.of("uvt0")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no network interface uvt0");
        }
    }
}
