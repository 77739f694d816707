package uvs.lab.bench;

/** Reads CPU times out of {@code /proc/PID/stat} and {@code /proc/stat} text (in clock ticks, USER_HZ = 100). */
public final class ProcStat {
    /** Clock ticks per second of the proc files on Linux x86-64. */
    public static final int TICKS_PER_SECOND = 100;

    private ProcStat() {}

    /**
     * utime + stime of a {@code /proc/PID/stat} or {@code /proc/PID/task/TID/stat} line (fields 14 and 15;
     * counted after the command name, which may itself hold spaces and parentheses).
     */
    public static long processTicks(String stat) {
        int end = stat.lastIndexOf(") ");
        if (end < 0) {
            throw new IllegalArgumentException("not a /proc/PID/stat line: " + abbreviate(stat));
        }
        String[] f = stat.substring(end + 2).strip().split("\\s+");
        // f[0] is field 3 (state): utime is field 14, stime field 15
        if (f.length < 13) {
            throw new IllegalArgumentException("/proc/PID/stat line with " + (f.length + 2) + " fields: " + abbreviate(stat));
        }
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /**
     * The aggregate {@code cpu} line of {@code /proc/stat}: user, nice, system, idle, iowait, irq, softirq,
     * steal in ticks (all cores together).
     */
    public static CpuTicks systemTicks(String procStat) {
        for (String line : procStat.split("\n")) {
            if (line.startsWith("cpu ")) {
                String[] f = line.substring(4).strip().split("\\s+");
                if (f.length < 8) {
                    throw new IllegalArgumentException("/proc/stat cpu line with " + f.length + " values: " + line);
                }
                long[] v = new long[8];
                for (int i = 0; i < 8; i++) {
                    v[i] = Long.parseLong(f[i]);
                }
                return new CpuTicks(v[0] + v[1], v[2], v[3] + v[4], v[5] + v[6], v[7]);
            }
        }
        throw new IllegalArgumentException("/proc/stat has no aggregate 'cpu ' line");
    }

    /**
     * System-wide CPU ticks by kind.
     *
     * @param user user and nice
     * @param system kernel outside interrupts
     * @param idle idle and iowait
     * @param interrupts irq and softirq (packet processing the kernel does outside a task's context)
     * @param steal time the hypervisor took
     */
    public record CpuTicks(long user, long system, long idle, long interrupts, long steal) {
        /** These ticks minus {@code before}. */
        public CpuTicks minus(CpuTicks before) {
            return new CpuTicks(user - before.user, system - before.system, idle - before.idle,
                interrupts - before.interrupts, steal - before.steal);
        }

        /** All ticks. */
        public long total() {
            return user + system + idle + interrupts + steal;
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
