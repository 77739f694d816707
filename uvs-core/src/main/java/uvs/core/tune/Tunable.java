package uvs.core.tune;

import java.util.HashMap;
import java.util.Map;
import uvs.time.Jiffies;

/**
 * Descriptor of one {@code net.ipv4.vs.*} sysctl (spec §4): its name, how its value is parsed (the kernel's
 * proc handler), the allowed range, the default and a one-line description. The constants are in the
 * kernel's registration order (vs_vars, then the lblc and lblcr modules); conntrack and debug_level,
 * which exist only with CONFIG_IP_VS_NFCT / CONFIG_IP_VS_DEBUG, are always present here.
 */
public enum Tunable {
    AMEMTHRESH("amemthresh", Kind.INT, Integer.MIN_VALUE, Integer.MAX_VALUE, "1024",
        "free memory threshold (pages) below which the automatic defense modes switch on"),
    AM_DROPRATE("am_droprate", Kind.INT, Integer.MIN_VALUE, Integer.MAX_VALUE, "10",
        "drop_packet mode 3 drops one in this many connection-creating packets"),
    DROP_ENTRY("drop_entry", Kind.INT, 0, 3, "0",
        "random dropping of connection entries: 0 off, 1/2 automatic, 3 always"),
    DROP_PACKET("drop_packet", Kind.INT, 0, 3, "0",
        "dropping of connection-creating packets: 0 off, 1/2 automatic, 3 always"),
    CONNTRACK("conntrack", Kind.INT, Integer.MIN_VALUE, Integer.MAX_VALUE, "0",
        "keep netfilter conntrack entries for IPVS connections"),
    SECURE_TCP("secure_tcp", Kind.INT, 0, 3, "0",
        "TCP \"DoS\" state table: 0 off, 1/2 automatic, 3 always"),
    SNAT_REROUTE("snat_reroute", Kind.INT, Integer.MIN_VALUE, Integer.MAX_VALUE, "1",
        "re-route NAT replies as if they were locally originated"),
    SYNC_VERSION("sync_version", Kind.INT, 0, 1, "1",
        "sync message format the master sends"),
    SYNC_PORTS("sync_ports", Kind.POWER_OF_TWO, 1, 1 << 30, "1",
        "sync threads and ports, read when the first daemon starts (clamped to 64 then)"),
    SYNC_PERSIST_MODE("sync_persist_mode", Kind.INT, Integer.MIN_VALUE, Integer.MAX_VALUE, "0",
        "non-zero: sync persistence templates but not the connections they control"),
    SYNC_QLEN_MAX("sync_qlen_max", Kind.ULONG, 0, Long.MAX_VALUE, "8192",
        "unsent sync messages queued per master thread before further ones are dropped"),
    SYNC_SOCK_SIZE("sync_sock_size", Kind.INT, Integer.MIN_VALUE, Integer.MAX_VALUE, "0",
        "sync socket send/receive buffer request in bytes; 0 keeps the system default"),
    CACHE_BYPASS("cache_bypass", Kind.INT, Integer.MIN_VALUE, Integer.MAX_VALUE, "0",
        "fwmark service without an available server: forward to the original destination"),
    EXPIRE_NODEST_CONN("expire_nodest_conn", Kind.INT, Integer.MIN_VALUE, Integer.MAX_VALUE, "0",
        "expire a connection whose real server is gone at its next packet"),
    SLOPPY_TCP("sloppy_tcp", Kind.INT, Integer.MIN_VALUE, Integer.MAX_VALUE, "0",
        "any non-RST TCP packet may create a connection, not only SYN"),
    SLOPPY_SCTP("sloppy_sctp", Kind.INT, Integer.MIN_VALUE, Integer.MAX_VALUE, "0",
        "any SCTP packet not starting with ABORT may create a connection, not only INIT"),
    EXPIRE_QUIESCENT_TEMPLATE("expire_quiescent_template", Kind.INT, Integer.MIN_VALUE, Integer.MAX_VALUE,
        "0", "a persistence template whose real server has weight 0 is invalidated"),
    SYNC_THRESHOLD("sync_threshold", Kind.THRESHOLD, 0, Integer.MAX_VALUE, "3 50",
        "\"threshold period\": sync a connection when in_pkts % period == threshold"),
    SYNC_REFRESH_PERIOD("sync_refresh_period", Kind.SECONDS, -(Integer.MAX_VALUE / Jiffies.HZ),
        Integer.MAX_VALUE / Jiffies.HZ, "0",
        "seconds in which a connection is not synced again unless its state changes; 0 off"),
    SYNC_RETRIES("sync_retries", Kind.INT, 0, 3, "0",
        "extra sync messages for a connection within the refresh period"),
    NAT_ICMP_SEND("nat_icmp_send", Kind.INT, Integer.MIN_VALUE, Integer.MAX_VALUE, "0",
        "answer real-server NAT packets without a connection with ICMP port unreachable"),
    PMTU_DISC("pmtu_disc", Kind.INT, Integer.MIN_VALUE, Integer.MAX_VALUE, "1",
        "reject DF packets over the path MTU; 0 fragments tunnelled IPv4 instead"),
    BACKUP_ONLY("backup_only", Kind.INT, Integer.MIN_VALUE, Integer.MAX_VALUE, "0",
        "disable the director while a backup sync daemon runs"),
    CONN_REUSE_MODE("conn_reuse_mode", Kind.INT, Integer.MIN_VALUE, Integer.MAX_VALUE, "1",
        "bitmap: when a new SYN/INIT reschedules instead of reusing an old connection"),
    SCHEDULE_ICMP("schedule_icmp", Kind.INT, Integer.MIN_VALUE, Integer.MAX_VALUE, "0",
        "an ICMP error without a connection may create one through the scheduler"),
    IGNORE_TUNNELED("ignore_tunneled", Kind.INT, Integer.MIN_VALUE, Integer.MAX_VALUE, "0",
        "mark packets of unhandled protocols so they are not scheduled after decapsulation"),
    RUN_ESTIMATION("run_estimation", Kind.INT, Integer.MIN_VALUE, Integer.MAX_VALUE, "1",
        "0 suspends rate estimation"),
    EST_CPULIST("est_cpulist", Kind.CPULIST, 0, 0, "all",
        "CPUs of the rate estimator; an empty list stops estimation"),
    EST_NICE("est_nice", Kind.INT, -20, 19, "0",
        "nice value of the rate estimator threads"),
    DEBUG_LEVEL("debug_level", Kind.INT, Integer.MIN_VALUE, Integer.MAX_VALUE, "0",
        "log verbosity"),
    LBLC_EXPIRATION("lblc_expiration", Kind.SECONDS, -(Integer.MAX_VALUE / Jiffies.HZ),
        Integer.MAX_VALUE / Jiffies.HZ, "86400",
        "seconds after which an unused lblc cache entry is removed"),
    LBLCR_EXPIRATION("lblcr_expiration", Kind.SECONDS, -(Integer.MAX_VALUE / Jiffies.HZ),
        Integer.MAX_VALUE / Jiffies.HZ, "86400",
        "seconds after which an unused lblcr entry is removed or a server set drops a member");

