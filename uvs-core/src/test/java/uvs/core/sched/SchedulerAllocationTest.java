package uvs.core.sched;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import uvs.core.net.IpProto;
import uvs.core.svc.ServiceFlags;

/** schedule() is on the per-packet path: once warm (cache entries made), it must not allocate. */
class SchedulerAllocationTest {
    private static final ThreadMXBean THREADS =
        (ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void shouldMeasureAllocationsOfThisThread() {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        sink = new long[1024];
        assertThat(THREADS.getCurrentThreadAllocatedBytes() - before).isGreaterThanOrEqualTo(8 * 1024);
    }

    private static Object sink;

    static Iterable<String> names() {
        return SchedulerRegistry.defaultRegistry().names();
    }

    @ParameterizedTest
    @MethodSource("names")
    void shouldNotAllocateWhenScheduling(String name) {
        SchedFixture f = new SchedFixture(name);
        f.flags(ServiceFlags.SCHED1 | ServiceFlags.SCHED2);
        Scheduler s = f.use(SchedulerRegistry.defaultRegistry().create(name, f.svc, f.context(new SplittableRandom(5))));
        f.add("10.0.0.1", 1).counters(3, 10, 0);
        f.add("10.0.0.2", 2).overloaded(true);
        f.add("10.0.0.3", 0);
        f.add("10.0.0.4", 3).counters(1, 2, 0);
        run(f, s, 20_000); // warm up: JIT, and lblc/lblcr cache entries for the 64 addresses used
        long before = THREADS.getCurrentThreadAllocatedBytes();
        run(f, s, 10_000);
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        // any allocation per pick would be ≥ 16 bytes × 10000; the JVM itself may charge a few bytes
        // (e.g. during compilation or deoptimisation) to this thread
        assertThat(allocated).as("%s allocated bytes over 10000 picks", name).isLessThan(1000);
    }

    /** A batch of changes is settled before the next packet: the first pick after it builds nothing. */
    @ParameterizedTest
    @MethodSource("names")
    void shouldNotAllocateOnTheFirstPickAfterSettledChanges(String name) {
        SchedFixture f = new SchedFixture(name);
        Scheduler s = f.use(SchedulerRegistry.defaultRegistry().create(name, f.svc, f.context(new SplittableRandom(5))));
        f.add("10.0.0.1", 1);
        f.add("10.0.0.2", 2);
        run(f, s, 20_000);
        f.add("10.0.0.3", 1);
        f.add("10.0.0.4", 4);
        s.settle(f.svc);
        long before = THREADS.getCurrentThreadAllocatedBytes();
        run(f, s, 1);
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        // mh's rebuild alone allocates its work arrays (kilobytes); lblc/lblcr may make one cache entry
        assertThat(allocated).as("%s allocated bytes on the first pick after settle", name).isLessThan(200);
    }

    private static void run(SchedFixture f, Scheduler s, int count) {
        for (int i = 0; i < count; i++) {
            f.pkt.ipv4(IpProto.TCP, 0xC6336400 + (i & 63), 1024 + i, 0xC0000200 + (i & 63), 80);
            s.schedule(f.svc, f.pkt);
        }
    }
}
