package uvs.daemon.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.SocketException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceKey;
import uvs.ctl.health.CheckKind;
import uvs.ctl.health.CheckTiming;
import uvs.ctl.health.HealthCheckConfig;
import uvs.time.ManualClock;
import uvs.time.SystemNanoClock;

/**
 * keepalived's {@code ha_suspend}: a virtual service's checks run only while its address is on this host;
 * while suspended a real server keeps its state, failures and weight. Uses a fake view of the host's
 * addresses.
 */
class HaSuspendTest {
    private static final long T0 = 1_000_000_000L;
    private static final long SEC = 1_000_000_000L;
    private static final IpAddress VIP = IpAddress.parse("10.1.1.1");
    private static final ServiceKey VS = ServiceKey.of(IpProto.TCP, VIP, 80);
    private static final CheckTiming TIMING = new CheckTiming(Duration.ofSeconds(30), Duration.ofSeconds(1), 3,
        Duration.ofSeconds(2), Duration.ZERO);

    @Test
    void shouldSuspendTheCheckWhileTheVirtualAddressIsNotOnThisHostKeepingTheServersState() {
        Set<IpAddress> local = new HashSet<>();
        AtomicInteger runs = new AtomicInteger();
        HealthCheck inner = () -> {
            runs.incrementAndGet();
            return CheckResult.down("refused");
        };
        HealthCheckConfig c = HealthCheckConfig.of(VS, IpAddress.parse("10.2.2.1"), 80,
            RealServerConfig.of(4, ForwardMethod.ROUTE), new CheckKind.WhileLocal(new CheckKind.Tcp(), VIP))
            .withTiming(TIMING);
        RealServerHealth s = new RealServerHealth(0, c, new WhileLocalCheck(inner, local::contains, VIP), T0);

        // the VIP is here: one failure counted (1 of 3)
        local.add(VIP);
        assertThat(s.onResult(s.check.run(), T0)).isNull();
        assertThat(s.failures()).isEqualTo(1);
        // the VIP moved away: the check does not run, nothing changes, the next look is an interval later
        local.clear();
        for (int i = 1; i <= 5; i++) {
            CheckResult r = s.check.run();
            assertThat(r.suspended()).isTrue();
            assertThat(s.onResult(r, T0 + i * 30 * SEC)).isNull();
        }
        assertThat(runs).hasValue(1);
        assertThat(s.failures()).isEqualTo(1);
        assertThat(s.state()).isEqualTo(ServerState.UP);
        assertThat(s.engineWeight()).isEqualTo(4);
        assertThat(s.isDue(T0 + 180 * SEC - 1)).isFalse();
        // back: checking resumes from the failures it had
        local.add(VIP);
        assertThat(s.onResult(s.check.run(), T0 + 180 * SEC)).isNull();
        StateChange down = s.onResult(s.check.run(), T0 + 182 * SEC);
        assertThat(down.to()).isEqualTo(ServerState.DOWN);
        assertThat(runs).hasValue(3);
    }

    @Test
    void shouldBuildTheSuspendingCheckFromTheKind() {
        HealthCheckConfig c = HealthCheckConfig.of(VS, IpAddress.parse("127.0.0.1"), 9,
            RealServerConfig.of(1, ForwardMethod.ROUTE), new CheckKind.WhileLocal(new CheckKind.Tcp(), VIP));
        assertThat(HealthCheck.of(c, a -> false).run()).isEqualTo(
            CheckResult.suspended("suspended: 10.1.1.1 is not on this host"));
        assertThat(c.kind().isNetwork()).isTrue();
    }

    @Test
    void shouldReadTheHostsAddressesOncePerPeriodOfTheInjectedClockWhateverTheNumberOfChecks() {
        ManualClock clock = new ManualClock(T0);
        AtomicInteger reads = new AtomicInteger();
        Set<IpAddress> host = new HashSet<>(Set.of(VIP));
        HostAddresses view = new HostAddresses(clock, SEC, () -> {
            reads.incrementAndGet();
            return Set.copyOf(host);
        });
        for (int i = 0; i < 1000; i++) {
            assertThat(view.has(VIP)).isTrue();
        }
        assertThat(reads).hasValue(1);
        host.clear();
        clock.advanceNanos(SEC - 1);
        assertThat(view.has(VIP)).isTrue();
        assertThat(reads).hasValue(1);
        clock.advanceNanos(1);
        assertThat(view.has(VIP)).isFalse();
        assertThat(reads).hasValue(2);
        // however long the real time is, a clock that does not move reads nothing more
        for (int i = 0; i < 1000; i++) {
            assertThat(view.has(VIP)).isFalse();
        }
        assertThat(reads).hasValue(2);
        // a failed read keeps the last view
        HostAddresses failing = new HostAddresses(clock, SEC, () -> {
            if (reads.incrementAndGet() > 3) {
                throw new SocketException("no netlink");
            }
            return Set.of(VIP);
        });
        assertThat(failing.has(VIP)).isTrue();
        clock.advanceSeconds(1);
        assertThat(failing.has(VIP)).isTrue();
        assertThat(reads).hasValue(4);
    }

    @Test
    void shouldSeeTheLoopbackAddressOnThisHost() {
        assertThat(HostAddresses.of(SystemNanoClock.INSTANCE).has(IpAddress.parse("127.0.0.1"))).isTrue();
        // TEST-NET-1 is on no host; nothing is sent to it
        assertThat(HostAddresses.of(SystemNanoClock.INSTANCE).has(IpAddress.parse("192.0.2.1"))).isFalse();
    }
}
