package uvs.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import uvs.core.Decision;
import uvs.core.Engine;
import uvs.core.EngineConfig;
import uvs.core.IpvsException;
import uvs.core.PacketHeader;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceKey;
import uvs.ctl.view.EngineView;
import uvs.time.ManualClock;

class EngineGroupTest {
    private static final ServiceKey WEB = ServiceKey.of(IpProto.TCP, IpAddress.parse("10.0.0.1"), 80);
    private final List<Thread> threads = new ArrayList<>();
    private EngineGroup group;

    private EngineGroup start(int shards) {
        List<EngineAgent> agents = new ArrayList<>();
        for (int i = 0; i < shards; i++) {
            EngineAgent a = new EngineAgent(new Engine(new ManualClock(1_000_000_000L), EngineConfig.defaults()));
            agents.add(a);
            threads.add(TestAgents.start(a, a.idleStrategy()));
        }
        group = new EngineGroup(agents);
        return group;
    }

    @AfterEach
    void stop() throws InterruptedException {
        group.stop();
        for (Thread t : threads) {
            t.join(2000);
        }
    }

    @Test
    void shouldApplyEveryChangeToEveryShard() throws Exception {
        EngineGroup g = start(3);
        g.call(e -> e.addService(WEB, ServiceConfig.of("rr")), 5);
        g.call(e -> e.addDest(WEB, IpAddress.parse("10.0.1.1"), 80, RealServerConfig.of(2, ForwardMethod.ROUTE)), 5);
        List<Integer> weights = g.callEach(e -> e.service(WEB).dests()[0].weight(), 5);
        assertThat(weights).containsExactly(2, 2, 2);
    }

    @Test
    void shouldRefuseABadChangeOnEveryShardAlike() {
        EngineGroup g = start(2);
        assertThatThrownBy(() -> g.call(e -> e.addDest(WEB, IpAddress.parse("10.0.1.1"), 80,
            RealServerConfig.of(1, ForwardMethod.ROUTE)), 5)).isInstanceOf(IpvsException.class);
    }

    @Test
    void shouldListTheSumOfTheShards() throws Exception {
        EngineGroup g = start(2);
        g.call(e -> e.addService(WEB, ServiceConfig.of("rr")), 5);
        g.call(e -> e.addDest(WEB, IpAddress.parse("10.0.1.1"), 80, RealServerConfig.of(1, ForwardMethod.ROUTE)), 5);
        for (int shard = 0; shard < 2; shard++) {
            int client = 0xC0000201 + shard; // 192.0.2.1, 192.0.2.2: one connection on each shard
            g.agent(shard).call(e -> {
                PacketHeader p = new PacketHeader().ipv4(IpProto.TCP, client, 40000, 0x0A000001, 80);
                p.tcpFlags = PacketHeader.TCP_SYN;
                p.length = 60;
                return e.process(p, new Decision()).verdict;
            }, 5);
        }
        EngineView v = g.view(true, 5);
        assertThat(v.conns()).hasSize(2);
        assertThat(v.services().get(0).stats().conns()).isEqualTo(2);
        assertThat(v.services().get(0).dests().get(0).inactConns() + v.services().get(0).dests().get(0).activeConns())
            .isEqualTo(2);
    }
}
