package uvs.daemon.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceKey;
import uvs.ctl.health.CheckKind;
import uvs.ctl.health.CheckTiming;
import uvs.ctl.health.FailureAction;
import uvs.ctl.health.HealthCheckConfig;

/** The per-server state machine and its schedule; times in seconds from T0. */
class RealServerHealthTest {
    private static final long T0 = 1_000_000_000L;
    private static final long SEC = 1_000_000_000L;
    private static final ServiceKey VS = ServiceKey.of(IpProto.TCP, IpAddress.parse("10.1.1.1"), 80);
    // interval 30 s, timeout 1 s, 3 failures before down, 2 s between retries, 5 s warm-up
    private static final CheckTiming TIMING = new CheckTiming(Duration.ofSeconds(30), Duration.ofSeconds(1), 3,
        Duration.ofSeconds(2), Duration.ofSeconds(5));
    private static final CheckResult OK = CheckResult.up("ok");
    private static final CheckResult FAIL = CheckResult.down("fail");

    private static RealServerHealth server(HealthCheckConfig c) {
        return new RealServerHealth(0, c, () -> OK, T0);
    }

    private static HealthCheckConfig config() {
        return HealthCheckConfig.of(VS, IpAddress.parse("10.2.2.1"), 80, RealServerConfig.of(4, ForwardMethod.ROUTE),
            new CheckKind.Tcp()).withTiming(TIMING);
    }

    @Test
    void shouldFirstCheckAfterWarmup() {
        RealServerHealth s = server(config());
        // warm-up 5 s: due at T0 + 5 s, not a nanosecond earlier
        assertThat(s.isDue(T0 + 5 * SEC - 1)).isFalse();
        assertThat(s.isDue(T0 + 5 * SEC)).isTrue();
        assertThat(s.nanosUntilDue(T0 + 3 * SEC)).isEqualTo(2 * SEC);
    }

    @Test
    void shouldGoDownOnlyAfterRetriesConsecutiveFailuresRetryingSooner() {
        RealServerHealth s = server(config());
        long t = T0 + 5 * SEC;
        assertThat(s.onResult(FAIL, t)).isNull();
        // failure 1 of 3: retry after delayBeforeRetry 2 s
        assertThat(s.isDue(t + 2 * SEC - 1)).isFalse();
        assertThat(s.isDue(t + 2 * SEC)).isTrue();
        assertThat(s.onResult(FAIL, t + 2 * SEC)).isNull();
        assertThat(s.failures()).isEqualTo(2);
        assertThat(s.state()).isEqualTo(ServerState.UP);
        StateChange c = s.onResult(FAIL, t + 4 * SEC);
        assertThat(c).isEqualTo(new StateChange(s.config, ServerState.UP, ServerState.DOWN, 0, "fail"));
        assertThat(c.isTransition()).isTrue();
        // down: next check after the 30 s interval, and further failures change nothing
        assertThat(s.isDue(t + 34 * SEC - 1)).isFalse();
        assertThat(s.onResult(FAIL, t + 34 * SEC)).isNull();
        assertThat(s.isDue(t + 64 * SEC - 1)).isFalse();
        assertThat(s.isDue(t + 64 * SEC)).isTrue();
    }

    @Test
    void shouldResetFailureCountOnSuccess() {
        RealServerHealth s = server(config());
        s.onResult(FAIL, T0);
        s.onResult(FAIL, T0 + SEC);
        assertThat(s.onResult(OK, T0 + 2 * SEC)).isNull();
        assertThat(s.failures()).isZero();
        // a success waits the interval
        assertThat(s.nanosUntilDue(T0 + 2 * SEC)).isEqualTo(30 * SEC);
        s.onResult(FAIL, T0 + 3 * SEC);
        s.onResult(FAIL, T0 + 4 * SEC);
        assertThat(s.state()).isEqualTo(ServerState.UP);
    }

    @Test
    void shouldComeBackAfterOneSuccessWithConfiguredWeight() {
        RealServerHealth s = server(config().withStartDown(true));
        assertThat(s.state()).isEqualTo(ServerState.DOWN);
        assertThat(s.engineWeight()).isZero();
        StateChange c = s.onResult(OK, T0);
        assertThat(c).isEqualTo(new StateChange(s.config, ServerState.DOWN, ServerState.UP, 4, "ok"));
        assertThat(s.engineConfig()).isEqualTo(RealServerConfig.of(4, ForwardMethod.ROUTE));
    }

    @Test
    void shouldQuiesceOrRemoveWhenDown() {
        RealServerHealth quiet = server(config().withStartDown(true));
        assertThat(quiet.engineConfig()).isEqualTo(RealServerConfig.of(0, ForwardMethod.ROUTE));
        RealServerHealth removed = server(config().withStartDown(true).withFailureAction(FailureAction.REMOVE));
        assertThat(removed.engineConfig()).isNull();
    }

    @Test
    void shouldReportDynamicWeightChangesWhileUpAsNonTransitions() {
        RealServerHealth s = server(config());
        StateChange c = s.onResult(CheckResult.upWithWeight(7, "exit 9"), T0);
        assertThat(c).isEqualTo(new StateChange(s.config, ServerState.UP, ServerState.UP, 7, "exit 9"));
        assertThat(c.isTransition()).isFalse();
        assertThat(s.onResult(CheckResult.upWithWeight(7, "exit 9"), T0 + SEC)).isNull();
        assertThat(s.onResult(OK, T0 + 2 * SEC).weight()).isEqualTo(4);
        // the dynamic weight survives a down period: recovery uses the weight the check asks for
        for (int i = 0; i < 3; i++) {
            s.onResult(FAIL, T0 + (3 + i) * SEC);
        }
        assertThat(s.onResult(CheckResult.upWithWeight(0, "exit 2"), T0 + 9 * SEC))
            .isEqualTo(new StateChange(s.config, ServerState.DOWN, ServerState.UP, 0, "exit 2"));
        assertThat(s.state()).isEqualTo(ServerState.UP);
    }
}
