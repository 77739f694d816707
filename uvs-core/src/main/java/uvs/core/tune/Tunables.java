package uvs.core.tune;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import uvs.time.Jiffies;

/**
 * The live {@code net.ipv4.vs.*} values of one engine (spec §4), written by name and text like the kernel's
 * proc handlers ({@link #set}, {@link #applyAll}) and read by the packet path through plain typed getters.
 *
 * <p><b>Threads.</b> An instance is confined to its engine's owner thread: the packet path reads it there,
 * and changes are applied there too: the control plane hands the engine a name and value (or a parsed
 * {@link SysctlFile}) and the engine calls {@link #set} / {@link #applyAll} between packets. So the fields
 * are plain, not volatile, and no other thread may call any method; to show the values elsewhere, take a
 * {@link #snapshot()} on the owner thread and pass that on.
 *
 * <p><b>Machine-dependent defaults.</b> {@code amemthresh} keeps the kernel's fixed 1024 pages, read by the
 * engine as 4 KiB pages of free connection-table entries. The kernel sizes {@code sync_qlen_max} as
 * nr_free_buffer_pages()/32 when the namespace is created; here it is a fixed 8192, the kernel's value on
 * a host with 1 GiB of free low memory, which caps a stuck master thread's queue near 8192 × 1472 B ≈ 11.5 MiB
 * of heap. {@code est_cpulist} defaults to every CPU of the machine (the kernel's housekeeping CPUs),
 * given as {@code cpus}; CPU lists are not intersected with the process's CPU affinity.
 *
 * <p><b>Differences from the kernel.</b> A refused write changes nothing (the kernel's sync_threshold
 * handler could keep the first of two values); values beyond the expected count are refused instead of
 * ignored; sync_qlen_max stops at Long.MAX_VALUE instead of 2^64-1.
 */
public final class Tunables {
    private final int cpus;

    private int amemthresh;
    private int amDroprate;
    private int dropEntry;
    private int dropPacket;
    private int conntrack;
    private int secureTcp;
    private int snatReroute;
    private int syncVersion;
    private int syncPorts;
    private int syncPersistMode;
    private long syncQlenMax;
    private int syncSockSize;
    private int cacheBypass;
    private int expireNodestConn;
    private int sloppyTcp;
    private int sloppySctp;
    private int expireQuiescentTemplate;
    private int syncThreshold;
    private int syncPeriod;
    private int syncRefreshPeriod;
    private int syncRetries;
    private int natIcmpSend;
    private int pmtuDisc;
    private int backupOnly;
    private int connReuseMode;
    private int scheduleIcmp;
    private int ignoreTunneled;
    private int runEstimation;
    private final BitSet estCpulist = new BitSet();
    private int estNice;
    private int debugLevel;
    private int lblcExpiration;
    private int lblcrExpiration;

    /** Defaults, with est_cpulist covering every processor the JVM sees. */
    public Tunables() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /**
     * Defaults on a machine of {@code cpus} CPUs (0..cpus-1), the universe of est_cpulist.
     *
     * @throws IllegalArgumentException if {@code cpus} is below 1
     */
    public Tunables(int cpus) {
        if (cpus < 1) {
            throw new IllegalArgumentException("cpus must be at least 1, got " + cpus);
        }
        this.cpus = cpus;
        for (Tunable t : Tunable.values()) {
            set(t, t.defaultValue());
        }
    }

    private Tunables(Tunables other) {
        this.cpus = other.cpus;
        copyFrom(other);
    }

    /** Full names ({@code net.ipv4.vs.amemthresh}, ...) in the kernel's registration order. */
    public static List<String> names() {
        List<String> names = new ArrayList<>();
        for (Tunable t : Tunable.values()) {
            names.add(t.fullName());
        }
        return Collections.unmodifiableList(names);
    }

    /**
     * Writes {@code value} to the tunable {@code name} (with or without the {@code net.ipv4.vs.} prefix, or
     * in the {@code net/ipv4/vs/x} form), parsed as the kernel's proc handler does.
     *
     * @throws TunableException if the name is unknown or the value invalid or out of range; nothing changes
     */
    public void set(String name, String value) {
        set(Tunable.byName(name), value);
    }

    /**
     * Writes {@code value} to {@code t}.
     *
     * @throws TunableException if the value is invalid or out of range; nothing changes
     */
    public void set(Tunable t, String value) {
        Objects.requireNonNull(value, "value");
        switch (t.kind()) {
            case INT, POWER_OF_TWO, ULONG, SECONDS -> store(t, ProcNumbers.readOne(t, value));
            case THRESHOLD -> setSyncThreshold(t, value);
            case CPULIST -> {
                BitSet cpuSet = Cpulist.parse(t, value, cpus);
                estCpulist.clear();
                estCpulist.or(cpuSet);
            }
        }
    }

