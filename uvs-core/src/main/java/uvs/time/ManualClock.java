package uvs.time;

/** A clock that moves only when told to: for tests and the simulator. */
public final class ManualClock implements NanoClock {
    private long nanos;

    /** Starts at {@code startNanos}. */
    public ManualClock(long startNanos) {
        this.nanos = startNanos;
    }

    /** Starts at one second (so that jiffies are positive). */
    public ManualClock() {
        this(1_000_000_000L);
    }

    @Override
    public long nanoTime() {
        return nanos;
    }

    /** Moves time forward by {@code deltaNanos}. */
    public void advanceNanos(long deltaNanos) {
        if (deltaNanos < 0) {
            throw new IllegalArgumentException("time cannot go backwards: " + deltaNanos);
        }
        nanos += deltaNanos;
    }

    /** Moves time forward by {@code millis} milliseconds. */
    public void advanceMillis(long millis) {
        advanceNanos(millis * 1_000_000L);
    }

    /** Moves time forward by {@code seconds} seconds. */
    public void advanceSeconds(long seconds) {
        advanceNanos(seconds * 1_000_000_000L);
    }
}
