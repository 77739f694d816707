package uvs.daemon.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import uvs.core.Engine;
import uvs.core.EngineConfig;
import uvs.core.net.Af;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceKey;
import uvs.ctl.importer.SyncFollow;
import uvs.time.ManualClock;

class ClusterAgentTest {
    @Test
    void shouldReportRunningThenDrainingInTheStateFile(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("uvsd.state");
        ClusterSpec spec = new ClusterSpec(false, null, state, Duration.ZERO);
        try (ClusterAgent agent = new ClusterAgent(spec, ServiceVips::none, true, null, master -> { },
            ClusterAgent.noReport(), ClusterAgent.plainThread())) {
            assertThat(Files.readString(state)).endsWith(" running\n");
            agent.drain();
            assertThat(Files.readString(state)).endsWith(" draining\n");
            Thread.sleep(300);
            assertThat(Files.readString(state)).as("stays draining").endsWith(" draining\n");
            assertThat(agent.errors()).isZero();
        }
    }

    @Test
    void shouldFollowTheVrrpInstanceByItsAddressOnTheInterface() throws Exception {
        List<Boolean> roles = new CopyOnWriteArrayList<>();
        ClusterSpec none = new ClusterSpec(false, null, null, Duration.ZERO);
        // lo holds 127.0.0.1: the instance is MASTER; an address lo lacks: not MASTER; no such interface: not MASTER
        try (ClusterAgent agent = new ClusterAgent(none, ServiceVips::none, true,
            new SyncFollow("VI_1", "lo", IpAddress.parse("127.0.0.1")), roles::add, ClusterAgent.noReport(),
            ClusterAgent.plainThread())) {
            Thread.sleep(350);
            assertThat(roles).as("switched once, to master").containsExactly(true);
        }
        roles.clear();
        try (ClusterAgent agent = new ClusterAgent(none, ServiceVips::none, true,
            new SyncFollow("VI_1", "lo", IpAddress.parse("192.0.2.1")), roles::add, ClusterAgent.noReport(),
            ClusterAgent.plainThread())) {
            assertThat(roles).containsExactly(false);
        }
        roles.clear();
        try (ClusterAgent agent = new ClusterAgent(none, ServiceVips::none, true,
            new SyncFollow("VI_1", "uvs-t-nothing", IpAddress.parse("127.0.0.1")), roles::add, ClusterAgent.noReport(),
            ClusterAgent.plainThread())) {
            assertThat(roles).containsExactly(false);
        }
    }

    @Test
    void shouldCountAFailingDutyAndRetryIt() throws Exception {
        List<Boolean> attempts = new ArrayList<>();
        ClusterSpec none = new ClusterSpec(false, null, null, Duration.ZERO);
        try (ClusterAgent agent = new ClusterAgent(none, ServiceVips::none, true,
            new SyncFollow("VI_1", "lo", IpAddress.parse("127.0.0.1")), master -> {
                synchronized (attempts) {
                    attempts.add(master);
                }
                throw new IllegalStateException("sync daemon refused");
            }, ClusterAgent.noReport(), ClusterAgent.plainThread())) {
            Thread.sleep(350);
            assertThat(agent.errors()).isGreaterThanOrEqualTo(2);
            synchronized (attempts) {
                assertThat(attempts.size()).as("retried every tick").isGreaterThanOrEqualTo(2);
            }
        }
    }

    @Test
    void shouldCallAServiceAvailableOnlyWithARealServerOfPositiveWeight() {
        Engine e = new Engine(new ManualClock(), EngineConfig.defaults().withCapacity(1024, 1024));
        ServiceKey up = ServiceKey.of(IpProto.TCP, IpAddress.parse("192.0.2.1"), 80);
        ServiceKey quiescent = ServiceKey.of(IpProto.TCP, IpAddress.parse("192.0.2.2"), 80);
        ServiceKey empty = ServiceKey.of(IpProto.UDP, IpAddress.parse("2001:db8::3"), 53);
        for (ServiceKey k : List.of(up, quiescent)) {
            e.addService(k, ServiceConfig.of("rr"));
        }
        e.addService(empty, ServiceConfig.of("rr").withNetmask(128));
        e.addService(ServiceKey.fwmark(7, Af.INET), ServiceConfig.of("rr"));
        e.addDest(up, IpAddress.parse("10.0.0.1"), 80, RealServerConfig.defaults().withWeight(0));
        e.addDest(up, IpAddress.parse("10.0.0.2"), 80, RealServerConfig.defaults().withWeight(3));
        e.addDest(quiescent, IpAddress.parse("10.0.0.1"), 80, RealServerConfig.defaults().withWeight(0));

        ServiceVips v = ServiceVips.of(e.services());

        assertThat(v.all()).containsExactly(IpAddress.parse("192.0.2.1"), IpAddress.parse("192.0.2.2"),
            IpAddress.parse("2001:db8::3"));
        assertThat(v.available()).containsExactly(IpAddress.parse("192.0.2.1"));
    }
}
