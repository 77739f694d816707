package uvs.daemon.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import uvs.core.Engine;
import uvs.core.EngineConfig;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServer;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceKey;
import uvs.ctl.health.CheckKind;
import uvs.ctl.health.CheckTiming;
import uvs.ctl.health.FailureAction;
import uvs.ctl.health.HealthCheckConfig;
import uvs.ctl.health.HealthConfig;
import uvs.ctl.health.SorryServer;
import uvs.daemon.EngineAgent;
import uvs.daemon.EngineGroup;
import uvs.daemon.TestAgents;
import uvs.time.ManualClock;
import uvs.time.NanoClock;
import uvs.time.SystemNanoClock;

/**
 * The checker against a real engine: real servers 10.2.2.x in the engine are checked at a loopback HTTP
 * server (paths /a, /b, ... answer the status the test sets) or by external commands.
 */
class HealthCheckerTest {
    private static final ServiceKey VS = ServiceKey.of(IpProto.TCP, IpAddress.parse("10.1.1.1"), 80);
    private static final IpAddress RA = IpAddress.parse("10.2.2.1");
    private static final IpAddress RB = IpAddress.parse("10.2.2.2");
    private static final IpAddress SORRY = IpAddress.parse("10.9.9.9");
    private static final IpAddress LOCAL = IpAddress.parse("127.0.0.1");
    private static final RealServerConfig W3 = RealServerConfig.of(3, ForwardMethod.ROUTE);

    @TempDir
    Path dir;
    private final ManualClock clock = new ManualClock();
    private final Engine engine = new Engine(clock, EngineConfig.defaults().withCapacity(1024, 64));
    private final EngineAgent agent = new EngineAgent(engine);
    private final Map<String, Integer> status = new ConcurrentHashMap<>();
    private HttpServer http;
    private HealthChecker checker;

    @BeforeEach
    void setUp() throws IOException {
        engine.addService(VS, ServiceConfig.of("wlc"));
        http = Loopback.http();
        http.createContext("/", x -> {
            x.sendResponseHeaders(status.getOrDefault(x.getRequestURI().getPath(), 404), -1);
            x.close();
        });
        http.start();
    }

    @AfterEach
    void tearDown() {
        if (checker != null) {
            checker.stop();
        }
        agent.stop();
        http.stop(0);
    }

    private static CheckTiming timing(int retries, Duration timeout) {
        return new CheckTiming(Duration.ofSeconds(10), timeout, retries, Duration.ofSeconds(1), Duration.ZERO);
    }

    private HealthCheckConfig httpCheck(IpAddress real, String path, RealServerConfig cfg, int retries) {
        return HealthCheckConfig.of(VS, real, 80, cfg, CheckKind.Http.get(path))
            .withConnectTo(LOCAL, http.getAddress().getPort())
            .withTiming(timing(retries, Duration.ofSeconds(2)));
    }

    private HealthChecker checker(List<HealthCheckConfig> checks, List<SorryServer> sorry, NanoClock c) {
        checker = new HealthChecker(new HealthConfig(checks, sorry), new EngineGroup(List.of(agent)), c);
        return checker;
    }

    private HealthChecker checker(HealthCheckConfig... checks) {
        return checker(List.of(checks), List.of(), clock);
    }

    // what the checker queued, applied
    private void drain() {
        for (int i = 0; i < 100 && agent.doWork() > 0; i++) {
            // the agent applies at most 64 tasks per cycle
        }
    }

    private List<StateChange> round() {
        List<StateChange> c = checker.runRound();
        drain();
        return c;
    }

    private RealServer dest(IpAddress a) {
        return engine.service(VS).findDest(a, 80);
    }

