package uvs.time;

/** The real monotonic clock; the one place in UVS that reads the system timer. */
public final class SystemNanoClock implements NanoClock {
    /** Shared instance: the system clock has no state. */
    public static final SystemNanoClock INSTANCE = new SystemNanoClock();

    private SystemNanoClock() {
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }
}
