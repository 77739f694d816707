package uvs.daemon.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import uvs.core.net.IpAddress;

class BirdConfigTest {
    private static final BgpSpec SPEC = new BgpSpec(List.of(IpAddress.parse("10.0.1.1"), IpAddress.parse("2001:db8:1::1")),
        65100, 65000, 100, 3, Path.of("/run/bird/bird.ctl"), Path.of("/run/uvs/bird/uvsd.conf"), "uvs-vip");

    @Test
    void shouldAnnounceEachVipThroughTheDeviceToThePeersOfItsFamily() {
        String text = BirdConfig.render(SPEC, Set.of(IpAddress.parse("192.0.2.100"), IpAddress.parse("2001:db8::100")));

        assertThat(text).isEqualTo("""
            # Written by uvsd: its BGP sessions and the virtual addresses it announces now.
            # Do not edit: uvsd rewrites this file and runs 'configure' when the set changes.
            protocol bfd uvs_bfd {
              interface "*" { min rx interval 100 ms; min tx interval 100 ms; multiplier 3; };
            }
            protocol static uvs_vips4 {
              ipv4;
              route 192.0.2.100/32 via "uvs-vip";
            }
            protocol static uvs_vips6 {
              ipv6;
              route 2001:db8::100/128 via "uvs-vip";
            }
            protocol bgp uvs_peer1 {
              local as 65100;
              neighbor 10.0.1.1 as 65000;
              bfd on;
              connect retry time 5;
              error wait time 1, 30;
              ipv4 { import none; export where proto = "uvs_vips4"; next hop self; };
            }
            protocol bgp uvs_peer2 {
              local as 65100;
              neighbor 2001:db8:1::1 as 65000;
              bfd on;
              connect retry time 5;
              error wait time 1, 30;
              ipv6 { import none; export where proto = "uvs_vips6"; next hop self; };
            }
            """);
    }

    @Test
    void shouldKeepTheSessionsAndAnnounceNothingWhenWithdrawn() {
        BgpSpec noBfd = new BgpSpec(List.of(IpAddress.parse("10.0.1.1")), 65100, 65000, 0, 0, SPEC.birdSocket(),
            SPEC.include(), SPEC.device());
        String text = BirdConfig.render(noBfd, Set.of());

        assertThat(text).doesNotContain("bfd").doesNotContain("route ")
            .contains("protocol static uvs_vips4 {\n  ipv4;\n}\n").contains("neighbor 10.0.1.1 as 65000;");
    }

    @Test
    void shouldBeAConfigurationBirdAccepts(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/bird")), "skipped: BIRD 2 is not installed (bin/uvs-setup)");
        Path include = Files.createDirectories(dir.resolve("uvs")).resolve("uvsd.conf");
        Files.writeString(include, BirdConfig.render(SPEC, Set.of(IpAddress.parse("192.0.2.100"))));
        Path main = dir.resolve("bird.conf");
        Files.writeString(main, "router id 10.0.1.2;\nprotocol device { }\ninclude \"" + include.getParent()
            + "/*.conf\";\n");
        // -p only parses the configuration: nothing is started
        Process p = new ProcessBuilder("bird", "-p", "-c", main.toString()).redirectErrorStream(true).start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
    }

    @Test
    void shouldRefuseBadSettingsNamingTheOption() {
        assertThatThrownBy(() -> new BgpSpec(List.of(), 1, 2, 0, 0, SPEC.birdSocket(), SPEC.include(), "x"))
            .hasMessage("BGP needs at least one --bgp-peer");
        assertThatThrownBy(() -> new BgpSpec(SPEC.peers(), 0, 2, 0, 0, SPEC.birdSocket(), SPEC.include(), "x"))
            .hasMessage("--bgp-as 0: expected an AS number from 1 to 4294967295");
        assertThatThrownBy(() -> new BgpSpec(SPEC.peers(), 1, 2, 100, 0, SPEC.birdSocket(), SPEC.include(), "x"))
            .hasMessage("--bfd multiplier 0: expected 1 to 255");
        assertThatThrownBy(() -> new BgpSpec(SPEC.peers(), 1, 2, 0, 0, SPEC.birdSocket(), SPEC.include(),
            "a-very-long-device")).hasMessageContaining("--bgp-device 'a-very-long-device'");
        assertThatThrownBy(() -> BgpSpec.parseBfd("fast")).hasMessageContaining("--bfd 'fast'");
        assertThat(BgpSpec.parseBfd("off")).containsExactly(0, 0);
        assertThat(BgpSpec.parseBfd("200,5")).containsExactly(200, 5);
    }
}