    @Test
    void shouldQuiesceAfterRetriesFailuresAndRestoreTheConfiguredWeight() {
        status.put("/a", 200);
        HealthCheckConfig a = httpCheck(RA, "/a", W3, 2);
        checker(a).reapply();
        drain();
        // the server starts up: the checker adds it with its configuration
        assertThat(dest(RA).weight()).isEqualTo(3);
        assertThat(round()).isEmpty();

        status.put("/a", 500);
        assertThat(round()).as("failure 1 of 2 changes nothing").isEmpty();
        assertThat(dest(RA).weight()).isEqualTo(3);
        assertThat(checker.counters().failures(0)).isEqualTo(1);
        assertThat(round()).containsExactly(
            new StateChange(a, ServerState.UP, ServerState.DOWN, 0, "status 500 not in 200-299"));
        assertThat(dest(RA).weight()).as("quiescent: weight 0, still listed").isZero();
        assertThat(engine.service(VS).destCount()).isEqualTo(1);

        status.put("/a", 200);
        assertThat(round()).containsExactly(new StateChange(a, ServerState.DOWN, ServerState.UP, 3, "status 200"));
        assertThat(dest(RA).weight()).isEqualTo(3);
        // 4 checks: ok, fail, fail, ok
        assertThat(checker.counters().snapshot()).containsExactly(
            new HealthCounters.ServerView(VS, RA, 80, ServerState.UP, 3, 4, 2, 2));
    }

    @Test
    void shouldRemoveWhenDownAndReAddWithItsConfiguration() {
        RealServerConfig cfg = RealServerConfig.of(2, ForwardMethod.MASQ).withThresholds(100, 50);
        engine.addDest(VS, RA, 80, cfg);
        HealthCheckConfig a = httpCheck(RA, "/a", cfg, 1).withFailureAction(FailureAction.REMOVE);
        checker(a).reapply();
        drain();

        status.put("/a", 503);
        assertThat(round()).extracting(StateChange::to).containsExactly(ServerState.DOWN);
        assertThat(dest(RA)).as("removed").isNull();
        assertThat(checker.counters().state(0)).isEqualTo(ServerState.DOWN);
        assertThat(checker.counters().weight(0)).isZero();

        status.put("/a", 200);
        assertThat(round()).extracting(StateChange::to).containsExactly(ServerState.UP);
        RealServer back = dest(RA);
        assertThat(back.weight()).isEqualTo(2);
        assertThat(back.forward()).isEqualTo(ForwardMethod.MASQ);
        assertThat(back.upperThreshold()).isEqualTo(100);
        assertThat(back.lowerThreshold()).isEqualTo(50);
    }

    @Test
    void shouldStartDownWhenConfiguredToAndComeUpOnTheFirstSuccess() {
        engine.addDest(VS, RA, 80, W3);
        status.put("/a", 200);
        checker(httpCheck(RA, "/a", W3, 3).withStartDown(true)).reapply();
        drain();
        assertThat(dest(RA).weight()).isZero();
        assertThat(checker.counters().state(0)).isEqualTo(ServerState.DOWN);
        assertThat(round()).extracting(StateChange::to).containsExactly(ServerState.UP);
        assertThat(dest(RA).weight()).isEqualTo(3);
    }

    @Test
    void shouldAddTheSorryServerWhenEveryRealServerIsDownAndRemoveItOnRecovery() {
        status.put("/a", 200);
        status.put("/b", 200);
        SorryServer sorry = SorryServer.of(VS, SORRY, 80, ForwardMethod.MASQ);
        checker(List.of(httpCheck(RA, "/a", W3, 1), httpCheck(RB, "/b", W3, 1)), List.of(sorry), clock).reapply();
        drain();
        assertThat(dest(SORRY)).isNull();

        status.put("/a", 500);
        round();
        assertThat(dest(SORRY)).as("one real server still up").isNull();

        status.put("/b", 500);
        round();
        assertThat(dest(SORRY).weight()).isEqualTo(1);
        assertThat(dest(SORRY).forward()).isEqualTo(ForwardMethod.MASQ);
        assertThat(dest(RA).weight()).isZero();
        assertThat(dest(RB).weight()).isZero();
        assertThat(checker.counters().sorryActive(VS)).isTrue();

        status.put("/b", 200);
        round();
        assertThat(dest(SORRY)).isNull();
        assertThat(dest(RB).weight()).isEqualTo(3);
        assertThat(checker.counters().sorryActive(VS)).isFalse();
    }

