package uvs.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import uvs.core.Engine;
import uvs.core.EngineConfig;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceKey;
import uvs.ctl.model.DataPlaneSpec;
import uvs.ctl.model.DirectorConfig;
import uvs.ctl.model.EngineModel;
import uvs.ctl.model.FastPathChoice;
import uvs.ctl.model.PacketIoChoice;
import uvs.time.ManualClock;

/**
 * uvsd's files give one {@link DirectorConfig} whatever is given: the tunables alone land in it too, and so do
 * the data-plane settings, which are start-time settings a reload names instead of applying.
 */
class DesiredStateTest {
    private static final EngineConfig ENGINE = EngineConfig.defaults().withCapacity(1024, 64);
    private static final DataPlaneSpec ONE = new DataPlaneSpec(List.of("eth0"), List.of(), 64, 1, 3);

    @TempDir
    Path dir;

    @Test
    void shouldPutTheTunablesAloneInTheModelLeavingTheServicesToUvsadm() throws Exception {
        Path sysctl = Files.writeString(dir.resolve("sysctl"), "net.ipv4.vs.expire_nodest_conn = 1\n");
        UvsdConfig config = UvsdConfig.minimal(new ManualClock(), ENGINE, dir.resolve("sock")).withSysctl(sysctl);

        DaemonFiles files = DaemonFiles.load(config);

        DirectorConfig desired = files.desired();
        assertThat(desired.tunables().entries()).singleElement()
            .satisfies(e -> assertThat(e.name()).isEqualTo("net.ipv4.vs.expire_nodest_conn"));
        assertThat(desired.services()).isEmpty();
        assertThat(desired.checks()).isEmpty();
        assertThat(desired.healthConfig(new SplittableRandom(1)).checks()).isEmpty();
        assertThat(desired.dataPlane()).isNull();
        assertThat(files.services()).isEqualTo(-1);
        // a service uvsadm added is not the files' to remove: no rules, no changes
        Engine engine = new Engine(new ManualClock(), ENGINE);
        engine.addService(ServiceKey.of(IpProto.TCP, IpAddress.parse("10.0.0.1"), 80), ServiceConfig.of("rr"));
        assertThat(files.changes(EngineModel.of(engine))).isEmpty();
        assertThat(files.applyTo(engine)).isEmpty();
        assertThat(engine.services()).hasSize(1);
        assertThat(engine.tunables().expireNodestConn()).isEqualTo(1);
    }

    @Test
    void shouldCarryTheDataPlaneSettingsInTheModel() throws Exception {
        UvsdConfig config = UvsdConfig.minimal(new ManualClock(), ENGINE, dir.resolve("sock")).withDataPlane(ONE);

        assertThat(DaemonFiles.load(config).desired().dataPlane()).isEqualTo(ONE);
    }

    @Test
    void shouldNameEachDataPlaneSettingThatNeedsARestart() {
        assertThat(StartSettings.needingRestart(ONE, new DataPlaneSpec(List.of("eth0"), List.of(), 64, 1, 3)))
            .isEmpty();
        assertThat(StartSettings.needingRestart(null, null)).isEmpty();
        DataPlaneSpec other = new DataPlaneSpec(List.of("eth0", "eth1"), List.of(IpAddress.parse("10.0.0.1")), 32,
            2, 5, PacketIoChoice.AF_XDP, FastPathChoice.OFF, 1024);
        assertThat(StartSettings.needingRestart(ONE, other)).containsExactly(
            "interfaces (--interface): [eth0] -> [eth0, eth1]",
            "packet I/O (--io): AF_PACKET -> AF_XDP",
            "workers (--workers): 1 -> 2",
            "frames per burst (--burst): 64 -> 32",
            "queue length (--unres-qlen): 3 -> 5",
            "announced addresses (--announce): [] -> [10.0.0.1]",
            "fast path (--fast-path): AUTO -> OFF",
            "fast-path entries (--fast-path-entries): 262144 -> 1024");
        assertThat(StartSettings.needingRestart(null, ONE))
            .containsExactly("data plane: none (control plane only) -> on eth0");
    }
}