    /** How a value is written and read, after the kernel's proc handler. */
    public enum Kind {
        /** One int in [min, max] (proc_dointvec, proc_dointvec_minmax, proc_do_defense_mode). */
        INT,
        /** One int ≥ 1 that is a power of two (proc_do_sync_ports). */
        POWER_OF_TWO,
        /** One non-negative integer (proc_doulongvec_minmax; capped at Long.MAX_VALUE here). */
        ULONG,
        /** Whole seconds in [min, max], stored as jiffies (proc_dointvec_jiffies). */
        SECONDS,
        /** sync_threshold: "threshold period", both in [min, max], threshold &lt; period unless period is 0. */
        THRESHOLD,
        /** A CPU list such as "0-1,3" (cpulist_parse); may be empty. */
        CPULIST
    }

    /** Prefix of the full sysctl names. */
    public static final String PREFIX = "net.ipv4.vs.";

    private static final String SLASH_PREFIX = "net/ipv4/vs/";
    private static final String PROC_PREFIX = "/proc/sys/net/ipv4/vs/";
    private static final Map<String, Tunable> BY_KEY = new HashMap<>();

    static {
        for (Tunable t : values()) {
            BY_KEY.put(t.key, t);
        }
    }

    private final String key;
    private final String fullName;
    private final Kind kind;
    private final long min;
    private final long max;
    private final String defaultValue;
    private final String description;

    Tunable(String key, Kind kind, long min, long max, String defaultValue, String description) {
        this.key = key;
        this.fullName = PREFIX + key;
        this.kind = kind;
        this.min = min;
        this.max = max;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    /**
     * The tunable called {@code name}: the file name ({@code sync_retries}), the full sysctl name
     * ({@code net.ipv4.vs.sync_retries}) or its slash forms ({@code net/ipv4/vs/sync_retries},
     * {@code /proc/sys/net/ipv4/vs/sync_retries}).
     *
     * @throws TunableException naming {@code name} if there is no such tunable
     */
    public static Tunable byName(String name) {
        String key = name.strip();
        if (key.startsWith(PREFIX)) {
            key = key.substring(PREFIX.length());
        } else if (key.startsWith(SLASH_PREFIX)) {
            key = key.substring(SLASH_PREFIX.length());
        } else if (key.startsWith(PROC_PREFIX)) {
            key = key.substring(PROC_PREFIX.length());
        }
        Tunable t = BY_KEY.get(key);
        if (t == null) {
            throw new TunableException("\"" + name + "\": no such tunable under " + PREFIX);
        }
        return t;
    }

    /** The file name under /proc/sys/net/ipv4/vs/, e.g. {@code sync_retries}. */
    public String key() {
        return key;
    }

    /** The sysctl name, e.g. {@code net.ipv4.vs.sync_retries}. */
    public String fullName() {
        return fullName;
    }

    /** How the value is parsed. */
    public Kind kind() {
        return kind;
    }

    /** Smallest allowed number (seconds for {@link Kind#SECONDS}, each value for THRESHOLD; 0 for CPULIST). */
    public long min() {
        return min;
    }

    /** Largest allowed number (seconds for {@link Kind#SECONDS}, each value for THRESHOLD; 0 for CPULIST). */
    public long max() {
        return max;
    }

    /** The default as it is written; "all" for est_cpulist means every CPU of the engine's machine. */
    public String defaultValue() {
        return defaultValue;
    }

    /** What the tunable does, in one line. */
    public String description() {
        return description;
    }

    /** The allowed values in words, as error messages show them (CPU lists add their CPU range). */
    public String allowed() {
        return switch (kind) {
            case INT, ULONG -> min + ".." + max;
            case POWER_OF_TWO -> "powers of two " + min + ".." + max;
            case SECONDS -> min + ".." + max + " seconds";
            case THRESHOLD -> "\"threshold period\", both " + min + ".." + max
                + ", threshold below period unless period is 0";
            case CPULIST -> "a CPU list such as \"0-1,3\"";
        };
    }
}
