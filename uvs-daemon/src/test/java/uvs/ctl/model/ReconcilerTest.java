package uvs.ctl.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import uvs.core.Engine;
import uvs.core.EngineConfig;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceKey;
import uvs.time.ManualClock;

/** The reconciler's diffs: hand-computed ones, their order, idempotence, and that a diff applied gives the target. */
class ReconcilerTest {
    private static final ServiceKey WEB = ServiceKey.of(IpProto.TCP, IpAddress.parse("10.0.0.1"), 80);
    private static final ServiceKey DNS = ServiceKey.of(IpProto.UDP, IpAddress.parse("10.0.0.1"), 53);
    private static final ServiceKey MAIL = ServiceKey.of(IpProto.TCP, IpAddress.parse("10.0.0.1"), 25);

    private static RealServerSpec rs(String addr, int port, int weight) {
        return new RealServerSpec(IpAddress.parse(addr), port, RealServerConfig.of(weight, ForwardMethod.MASQ), null);
    }

    private static ServiceSpec svc(ServiceKey key, String sched, RealServerSpec... servers) {
        return new ServiceSpec(key, ServiceConfig.of(sched), List.of(servers), null);
    }

    private static Engine engine() {
        return new Engine(new ManualClock(), EngineConfig.defaults().withCapacity(64, 64));
    }

    @Test
    void shouldOrderAddsBeforeEditsBeforeDeletes() {
        DirectorConfig current = DirectorConfig.of(List.of(
            svc(WEB, "rr", rs("10.1.0.1", 80, 1), rs("10.1.0.2", 80, 1)),
            svc(MAIL, "rr", rs("10.1.0.5", 25, 1))));
        DirectorConfig desired = DirectorConfig.of(List.of(
            svc(WEB, "wlc", rs("10.1.0.2", 80, 5), rs("10.1.0.3", 80, 1)),
            svc(DNS, "rr", rs("10.1.0.4", 53, 2))));

        List<Change> changes = Reconciler.diff(current, desired);

        RealServerConfig w1 = RealServerConfig.of(1, ForwardMethod.MASQ);
        assertThat(changes).containsExactly(
            new Change.AddService(DNS, ServiceConfig.of("rr")),
            new Change.EditService(WEB, ServiceConfig.of("wlc")),
            new Change.AddRealServer(WEB, IpAddress.parse("10.1.0.3"), 80, w1),
            new Change.AddRealServer(DNS, IpAddress.parse("10.1.0.4"), 53, RealServerConfig.of(2, ForwardMethod.MASQ)),
            new Change.EditRealServer(WEB, IpAddress.parse("10.1.0.2"), 80, RealServerConfig.of(5, ForwardMethod.MASQ)),
            new Change.DeleteRealServer(WEB, IpAddress.parse("10.1.0.1"), 80),
            new Change.DeleteService(MAIL));
    }

    @Test
    void shouldSetTimeoutsOnlyWhenTheyDiffer() {
        DirectorConfig current = new DirectorConfig(List.of(), new Timeouts(900, 120, 300), false, List.of());

        assertThat(Reconciler.diff(current, new DirectorConfig(List.of(), new Timeouts(900, 0, 0), false, List.of())))
            .isEmpty();
        assertThat(Reconciler.diff(current, new DirectorConfig(List.of(), new Timeouts(0, 60, 0), false, List.of())))
            .containsExactly(new Change.SetTimeouts(new Timeouts(0, 60, 0)));
        assertThat(Reconciler.diff(current, DirectorConfig.EMPTY)).isEmpty();
    }

    @Test
    void shouldFindNothingToChangeBetweenAConfigurationAndItself() {
        long seed = new SplittableRandom().nextLong();
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 200; i++) {
            DirectorConfig c = randomConfig(random);
            assertThat(Reconciler.diff(c, c)).as("seed %d", seed).isEmpty();
        }
    }

    @Test
    void shouldBringAnEngineFromAnyConfigurationToAnyOther() {
        long seed = new SplittableRandom().nextLong();
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 200; i++) {
            DirectorConfig a = randomConfig(random);
            DirectorConfig b = randomConfig(random);
            Engine engine = engine();
            EngineModel.apply(engine, Reconciler.diff(EngineModel.of(engine), a));
            assertThat(summary(EngineModel.of(engine))).as("seed %d", seed).isEqualTo(summary(a));

            EngineModel.apply(engine, Reconciler.diff(EngineModel.of(engine), b));

            DirectorConfig now = EngineModel.of(engine);
            assertThat(summary(now)).as("seed %d", seed).isEqualTo(summary(b));
            assertThat(Reconciler.diff(now, b)).as("seed %d", seed).isEmpty();
        }
    }

    @Test
    void shouldLeaveRealServersInTheOrderRestoreGives() {
        DirectorConfig want = DirectorConfig.of(List.of(svc(WEB, "rr", rs("10.1.0.1", 80, 1), rs("10.1.0.2", 80, 1),
            rs("10.1.0.3", 80, 1))));
        Engine engine = engine();

        EngineModel.apply(engine, Reconciler.diff(EngineModel.of(engine), want));

        // the engine lists the newest first, as after ipvsadm -R of the same lines
        assertThat(engine.service(WEB).dests()).extracting(d -> d.address().toString())
            .containsExactly("10.1.0.3", "10.1.0.2", "10.1.0.1");
        assertThat(EngineModel.of(engine).withoutLocations().services()).isEqualTo(want.services());
    }

    // services with their real servers, order of real servers aside (an edit keeps a server's place)
    private static Map<ServiceKey, Object> summary(DirectorConfig c) {
        Map<ServiceKey, Object> m = new HashMap<>();
        for (ServiceSpec s : c.services()) {
            Set<RealServerSpec> servers = new HashSet<>();
            s.realServers().forEach(r -> servers.add(r.withoutLocation()));
            m.put(s.key(), List.of(s.config(), servers));
        }
        return m;
    }

    private static DirectorConfig randomConfig(SplittableRandom random) {
        List<ServiceKey> keys = List.of(WEB, DNS, MAIL, ServiceKey.fwmark(7, uvs.core.net.Af.INET));
        String[] schedulers = {"rr", "wlc", "wrr", "sh"};
        List<ServiceSpec> services = new ArrayList<>();
        for (ServiceKey k : keys) {
            if (random.nextInt(3) == 0) {
                continue;
            }
            List<RealServerSpec> servers = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                if (random.nextBoolean()) {
                    servers.add(rs("10.2.0." + i, 8080, random.nextInt(4)));
                }
            }
            services.add(new ServiceSpec(k, ServiceConfig.of(schedulers[random.nextInt(schedulers.length)]), servers,
                null));
        }
        return DirectorConfig.of(services);
    }
}
