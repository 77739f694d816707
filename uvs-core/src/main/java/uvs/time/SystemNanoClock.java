package uvs.time;

/**
 * The real monotonic clock, injected into everything whose behaviour depends on time (engine, sync, data plane,
 * health checks), so that the simulator and tests can run them on a {@link ManualClock}. The few agents that only
 * pace themselves against real I/O (the control socket's client deadlines, the cluster agent's tick, the procfs
 * writer's period) read the system timer themselves.
 */
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
