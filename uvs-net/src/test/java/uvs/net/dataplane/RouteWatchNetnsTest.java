package uvs.net.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import uvs.core.net.Af;
import uvs.net.sys.NetnsFixture;
import uvs.net.sys.RouteTable;
import uvs.time.SystemNanoClock;

/** The route listener against a real kernel: routes and neighbours changed with ip(8) in a namespace of its own. */
@Tag("root")
class RouteWatchNetnsTest {
    private static final long BOUND_NANOS = 3_000_000_000L;

    @Test
    void shouldFollowRoutesAndNeighboursAddedAndRemovedInItsNamespace() throws Exception {
        try (NetnsFixture ns = NetnsFixture.create()) {
            ns.vethPair("t0", "t1");
            ns.ip("addr", "add", "10.200.1.1/24", "dev", "t0");
            int index = ns.ifIndex("t0");
            KernelNextHops hops = new KernelNextHops(List.of("t0"), RouteTable.of(List.of()));
            NeighbourTable neighbours = new NeighbourTable(64);
            // opened inside the namespace: the socket hears that namespace's tables whichever thread reads it
            RouteWatch watch = uvs.net.sys.Netns.call(ns.name, () -> new RouteWatch(List.of("t0"), new int[] {index},
                hops, List.of(neighbours), SystemNanoClock.INSTANCE));
            try {
                NextHops.Hop hop = new NextHops.Hop();
                awaitTrue(watch, () -> hops.lookup(Af.INET, 0, 0x0AC80107L, hop)); // the connected /24 from the dump
                assertThat(hop.port).isZero();
                assertThat(hops.lookup(Af.INET, 0, 0x0A090001L, hop)).isFalse();

                ns.ip("route", "add", "10.9.0.0/16", "via", "10.200.1.2", "dev", "t0");
                ns.ip("neigh", "add", "10.200.1.2", "lladdr", "02:00:00:00:00:09", "dev", "t0", "nud", "permanent");
                awaitTrue(watch, () -> hops.lookup(Af.INET, 0, 0x0A090001L, hop)
                    && neighbours.mac(Af.INET, 0, 0x0AC80102L) == 0x0200_0000_0009L);
                assertThat(hop.lo).isEqualTo(0x0AC80102L);

                ns.ip("route", "del", "10.9.0.0/16");
                ns.ip("neigh", "del", "10.200.1.2", "dev", "t0");
                awaitTrue(watch, () -> !hops.lookup(Af.INET, 0, 0x0A090001L, hop));
                awaitTrue(watch, () -> neighbours.shouldRequest(Af.INET, 0, 0x0AC80102L, System.nanoTime()));
                assertThat(watch.malformed()).isZero();
                assertThat(watch.resyncs()).isEqualTo(1);
            } finally {
                watch.onClose();
            }
        }
    }

    /** Polls the listener until {@code condition} holds, for at most {@link #BOUND_NANOS}. */
    private static void awaitTrue(RouteWatch watch, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + BOUND_NANOS;
        while (System.nanoTime() - end < 0) {
            watch.doWork();
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(10);
        }
        assertThat(condition.getAsBoolean()).as("within %d ms (changes %d, malformed %d: %s)", BOUND_NANOS / 1_000_000,
            watch.changes(), watch.malformed(), watch.lastProblem()).isTrue();
    }
}