    @Test
    void shouldStartWithTheSorryServerWhenEveryRealServerStartsDown() {
        SorryServer sorry = SorryServer.of(VS, SORRY, 80, ForwardMethod.ROUTE);
        checker(List.of(httpCheck(RA, "/a", W3, 1).withStartDown(true)), List.of(sorry), clock).reapply();
        drain();
        assertThat(dest(SORRY).weight()).isEqualTo(1);
        status.put("/a", 200);
        round();
        assertThat(dest(SORRY)).isNull();
    }

    @Test
    void shouldFollowMiscDynamicWeights() throws IOException {
        Path code = dir.resolve("code");
        HealthCheckConfig a = HealthCheckConfig.of(VS, RA, 80, RealServerConfig.of(4, ForwardMethod.ROUTE),
            new CheckKind.External(List.of("sh", "-c", "exit $(cat " + code + ")"), true))
            .withTiming(timing(1, Duration.ofSeconds(5)));
        checker(a).reapply();
        drain();

        // exit 7: up with weight 7 - 2 = 5, a weight change, not a transition
        Files.writeString(code, "7");
        assertThat(round()).containsExactly(new StateChange(a, ServerState.UP, ServerState.UP, 5, "exit 7"));
        assertThat(dest(RA).weight()).isEqualTo(5);
        Files.writeString(code, "1");
        assertThat(round()).containsExactly(new StateChange(a, ServerState.UP, ServerState.DOWN, 0, "exit 1"));
        assertThat(dest(RA).weight()).isZero();
        // exit 0: the configured weight
        Files.writeString(code, "0");
        assertThat(round()).containsExactly(new StateChange(a, ServerState.DOWN, ServerState.UP, 4, "exit 0"));
        assertThat(dest(RA).weight()).isEqualTo(4);
        // exit 2: up with weight 0
        Files.writeString(code, "2");
        assertThat(round()).containsExactly(new StateChange(a, ServerState.UP, ServerState.UP, 0, "exit 2"));
        assertThat(dest(RA).weight()).isZero();
        assertThat(checker.counters().stateChanges(0)).isEqualTo(2);
        assertThat(checker.counters().state(0)).isEqualTo(ServerState.UP);
    }

    @Test
    void shouldRunOneRoundsChecksConcurrently() throws IOException {
        try (ServerSocket silent = Loopback.silent()) {
            List<HealthCheckConfig> slow = new ArrayList<>();
            for (int i = 1; i <= 4; i++) {
                slow.add(HealthCheckConfig.of(VS, IpAddress.parse("10.2.3." + i), 80, W3, CheckKind.Http.get("/"))
                    .withConnectTo(LOCAL, silent.getLocalPort())
                    .withTiming(timing(1, Duration.ofMillis(400))));
            }
            checker(slow, List.of(), clock);
            AtomicReference<List<StateChange>> changes = new AtomicReference<>();
            long ms = Loopback.millis(() -> changes.set(checker.runRound()));
            // four 400 ms timeouts: 1600 ms one after the other, about 400 ms side by side
            assertThat(ms).isLessThan(1_200);
            assertThat(changes.get()).hasSize(4).allMatch(c -> c.to() == ServerState.DOWN);
        }
    }

    @Test
    void shouldKeepCheckingAFastServerWhileASlowCheckHangs() throws Exception {
        status.put("/a", 200);
        Thread engineThread = TestAgents.start(agent, agent.idleStrategy());
        try (ServerSocket silent = Loopback.silent()) {
            HealthCheckConfig slow = HealthCheckConfig.of(VS, RB, 80, W3, CheckKind.Http.get("/"))
                .withConnectTo(LOCAL, silent.getLocalPort())
                .withTiming(timing(1, Duration.ofSeconds(20)));
            HealthCheckConfig fast = httpCheck(RA, "/a", W3, 1).withTiming(new CheckTiming(Duration.ofMillis(20),
                Duration.ofSeconds(1), 1, Duration.ZERO, Duration.ZERO));
            checker(List.of(slow, fast), List.of(), SystemNanoClock.INSTANCE).start();
            Loopback.await(() -> checker.counters().checks(1) >= 10, Duration.ofSeconds(5), "10 fast checks");
            assertThat(checker.counters().checks(0)).as("the slow check is still waiting for its answer").isZero();
            int weight = agent.call(e -> e.service(VS).findDest(RA, 80).weight(), 5);
            assertThat(weight).isEqualTo(3);
            long ms = Loopback.millis(checker::stop);
            assertThat(ms).as("stop interrupts the hanging check").isLessThan(3_000);
            assertThat(checker.counters().checks(0)).isZero();
        } finally {
            agent.stop();
            engineThread.join(2_000);
        }
    }

