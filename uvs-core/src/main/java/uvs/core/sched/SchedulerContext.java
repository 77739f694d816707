package uvs.core.sched;

import java.util.random.RandomGenerator;
import uvs.time.Jiffies;
import uvs.time.NanoClock;

/**
 * What schedulers may need from their environment: time (lblc/lblcr), randomness (twos) and the
 * lblc/lblcr expiration tunables, read live.
 */
public interface SchedulerContext {
    /** Engine time in jiffies. */
    int nowJiffies();

    /** Random source (seeded in tests and the simulator). */
    RandomGenerator random();

    /** {@code lblc_expiration} in jiffies. */
    int lblcExpirationJiffies();

    /** {@code lblcr_expiration} in jiffies. */
    int lblcrExpirationJiffies();

    /** A fixed context for tests: the clock, a seeded random, 24 h expirations. */
    static SchedulerContext fixed(NanoClock clock, RandomGenerator random) {
        return new SchedulerContext() {
            @Override
            public int nowJiffies() {
                return Jiffies.fromNanos(clock.nanoTime());
            }

            @Override
            public RandomGenerator random() {
                return random;
            }

            @Override
            public int lblcExpirationJiffies() {
                return Jiffies.fromSeconds(86_400);
            }

            @Override
            public int lblcrExpirationJiffies() {
                return Jiffies.fromSeconds(86_400);
            }
        };
    }
}
