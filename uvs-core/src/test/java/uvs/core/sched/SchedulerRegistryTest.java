package uvs.core.sched;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SchedulerRegistryTest {
    private final SchedFixture f = new SchedFixture();
    private final SchedulerContext ctx = f.context(new SplittableRandom(3));

    @Test
    void shouldHoldAllFourteenIpvsSchedulers() {
        SchedulerRegistry r = SchedulerRegistry.defaultRegistry();
        assertThat(r.names()).containsExactly(
            "rr", "wrr", "lc", "wlc", "sed", "nq", "dh", "sh", "mh", "lblc", "lblcr", "fo", "ovf", "twos");
        for (String name : r.names()) {
            Scheduler s = r.create(name, f.svc, ctx);
            assertThat(s.name()).isEqualTo(name);
            assertThat(s.schedule(f.svc, f.pkt)).as(name + " on an empty service").isNull();
        }
    }

    @Test
    void shouldCreateFreshInstancePerService() {
        SchedulerRegistry r = SchedulerRegistry.defaultRegistry();
        assertThat(r.create("rr", f.svc, ctx)).isNotSameAs(r.create("rr", f.svc, ctx));
        assertThat(r.create("mh", f.svc, ctx)).isInstanceOf(MaglevHashScheduler.class);
    }

    @Test
    void shouldRefuseDuplicateName() {
        SchedulerRegistry r = SchedulerRegistry.defaultRegistry();
        assertThatThrownBy(() -> r.register("wlc", (svc, c) -> new WeightedLeastConnectionScheduler()))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("[wlc] scheduler already existed in the system");
    }

    @Test
    void shouldRefuseEmptyName() {
        SchedulerRegistry r = new SchedulerRegistry();
        assertThatThrownBy(() -> r.register("", (svc, c) -> new RoundRobinScheduler()))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("empty");
    }

    @Test
    void shouldReportUnknownNameAsKernelDoes() {
        SchedulerRegistry r = SchedulerRegistry.defaultRegistry();
        assertThat(r.contains("foo")).isFalse();
        assertThatThrownBy(() -> r.create("foo", f.svc, ctx))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("Scheduler module ip_vs_foo not found");
        // names are case-sensitive, as strcmp
        assertThatThrownBy(() -> r.create("WLC", f.svc, ctx)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldAcceptNewSchedulerUnderNewName() {
        SchedulerRegistry r = SchedulerRegistry.defaultRegistry();
        r.register("rr2", (svc, c) -> new RoundRobinScheduler());
        assertThat(r.contains("rr2")).isTrue();
        assertThat(r.names()).endsWith("rr2");
        assertThat(r.create("rr2", f.svc, ctx)).isInstanceOf(RoundRobinScheduler.class);
    }
}