    @Test
    void shouldScheduleChecksByTheInjectedClock() throws IOException {
        Path code = dir.resolve("code");
        Files.writeString(code, "0");
        // warm-up 5 s, interval 30 s, down after 2 failures, 2 s before a retry
        HealthCheckConfig a = HealthCheckConfig.of(VS, RA, 80, W3,
            new CheckKind.External(List.of("sh", "-c", "exit $(cat " + code + ")"), false))
            .withTiming(new CheckTiming(Duration.ofSeconds(30), Duration.ofSeconds(5), 2, Duration.ofSeconds(2),
                Duration.ofSeconds(5)));
        HealthCounters n = checker(a).counters();
        assertThat(checker.dispatchDue()).isZero();
        clock.advanceSeconds(5);
        assertThat(checker.dispatchDue()).isEqualTo(1);
        Loopback.await(() -> n.checks(0) == 1, Duration.ofSeconds(5), "first check");
        clock.advanceSeconds(29);
        assertThat(checker.dispatchDue()).as("29 s after a success").isZero();
        Files.writeString(code, "1");
        clock.advanceSeconds(1);
        assertThat(checker.dispatchDue()).isEqualTo(1);
        Loopback.await(() -> n.checks(0) == 2, Duration.ofSeconds(5), "second check");
        assertThat(n.state(0)).isEqualTo(ServerState.UP);
        clock.advanceSeconds(1);
        assertThat(checker.dispatchDue()).as("1 s after a first failure").isZero();
        clock.advanceSeconds(1);
        assertThat(checker.dispatchDue()).isEqualTo(1);
        Loopback.await(() -> n.checks(0) == 3, Duration.ofSeconds(5), "third check");
        // the check is counted before its verdict changes the state: wait for the verdict, not just the count
        Loopback.await(() -> n.state(0) == ServerState.DOWN, Duration.ofSeconds(5), "down after the second failure");
        clock.advanceSeconds(29);
        assertThat(checker.dispatchDue()).as("down: the interval again").isZero();
    }

    @Test
    void shouldRetryAnEngineChangeTheAgentCouldNotTake() {
        status.put("/a", 200);
        checker(httpCheck(RA, "/a", W3, 1)).reapply();
        drain();
        int queued = 0;
        try {
            while (queued < 10_000) {
                agent.submit(e -> null);
                queued++;
            }
        } catch (IllegalStateException full) {
            // the queue is full: the state change below cannot be queued
        }
        status.put("/a", 500);
        assertThat(checker.runRound()).hasSize(1);
        drain();
        assertThat(dest(RA).weight()).as("the change was lost with the queue full").isEqualTo(3);
        assertThat(round()).as("no new state change").isEmpty();
        assertThat(dest(RA).weight()).as("re-applied with the next result").isZero();
    }

    @Test
    void shouldReapplyAfterAnOperatorChangeAndSkipMissingServices() {
        ServiceKey missing = ServiceKey.of(IpProto.TCP, IpAddress.parse("10.1.1.99"), 80);
        status.put("/a", 200);
        HealthCheckConfig other = HealthCheckConfig.of(missing, RA, 80, W3, CheckKind.Http.get("/a"))
            .withConnectTo(LOCAL, http.getAddress().getPort());
        checker(List.of(httpCheck(RA, "/a", W3, 1), other), List.of(), clock).reapply();
        drain();
        engine.deleteDest(VS, RA, 80);
        checker.reapply();
        drain();
        assertThat(dest(RA).weight()).isEqualTo(3);
        assertThat(engine.service(missing)).isNull();
        assertThat(agent.taskErrors()).isZero();
    }
}
