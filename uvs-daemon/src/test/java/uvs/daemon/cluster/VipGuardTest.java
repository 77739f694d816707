package uvs.daemon.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import uvs.core.net.IpAddress;

@Tag("root")
class VipGuardTest {
    @Test
    void shouldDropTcpUdpAndSctpToEachFamilysVipsInOneTransaction() {
        String script = VipGuard.script(Set.of(IpAddress.parse("192.0.2.100"), IpAddress.parse("192.0.2.7"),
            IpAddress.parse("2001:db8::100")));

        assertThat(script).isEqualTo("""
            table inet uvs_vip_guard {}
            delete table inet uvs_vip_guard
            table inet uvs_vip_guard {
              set vips4 { type ipv4_addr; elements = { 192.0.2.7, 192.0.2.100 }; }
              set vips6 { type ipv6_addr; elements = { 2001:db8::100 }; }
              chain prerouting {
                type filter hook prerouting priority raw; policy accept;
                meta l4proto { tcp, udp, sctp } ip daddr @vips4 drop
                meta l4proto { tcp, udp, sctp } ip6 daddr @vips6 drop
              }
            }
            """);
        assertThat(VipGuard.script(Set.of())).contains("set vips4 { type ipv4_addr; }");
    }

    @Test
    void shouldInstallReplaceAndKeepTheTableInANamespace() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "skipped: nftables in a namespace needs root");
        assumeTrue(run("nft", "--version") == 0, "skipped: nftables is not installed (bin/uvs-setup)");
        String ns = "uvs-t-guard-" + ProcessHandle.current().pid();
        assumeTrue(run("ip", "netns", "add", ns) == 0, "skipped: cannot create a network namespace");
        try {
            VipGuard guard = new VipGuard(List.of("ip", "netns", "exec", ns, "nft"));
            assertThat(guard.apply(Set.of(IpAddress.parse("10.201.0.1")))).isTrue();
            assertThat(guard.apply(Set.of(IpAddress.parse("10.201.0.1")))).as("unchanged: nft not run").isFalse();
            assertThat(guard.apply(Set.of(IpAddress.parse("10.201.0.2"), IpAddress.parse("fd00:201::1")))).isTrue();
            String table = output("ip", "netns", "exec", ns, "nft", "list", "table", "inet", VipGuard.TABLE);
            assertThat(table).contains("10.201.0.2").contains("fd00:201::1").doesNotContain("10.201.0.1")
                .contains("type filter hook prerouting priority raw; policy accept;");
            // a second guard (uvsd restarted) replaces the table left behind
            assertThat(new VipGuard(List.of("ip", "netns", "exec", ns, "nft")).apply(Set.of())).isTrue();
            assertThat(output("ip", "netns", "exec", ns, "nft", "list", "table", "inet", VipGuard.TABLE))
                .doesNotContain("10.201.0.2");
            VipGuard broken = new VipGuard(List.of("ip", "netns", "exec", ns + "-missing", "nft"));
            assertThatThrownBy(() -> broken.apply(Set.of(IpAddress.parse("10.201.0.1")))).isInstanceOf(IOException.class)
                .hasMessageContaining("nft refused the uvs_vip_guard table");
        } finally {
            run("ip", "netns", "del", ns);
        }
    }

    private static int run(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(10, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    private static String output(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }
}
