package uvs.core.svc;

/** Virtual service flag bits (IP_VS_SVC_F_*). */
public final class ServiceFlags {
    /** Persistent service. */
    public static final int PERSISTENT = 0x0001;
    /** Hashed (kernel-internal; never set by UVS users). */
    public static final int HASHED = 0x0002;
    /** One-packet scheduling. */
    public static final int ONEPACKET = 0x0004;
    /** Scheduler flag 1: sh-fallback / mh-fallback / flag-1. */
    public static final int SCHED1 = 0x0008;
    /** Scheduler flag 2: sh-port / mh-port / flag-2. */
    public static final int SCHED2 = 0x0010;
    /** Scheduler flag 3: flag-3. */
    public static final int SCHED3 = 0x0020;
    /** All scheduler flag bits. */
    public static final int SCHED_MASK = SCHED1 | SCHED2 | SCHED3;

    private ServiceFlags() {
    }
}