    /** The value of {@code name} as reading its /proc file shows it (without the newline). */
    public String get(String name) {
        return get(Tunable.byName(name));
    }

    /** The value of {@code t} as reading its /proc file shows it: sync_threshold "3\t50", seconds, CPU ranges. */
    public String get(Tunable t) {
        return switch (t.kind()) {
            case INT, POWER_OF_TWO, ULONG -> Long.toString(load(t));
            case SECONDS -> Integer.toString(Jiffies.toSeconds((int) load(t)));
            case THRESHOLD -> syncThreshold + "\t" + syncPeriod;
            case CPULIST -> Cpulist.format(estCpulist);
        };
    }

    /** Every value by full name, in registration order. */
    public Map<String, String> snapshot() {
        Map<String, String> m = new LinkedHashMap<>();
        for (Tunable t : Tunable.values()) {
            m.put(t.fullName(), get(t));
        }
        return Collections.unmodifiableMap(m);
    }

    /**
     * Applies sysctl.conf entries all or nothing: they are first applied in order to a copy; if any entry
     * not marked {@code -} fails, nothing changes. Failing entries marked {@code -} are skipped, as sysctl
     * skips them.
     *
     * @return the skipped entries' problems, each as {@code file:line: message}
     * @throws TunableException listing every failing unmarked entry as {@code file:line: message}
     */
    public List<String> applyAll(List<SysctlFile.Entry> entries) {
        Tunables copy = new Tunables(this);
        List<String> errors = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (SysctlFile.Entry e : entries) {
            try {
                copy.set(e.name(), e.value());
            } catch (TunableException ex) {
                (e.ignoreErrors() ? skipped : errors).add(e.location() + ": " + ex.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw new TunableException(errors.size() + (errors.size() == 1 ? " bad line" : " bad lines")
                + ", nothing applied:", errors);
        }
        copyFrom(copy);
        return List.copyOf(skipped);
    }

    private void setSyncThreshold(Tunable t, String value) {
        long[] v = ProcNumbers.read(t, value, 2);
        // one value changes only the threshold, as the kernel's two-int proc_dointvec does
        long threshold = v[0];
        long period = v.length == 2 ? v[1] : syncPeriod;
        if (period != 0 && threshold >= period) {
            throw new TunableException(t.fullName() + ": \"" + value.strip() + "\" gives threshold " + threshold
                + " and period " + period + ": threshold must be below period unless period is 0");
        }
        syncThreshold = (int) threshold;
        syncPeriod = (int) period;
    }

    private void store(Tunable t, long v) {
        int i = (int) v;
        switch (t) {
            case AMEMTHRESH -> amemthresh = i;
            case AM_DROPRATE -> amDroprate = i;
            case DROP_ENTRY -> dropEntry = i;
            case DROP_PACKET -> dropPacket = i;
            case CONNTRACK -> conntrack = i;
            case SECURE_TCP -> secureTcp = i;
            case SNAT_REROUTE -> snatReroute = i;
            case SYNC_VERSION -> syncVersion = i;
            case SYNC_PORTS -> syncPorts = i;
            case SYNC_PERSIST_MODE -> syncPersistMode = i;
            case SYNC_QLEN_MAX -> syncQlenMax = v;
            case SYNC_SOCK_SIZE -> syncSockSize = i;
            case CACHE_BYPASS -> cacheBypass = i;
            case EXPIRE_NODEST_CONN -> expireNodestConn = i;
            case SLOPPY_TCP -> sloppyTcp = i;
            case SLOPPY_SCTP -> sloppySctp = i;
            case EXPIRE_QUIESCENT_TEMPLATE -> expireQuiescentTemplate = i;
            case SYNC_REFRESH_PERIOD -> syncRefreshPeriod = Jiffies.fromSeconds(v);
            case SYNC_RETRIES -> syncRetries = i;
            case NAT_ICMP_SEND -> natIcmpSend = i;
            case PMTU_DISC -> pmtuDisc = i;
            case BACKUP_ONLY -> backupOnly = i;
            case CONN_REUSE_MODE -> connReuseMode = i;
            case SCHEDULE_ICMP -> scheduleIcmp = i;
            case IGNORE_TUNNELED -> ignoreTunneled = i;
            case RUN_ESTIMATION -> runEstimation = i;
            case EST_NICE -> estNice = i;
            case DEBUG_LEVEL -> debugLevel = i;
            case LBLC_EXPIRATION -> lblcExpiration = Jiffies.fromSeconds(v);
            case LBLCR_EXPIRATION -> lblcrExpiration = Jiffies.fromSeconds(v);
            case SYNC_THRESHOLD, EST_CPULIST -> throw new AssertionError(t + " is not a single number");
        }
    }

    /** The stored number of {@code t} (jiffies for seconds). */
    private long load(Tunable t) {
        return switch (t) {
            case AMEMTHRESH -> amemthresh;
            case AM_DROPRATE -> amDroprate;
            case DROP_ENTRY -> dropEntry;
            case DROP_PACKET -> dropPacket;
            case CONNTRACK -> conntrack;
            case SECURE_TCP -> secureTcp;
            case SNAT_REROUTE -> snatReroute;
            case SYNC_VERSION -> syncVersion;
            case SYNC_PORTS -> syncPorts;
            case SYNC_PERSIST_MODE -> syncPersistMode;
            case SYNC_QLEN_MAX -> syncQlenMax;
            case SYNC_SOCK_SIZE -> syncSockSize;
            case CACHE_BYPASS -> cacheBypass;
            case EXPIRE_NODEST_CONN -> expireNodestConn;
            case SLOPPY_TCP -> sloppyTcp;
            case SLOPPY_SCTP -> sloppySctp;
            case EXPIRE_QUIESCENT_TEMPLATE -> expireQuiescentTemplate;
            case SYNC_REFRESH_PERIOD -> syncRefreshPeriod;
            case SYNC_RETRIES -> syncRetries;
            case NAT_ICMP_SEND -> natIcmpSend;
            case PMTU_DISC -> pmtuDisc;
            case BACKUP_ONLY -> backupOnly;
            case CONN_REUSE_MODE -> connReuseMode;
            case SCHEDULE_ICMP -> scheduleIcmp;
            case IGNORE_TUNNELED -> ignoreTunneled;
            case RUN_ESTIMATION -> runEstimation;
            case EST_NICE -> estNice;
            case DEBUG_LEVEL -> debugLevel;
            case LBLC_EXPIRATION -> lblcExpiration;
            case LBLCR_EXPIRATION -> lblcrExpiration;
            case SYNC_THRESHOLD, EST_CPULIST -> throw new AssertionError(t + " is not a single number");
        };
    }

    private void copyFrom(Tunables o) {
        amemthresh = o.amemthresh;
        amDroprate = o.amDroprate;
        dropEntry = o.dropEntry;
        dropPacket = o.dropPacket;
        conntrack = o.conntrack;
        secureTcp = o.secureTcp;
        snatReroute = o.snatReroute;
        syncVersion = o.syncVersion;
        syncPorts = o.syncPorts;
        syncPersistMode = o.syncPersistMode;
        syncQlenMax = o.syncQlenMax;
        syncSockSize = o.syncSockSize;
        cacheBypass = o.cacheBypass;
        expireNodestConn = o.expireNodestConn;
        sloppyTcp = o.sloppyTcp;
        sloppySctp = o.sloppySctp;
        expireQuiescentTemplate = o.expireQuiescentTemplate;
        syncThreshold = o.syncThreshold;
        syncPeriod = o.syncPeriod;
        syncRefreshPeriod = o.syncRefreshPeriod;
        syncRetries = o.syncRetries;
        natIcmpSend = o.natIcmpSend;
        pmtuDisc = o.pmtuDisc;
        backupOnly = o.backupOnly;
        connReuseMode = o.connReuseMode;
        scheduleIcmp = o.scheduleIcmp;
        ignoreTunneled = o.ignoreTunneled;
        runEstimation = o.runEstimation;
        estCpulist.clear();
        estCpulist.or(o.estCpulist);
        estNice = o.estNice;
        debugLevel = o.debugLevel;
        lblcExpiration = o.lblcExpiration;
        lblcrExpiration = o.lblcrExpiration;
    }

    /** CPUs of the machine: est_cpulist may name 0..cpus-1. */
    public int cpus() {
        return cpus;
    }

    /** amemthresh: free-memory threshold in pages for the automatic defense modes. */
    public int amemthresh() {
        return amemthresh;
    }

    /** am_droprate: drop_packet mode 3 drops one in this many connection-creating packets. */
    public int amDroprate() {
        return amDroprate;
    }

    /** drop_entry mode 0..3 (the engine switches 1 ↔ 2 itself). */
    public int dropEntry() {
        return dropEntry;
    }

    /** drop_packet mode 0..3 (the engine switches 1 ↔ 2 itself). */
    public int dropPacket() {
        return dropPacket;
    }

    /** conntrack: non-zero marks new connections NFCT. */
    public int conntrack() {
        return conntrack;
    }

    /** secure_tcp mode 0..3 (the engine switches 1 ↔ 2 itself). */
    public int secureTcp() {
        return secureTcp;
    }

    /** snat_reroute: non-zero re-routes NAT replies. */
    public int snatReroute() {
        return snatReroute;
    }

    /** sync_version: 0 or 1, the format the master sends. */
    public int syncVersion() {
        return syncVersion;
    }

    /** sync_ports as written (a power of two); the sync daemon clamps it to 64 when it starts. */
    public int syncPorts() {
        return syncPorts;
    }

    /** sync_persist_mode: non-zero skips connections controlled by a template. */
    public int syncPersistMode() {
        return syncPersistMode;
    }

    /** sync_qlen_max: unsent messages queued per master thread. */
    public long syncQlenMax() {
        return syncQlenMax;
    }

    /** sync_sock_size: socket buffer request in bytes, used when positive. */
    public int syncSockSize() {
        return syncSockSize;
    }

    /** cache_bypass: non-zero forwards to the original destination when a fwmark service has no server. */
    public int cacheBypass() {
        return cacheBypass;
    }

    /** expire_nodest_conn: non-zero expires connections of removed servers at their next packet. */
    public int expireNodestConn() {
        return expireNodestConn;
    }

    /** sloppy_tcp: non-zero lets any non-RST TCP packet create a connection. */
    public int sloppyTcp() {
        return sloppyTcp;
    }

    /** sloppy_sctp: non-zero lets any SCTP packet not starting with ABORT create a connection. */
    public int sloppySctp() {
        return sloppySctp;
    }

    /** expire_quiescent_template: non-zero invalidates templates of weight-0 servers. */
    public int expireQuiescentTemplate() {
        return expireQuiescentTemplate;
    }

    /** sync_threshold, first value: the packet count (mod period) at which a connection is synced. */
    public int syncThreshold() {
        return syncThreshold;
    }

    /** sync_threshold, second value ("sync_period"); 0 means sync once, at the threshold. */
    public int syncPeriod() {
        return syncPeriod;
    }

    /** sync_refresh_period in jiffies (the sysctl is in seconds); 0 or less is off. */
    public int syncRefreshPeriodJiffies() {
        return syncRefreshPeriod;
    }

    /** sync_retries 0..3. */
    public int syncRetries() {
        return syncRetries;
    }

    /** nat_icmp_send: non-zero answers connection-less NAT replies with ICMP port unreachable. */
    public int natIcmpSend() {
        return natIcmpSend;
    }

    /** pmtu_disc: non-zero rejects oversized DF packets for every method. */
    public int pmtuDisc() {
        return pmtuDisc;
    }

    /** backup_only: non-zero disables the director while a backup daemon runs. */
    public int backupOnly() {
        return backupOnly;
    }

    /** conn_reuse_mode bitmap. */
    public int connReuseMode() {
        return connReuseMode;
    }

    /** schedule_icmp: non-zero lets ICMP errors without a connection be scheduled. */
    public int scheduleIcmp() {
        return scheduleIcmp;
    }

    /** ignore_tunneled: non-zero marks unhandled protocols as IPVS property. */
    public int ignoreTunneled() {
        return ignoreTunneled;
    }

    /** run_estimation: 0 suspends the rate estimator. */
    public int runEstimation() {
        return runEstimation;
    }

    /** est_cpulist as a copy; only its emptiness matters to the single-threaded engine. */
    public BitSet estCpulist() {
        return (BitSet) estCpulist.clone();
    }

    /** The kernel's est_stopped: run_estimation is 0 or est_cpulist is empty. */
    public boolean estStopped() {
        return runEstimation == 0 || estCpulist.isEmpty();
    }

    /** est_nice -20..19. */
    public int estNice() {
        return estNice;
    }

    /** debug_level: log verbosity. */
    public int debugLevel() {
        return debugLevel;
    }

    /** lblc_expiration in jiffies (the sysctl is in seconds). */
    public int lblcExpirationJiffies() {
        return lblcExpiration;
    }

    /** lblcr_expiration in jiffies (the sysctl is in seconds). */
    public int lblcrExpirationJiffies() {
        return lblcrExpiration;
    }
}
