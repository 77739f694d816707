package uvs.core.sched;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import uvs.core.net.IpProto;
import uvs.core.svc.RealServer;
import uvs.core.svc.ServiceFlags;

/**
 * sh, dh and mh build their table once before the next pick after any number of list changes, where the
 * kernel rebuilds it on every change: the picks must be the same. A table flushed after every change (the
 * kernel's way) and one flushed only at checkpoints see the same seeded adds, deletes and weight changes
 * (mh with a table smaller than the list, so that the kernel's "list too long: keep the table" case
 * happens in the middle of a batch), and must then give the same table and the same dest to every client.
 */
class LazyTableRebuildTest {
    private static final long SEED = 0x5eed_12bL;

    @Test
    void shouldChooseAsSourceHashingRebuiltOnEveryChange() {
        check("sh", f -> new SourceHashScheduler(f.svc), s -> ((SourceHashScheduler) s)::rebuildIfStale,
            (s, i) -> ((SourceHashScheduler) s).bucket(i), SourceHashScheduler.TAB_SIZE);
    }

    @Test
    void shouldChooseAsDestinationHashingRebuiltOnEveryChange() {
        check("dh", f -> new DestinationHashScheduler(f.svc), s -> ((DestinationHashScheduler) s)::rebuildIfStale,
            (s, i) -> ((DestinationHashScheduler) s).bucket(i), DestinationHashScheduler.TAB_SIZE);
    }

    @Test
    void shouldChooseAsMaglevRebuiltOnEveryChange() {
        check("mh", f -> new MaglevHashScheduler(f.svc, 251), s -> ((MaglevHashScheduler) s)::rebuildIfStale,
            (s, i) -> ((MaglevHashScheduler) s).slot(i), 251);
    }

    private interface Slot {
        RealServer at(Scheduler s, int i);
    }

    private static void check(String name, Function<SchedFixture, Scheduler> make,
        Function<Scheduler, Runnable> flush, Slot slot, int slots) {
        SplittableRandom rnd = new SplittableRandom(SEED);
        SchedFixture f = new SchedFixture(name);
        f.flags(ServiceFlags.SCHED1 | ServiceFlags.SCHED2);
        Scheduler eager = make.apply(f);
        Scheduler lazy = make.apply(f);
        Runnable eagerFlush = flush.apply(eager);
        // the fixture drives the lazy one; the eager one gets the same hooks and is flushed at once
        f.use(lazy);
        List<RealServer> dests = new ArrayList<>();
        int next = 0;
        int compared = 0;
        for (int op = 1; op <= 1200; op++) {
            int kind = rnd.nextInt(100);
            if (kind < 60 || dests.isEmpty()) {
                next++;
                RealServer d = f.add("10." + (next >> 8 & 255) + "." + (next & 255) + ".1", 80 + rnd.nextInt(3),
                    rnd.nextInt(5) == 0 ? 0 : 1 + rnd.nextInt(20));
                eager.onDestAdded(f.svc, d);
                dests.add(d);
            } else if (kind < 80) {
                RealServer d = dests.remove(rnd.nextInt(dests.size()));
                int idx = Arrays.asList(f.svc.dests()).indexOf(d);
                f.remove(d);
                eager.onDestRemoved(f.svc, d, idx);
            } else {
                RealServer d = dests.get(rnd.nextInt(dests.size()));
                f.weight(d, rnd.nextInt(4) == 0 ? 0 : 1 + rnd.nextInt(20));
                d.overloaded(rnd.nextInt(10) == 0);
                eager.onDestUpdated(f.svc, d);
            }
            eagerFlush.run();
            if (op % 97 == 0 || op == 1200) {
                for (int i = 0; i < slots; i++) {
                    assertThat(slot.at(lazy, i)).as("%s slot %d after %d changes (seed %d)", name, i, op, SEED)
                        .isSameAs(slot.at(eager, i));
                }
                for (int c = 0; c < 2000; c++) {
                    f.pkt.clear().ipv4(IpProto.TCP, 0xC6336400 + c * 7919, 1024 + c, 0x0A000001 + c * 131, 80);
                    RealServer want = eager.schedule(f.svc, f.pkt);
                    assertThat(lazy.schedule(f.svc, f.pkt)).as("%s client %d after %d changes (seed %d)", name, c,
                        op, SEED).isSameAs(want);
                }
                compared++;
            }
        }
        assertThat(compared).isEqualTo(13);
        if (name.equals("mh")) {
            // the list outgrew the table during a batch: the kernel's refusal was met on the way
            assertThat(f.svc.destCount()).isGreaterThan(slots);
        }
    }

    @Test
    void shouldBuildMaglevOnceForABatchOfAdds() {
        // 40 adds then one pick: the table is the one a fresh scheduler builds from the final list
        SchedFixture f = new SchedFixture("mh");
        MaglevHashScheduler lazy = f.use(new MaglevHashScheduler(f.svc));
        for (int i = 1; i <= 40; i++) {
            f.add("10.0.0." + i, i % 7 + 1);
        }
        MaglevHashScheduler fresh = new MaglevHashScheduler(f.svc);
        for (int i = 0; i < MaglevHashScheduler.DEFAULT_TABLE_SIZE; i++) {
            assertThat(lazy.slot(i)).isSameAs(fresh.slot(i));
        }
    }
}
