package uvs.lab.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import uvs.core.net.IpAddress;
import uvs.ctl.importer.ImportResult;
import uvs.ctl.importer.KeepalivedImporter;
import uvs.ctl.importer.SyncFollow;
import uvs.lab.demo.KeepalivedServices;

class ClusterConfigsTest {
    private static final Path CHECK = Path.of("..", "packaging", "keepalived", "uvsd-check").toAbsolutePath();
    private static final String RULES = """
        -A -t 10.100.2.100:9000 -s wlc -p 300
        -a -t 10.100.2.100:9000 -r 10.100.1.11:9000 -g -w 1
        -a -t 10.100.2.100:9000 -r 10.100.1.12:9000 -g -w 1
        """;

    @Test
    void shouldGiveUvsdTheServicesAndASyncDaemonFollowingTheVrrpInstance(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("keepalived.conf");
        Files.writeString(conf, ClusterConfigs.keepalived(1, 150, 1, true, CHECK, dir.resolve("uvsd.state"),
            KeepalivedServices.fromRules(RULES)));

        ImportResult r = new KeepalivedImporter().importFile(conf);

        assertThat(r.hasErrors()).as(r.diagnostics().toString()).isFalse();
        assertThat(r.rules()).containsExactly("-A -t 10.100.2.100:9000 -s wlc -p 300",
            "-a -t 10.100.2.100:9000 -r 10.100.1.11:9000 -g -w 1", "-a -t 10.100.2.100:9000 -r 10.100.1.12:9000 -g -w 1");
        assertThat(r.syncFollow()).isEqualTo(new SyncFollow("VI_1", "eth0", IpAddress.parse(LabTopology.VIP4)));
        assertThat(r.syncDaemons()).hasSize(2).allMatch(s -> s.mcastInterface().equals("sync0") && s.syncid() == 1);
    }

    @Test
    void shouldBeAConfigurationKeepalivedAccepts(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/keepalived")), "skipped: keepalived is not installed "
            + "(bin/uvs-setup)");
        for (double advert : new double[] {1, 0.1}) {
            Path conf = dir.resolve("keepalived-" + advert + ".conf");
            Files.writeString(conf, ClusterConfigs.keepalived(2, 100, advert, true, CHECK, dir.resolve("uvsd.state"),
                KeepalivedServices.fromRules(RULES)));
            // -t checks the configuration and exits; the @uvs line is skipped as keepalived's config-id is not uvs
            Process p = new ProcessBuilder("keepalived", "-t", "-f", conf.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("advert_int %s: %s", advert, out).isZero();
        }
    }

    @Test
    void shouldShipAKeepalivedExampleThatBothKeepalivedAndUvsdRead(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("keepalived.conf");
        Files.writeString(conf, Files.readString(Path.of("..", "packaging", "keepalived", "keepalived.conf"))
            .replace("/usr/lib/uvs/uvsd-check", CHECK.toString()));

        ImportResult r = new KeepalivedImporter().importFile(conf);
        assertThat(r.hasErrors()).as(r.diagnostics().toString()).isFalse();
        assertThat(r.syncFollow()).isEqualTo(new SyncFollow("VI_1", "eth0", IpAddress.parse("192.0.2.100")));
        assertThat(r.rules()).contains("-A -t 192.0.2.100:80 -s wlc -p 300");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/keepalived")), "skipped: keepalived is not installed");
        Process p = new ProcessBuilder("keepalived", "-t", "-f", conf.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    @Test
    void shouldGiveBirdsRouterAndDirectorConfigurationsItAccepts(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/bird")), "skipped: BIRD 2 is not installed (bin/uvs-setup)");
        Path router = dir.resolve("router.conf");
        Files.writeString(router, ClusterConfigs.birdRouter());
        Path director = dir.resolve("director.conf");
        Files.writeString(director, ClusterConfigs.birdDirector(1, Files.createDirectories(dir.resolve("d1"))));
        // the shipped director template includes /run/uvs/bird/*.conf: checked with that folder moved here
        Path template = dir.resolve("bird-director.conf");
        Files.writeString(template, Files.readString(Path.of("..", "packaging", "bird", "bird-director.conf"))
            .replace("/run/uvs/bird/", Files.createDirectories(dir.resolve("run")) + "/"));
        for (Path conf : new Path[] {router, director, Path.of("..", "packaging", "bird", "bird-router.conf"), template}) {
            Process p = new ProcessBuilder("bird", "-p", "-c", conf.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("%s: %s", conf, out).isZero();
        }
        assertThat(ClusterConfigs.birdRouter()).contains("merge paths yes").contains("neighbor 10.100.1.2 as 65100")
            .contains("neighbor fd00:100:1::3 as 65100");
    }
}
