package uvs.time;

/**
 * The only source of time for UVS components: monotonic nanoseconds. Production uses
 * {@link SystemNanoClock}; tests and the simulator use {@link ManualClock}.
 */
@FunctionalInterface
public interface NanoClock {
    /** Monotonic time in nanoseconds (arbitrary origin). */
    long nanoTime();
}
