package uvs.lab.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import uvs.core.Decision;
import uvs.core.PacketHeader;
import uvs.core.Verdict;
import uvs.core.conn.ConnFlags;
import uvs.core.conn.ConnTable;
import uvs.core.net.IpProto;
import uvs.core.proto.TcpState;
import uvs.core.svc.ServiceFlags;
import uvs.sync.SyncDaemonConfig;
import uvs.sync.master.SyncMaster;
import uvs.time.Jiffies;
import uvs.time.ManualClock;

/**
 * Runs a scenario on two real engines in virtual time. Each director runs a sync master and a sync backup (as
 * keepalived does) joined by two simulated links ({@link SimSyncChannel}). Active/standby: director A takes all
 * traffic until it dies, then B; when A returns (empty table, learning B's through sync) traffic moves back to A
 * after the preempt delay. ECMP: each flow goes to the director its hash picks, all to the survivor while one
 * is dead. Measures backup/master agreement, sync traffic, and at each failover which established flows and
 * persistent clients keep their real server and how long until the tables agree again.
 */
public final class Simulation {
    /** Flows and templates younger than this (after their last synced change) are still in flight on the wire. */
    static final int SETTLE_SECONDS = SyncMaster.FLUSH_SECONDS + 1;
    /** A finished flow lives on as TIME_WAIT (IPVS default 2 minutes) before it expires. */
    private static final int TIME_WAIT_SECONDS = 120;
    /**
     * Finished flows are compared while both copies surely exist: the backup's copy expires up to the sync lag
     * after the master's, so the last {@link #SETTLE_SECONDS} before the master's expiry are left out too.
     */
    private static final int RETAIN_FINISHED_SECONDS = TIME_WAIT_SECONDS - SETTLE_SECONDS;
    private static final int CLIENT_BASE = 0x0b00_0000;
    private static final int MAX_SYNC_ROUNDS = 1_000_000;
    /**
     * The sync threads run concurrently with the packet path: let them drain after this many packets within a
     * tick, or a large tick overflows the master's send queue (sync_qlen_max), which a real host would not.
     */
    private static final int PACKETS_PER_SYNC_ROUND = 256;
    /** Agreement (every counter) at which the tables count as agreeing again after a restart. */
    static final double AGREED_PERCENT = 99.0;
    /** The router's ECMP hash-threshold bound for two next hops: hashes below it go to A. */
    private static final long ECMP_HALF = 1L << 30;
    private static final int FAILOVER = 0;
    private static final int RETURN = 1;

    private final Scenario s;
    private final long seed;
    private final ManualClock clock = new ManualClock();
    private final int capacity;
    private final long ecmpSeed;
    private SimDirector a;
    private SimDirector b;
    private SimDirector active;
    /** ECMP with both directors in the router's next-hop set. */
    private boolean split;
    private int generation;
    private final SimSyncChannel ab;
    private final SimSyncChannel ba;
    /** Weight of real server i (1-based) as configured now; -1 = removed. */
    private final int[] weights;
    private final SplittableRandom random;
    private final int gapTicks;
    private final int settleTicks;
    private final int ticksPerSecond;

    // live flows, flat: swap-removed when their last packet is sent
    private int live;
    private int[] fClient = new int[1024];
    private int[] fPort = new int[1024];
    private int[] fStart = new int[1024];
    private int[] fSent = new int[1024];
    private int[] fFailDest = new int[1024];
    private int[] fDest = new int[1024];
    private boolean[] fToA = new boolean[1024];
    // finished flows, a FIFO ring kept for the InActConn agreement
    private int[] rClient = new int[1024];
    private int[] rPort = new int[1024];
    private int[] rFin = new int[1024];
    private int rHead;
    private int rSize;
    // per client: tick its latest connection was synced (-1: none yet), and what A knew at the failure
    private final int[] cSynced;
    private final int[] cFailDest;
    private final int[] cFailDeadline;

    private int tick;
    private int sinceSyncRound;
    private int nextPort = 1024;
    private double due;
    private long opened;
    private int failoverKind;
    private final long[] flowsAt = new long[2];
    private final long[] flowsChecked = new long[2];
    private final long[] flowsContinued = new long[2];
    private final long[] persistAt = new long[2];
    private final long[] persistChecked = new long[2];
    private final long[] persistKept = new long[2];
    private long remapFlows = -1;
    private long remapMoved;
    private long remapUntouched;
    private long remapUntouchedMoved;
    /** Ticks after a restart until the tables agree: [backup restart, director return]; -1 = not reached. */
    private final int[] agreeAfter = {-1, -1};
    private final int[] agreeFrom = {-1, -1};
    private long retiredEntriesSent;
    private long retiredQueueDrops;
    private long retiredCpuNanos;
    private long retiredApplied;
    private int quiesceTick;
    private long toQuiescedTotal;
    private long toQuiescedSinceSample;
    private int lastToQuiescedTick = -1;
    private final long[] matched = new long[3];
    private final long[] union = new long[3];

    /**
     * Sets up both directors and the sync channel.
     *
     * @throws IllegalArgumentException if the scenario's tunables or sizes are refused by the engine
     */
    public Simulation(Scenario scenario, long seed) {
        this.s = scenario;
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        this.ticksPerSecond = 1000 / s.tickMs();
        this.gapTicks = Math.max(1, (int) Math.round((double) s.packetGapMs() / s.tickMs()));
        this.settleTicks = SETTLE_SECONDS * ticksPerSecond;
        double lifeSeconds = (double) (s.connectionPackets() - 1) * gapTicks / ticksPerSecond;
        long cap = (long) (s.newConnsPerSecond() * (lifeSeconds + TIME_WAIT_SECONDS + 10)) * 2
            + s.clients() + 4096;
        this.capacity = (int) Math.min(ConnTable.MAX_CAPACITY, cap);
        this.ecmpSeed = random.nextLong();
        this.weights = new int[s.realServers() + 1];
        Arrays.fill(weights, 1);
        Scenario.SyncLink l = s.link();
        this.ab = s.sync() ? new SimSyncChannel(clock, 1, seed, l.lossPercent(), l.latencyMs(), l.bandwidthMbit(),
            l.reorderPercent()) : null;
        this.ba = s.sync() ? new SimSyncChannel(clock, 1, ~seed, l.lossPercent(), l.latencyMs(),
            l.bandwidthMbit(), l.reorderPercent()) : null;
        this.a = director(0);
        this.b = director(1);
        this.active = a;
        this.split = s.traffic() == Scenario.Traffic.ECMP;
        this.cSynced = new int[s.clients()];
        Arrays.fill(cSynced, -1);
        this.cFailDest = new int[s.clients()];
        this.cFailDeadline = new int[s.clients()];
    }

    /** A started director {@code which} (0 = A, 1 = B) with the current real-server set and both sync daemons. */
    private SimDirector director(int which) {
        SimDirector d = new SimDirector(clock, s, capacity, weights);
        if (s.sync()) {
            int id = (generation++ << 8) | which;
            d.startMaster(SyncDaemonConfig.master().withReliable(s.syncReliable()), which == 0 ? ab : ba,
                0x5100_0000 | id);
            d.startBackup(SyncDaemonConfig.backup().withReliable(s.syncReliable()), which == 0 ? ba : ab,
                0x5200_0000 | id);
        }
        return d;
    }

    /** Runs the whole scenario and returns its measurements. */
    public SimResult run() {
        return run(pct -> { });
    }

    /** Runs the whole scenario, telling {@code progress} each whole percent of virtual time done (0..100). */
    public SimResult run(IntConsumer progress) {
        List<SimResult.Sample> samples = new ArrayList<>();
        int total = s.duration() * ticksPerSecond;
        int failTick = s.failDirectorAt() * ticksPerSecond;
        int returnTick = s.directorReturnsAt() * ticksPerSecond;
        int preemptTick = returnTick > 0 ? returnTick + s.preemptDelay() * ticksPerSecond : 0;
        int restartTick = s.backupRestartsAt() * ticksPerSecond;
        int sampleTicks = s.sampleEvery() * ticksPerSecond;
        double perTick = s.newConnsPerSecond() / ticksPerSecond;
        quiesceTick = s.serverChanges().stream().filter(c -> c.action() == Scenario.ServerAction.QUIESCE)
            .mapToInt(c -> c.second() * ticksPerSecond).findFirst().orElse(0);
        int nextChange = 0;
        int shown = -1;
        for (tick = 1; tick <= total; tick++) {
            clock.advanceMillis(s.tickMs());
            while (nextChange < s.serverChanges().size()
                && s.serverChanges().get(nextChange).second() * ticksPerSecond == tick) {
                changeServer(s.serverChanges().get(nextChange++));
            }
            if (tick == restartTick) {
                restartBackup();
            }
            if (tick == failTick) {
                failover(a, b, FAILOVER);
                a.die();
                retire(a);
                if (ba != null) {
                    ba.dropInFlight();
                }
            }
            if (tick == returnTick) {
                a = director(0);
                agreeFrom[RETURN] = tick;
            }
            if (tick == preemptTick) {
                failover(b, a, RETURN);
            }
            due += perTick;
            while (due >= 1) {
                due -= 1;
                open();
            }
            sendDue(quiesceTick > 0 && tick >= quiesceTick);
            a.timers();
            b.timers();
            pumpSync();
            trackAgreement(agreeFrom[0] >= 0 ? 0 : -1);
            trackAgreement(agreeFrom[1] >= 0 ? 1 : -1);
            if (tick % sampleTicks == 0) {
                samples.add(sample(failTick > 0 && tick >= failTick));
            }
            int pct = (int) ((long) tick * 100 / total);
            if (pct != shown) {
                shown = pct;
                progress.accept(pct);
            }
        }
        return new SimResult(s, seed, samples, summary());
    }

    /** The standby B restarts: a new engine with an empty table, new daemons; what was on its way to it is lost. */
    private void restartBackup() {
        retire(b);
        b = director(1);
        if (ab != null) {
            ab.dropInFlight();
        }
        agreeFrom[0] = tick;
    }

    /** Keeps a director's sync counters in the totals before it is replaced or dies. */
    private void retire(SimDirector d) {
        if (d.master() != null) {
            retiredEntriesSent += d.master().counters().entriesSent();
            retiredQueueDrops += queueDrops(d);
        }
        if (d.backup() != null) {
            retiredCpuNanos += d.backupCpuNanos();
            retiredApplied += applied(d);
        }
    }

    private static long applied(SimDirector d) {
        var c = d.backup().counters();
        return c.created() + c.updated() + c.replaced();
    }

    /** Once a second after a restart ({@code k}: 0 = B's, 1 = A's return), until both tables agree again. */
    private void trackAgreement(int k) {
        if (k < 0 || agreeAfter[k] >= 0 || !a.alive() || !b.alive() || (tick - agreeFrom[k]) % ticksPerSecond != 0
            || s.traffic() == Scenario.Traffic.ECMP) {
            return;
        }
        long[] m = new long[3];
        long[] u = new long[3];
        agreement(m, u);
        for (int i = 0; i < 3; i++) {
            if (u[i] > 0 && 100.0 * m[i] / u[i] < AGREED_PERCENT) {
                return;
            }
        }
        agreeAfter[k] = tick - agreeFrom[k];
    }

    /** A real-server health change on every living director. */
    private void changeServer(Scenario.ServerChange c) {
        boolean wasRemoved = weights[c.server()] < 0;
        if (c.action() == Scenario.ServerAction.REMOVE && wasRemoved
            || c.action() == Scenario.ServerAction.QUIESCE && wasRemoved) {
            return;
        }
        for (SimDirector d : new SimDirector[] {a, b}) {
            if (d.alive()) {
                d.change(c.action(), c.server(), wasRemoved);
            }
        }
        weights[c.server()] = switch (c.action()) {
            case QUIESCE -> 0;
            case REMOVE -> -1;
            case RESTORE -> 1;
        };
        if (s.traffic() == Scenario.Traffic.ECMP && remapFlows < 0) {
            probeRemap();
        }
    }

    /**
     * After the first real-server change: for every established flow, which real server a director WITHOUT the
     * flow's state (a fresh engine with the new server set, sloppy TCP) picks for its next segment; counts
     * those that differ from the flow's current real server.
     */
    private void probeRemap() {
        Scenario probeScenario = new Scenario(s.name(), s.clients(), s.newConnsPerSecond(), 0, s.scheduler(),
            s.schedFlags(), s.realServers(), s.duration(), s.traffic(), 0, 0, 0, 0, false, s.link(), false,
            s.connectionPackets(), s.packetGapMs(), List.of(), s.sampleEvery(), s.tickMs(),
            List.of(new Scenario.Tunable("sloppy_tcp", "1")));
        SimDirector probe = new SimDirector(clock, probeScenario, capacity, weights);
        remapFlows = 0;
        for (int i = 0; i < live; i++) {
            int was = fDest[i];
            if (fSent[i] < 2 || was == 0) {
                continue;
            }
            Decision d = probe.tcp(CLIENT_BASE + fClient[i], fPort[i], PacketHeader.TCP_ACK);
            int now = d.verdict == Verdict.FORWARD && d.dest != null ? d.dest.address().v4() : 0;
            remapFlows++;
            boolean moved = now != was;
            if (moved) {
                remapMoved++;
            }
            if (weights[was - SimDirector.RS_BASE] > 0) {
                remapUntouched++;
                if (moved) {
                    remapUntouchedMoved++;
                }
            }
        }
    }

    /** The sync threads run until idle between two ticks, as they would in real time on an unloaded host. */
    private void pumpSync() {
        int rounds = 0;
        while (a.syncWork() + b.syncWork() > 0) {
            if (++rounds > MAX_SYNC_ROUNDS) {
                throw new IllegalStateException("sync daemons never go idle at second " + tick / ticksPerSecond);
            }
        }
    }

    private void open() {
        if (live == fClient.length) {
            int n = live * 2;
            fClient = Arrays.copyOf(fClient, n);
            fPort = Arrays.copyOf(fPort, n);
            fStart = Arrays.copyOf(fStart, n);
            fSent = Arrays.copyOf(fSent, n);
            fFailDest = Arrays.copyOf(fFailDest, n);
            fDest = Arrays.copyOf(fDest, n);
            fToA = Arrays.copyOf(fToA, n);
        }
        int client = random.nextInt(s.clients());
        fClient[live] = client;
        fPort[live] = nextPort;
        fToA[live] = ecmpHash(CLIENT_BASE + client, nextPort) < ECMP_HALF;
        nextPort = nextPort == 65535 ? 1024 : nextPort + 1;
        fStart[live] = tick;
        fSent[live] = 0;
        fFailDest[live] = 0;
        fDest[live] = 0;
        live++;
        opened++;
    }

    /**
     * The router's L4 multipath hash (Linux fib_multipath_hash_policy 1: addresses, protocol and ports with a
     * per-boot seed), 31 bits; hash-threshold sends the lower half of the range to the first next hop.
     */
    private long ecmpHash(int client, int port) {
        long x = ecmpSeed ^ ((long) client << 32) ^ ((long) port << 16) ^ 80L ^ ((long) IpProto.TCP << 56)
            ^ SimDirector.VIP.v4();
        x = (x ^ (x >>> 33)) * 0xff51_afd7_ed55_8ccdL;
        x = (x ^ (x >>> 33)) * 0xc4ce_b9fe_1a85_ec53L;
        return (x ^ (x >>> 33)) >>> 33;
    }

    /** The director that receives flow {@code i}'s packets now. */
    private SimDirector route(int i) {
        if (!split) {
            return active;
        }
        return fToA[i] ? a : b;
    }

    private void sendDue(boolean quiesced) {
        int last = s.connectionPackets() - 1;
        for (int i = 0; i < live; i++) {
            int k = fSent[i];
            if (fStart[i] + k * gapTicks != tick) {
                continue;
            }
            int client = fClient[i];
            int flags = k == 0 ? PacketHeader.TCP_SYN
                : k == last ? PacketHeader.TCP_FIN | PacketHeader.TCP_ACK : PacketHeader.TCP_ACK;
            SimDirector on = route(i);
            Decision d = on.tcp(CLIENT_BASE + client, fPort[i], flags);
            int dest = d.verdict == Verdict.FORWARD && d.dest != null ? d.dest.address().v4() : 0;
            fDest[i] = dest;
            if (k == 0) {
                onNewConnection(client, dest, quiesced);
            }
            if (fFailDest[i] != 0) {
                flowsChecked[failoverKind]++;
                if (dest == fFailDest[i]) {
                    flowsContinued[failoverKind]++;
                }
                fFailDest[i] = 0;
            }
            if (k == Math.min(2, last)) {
                cSynced[client] = tick;
            }
            fSent[i] = k + 1;
            if (++sinceSyncRound == PACKETS_PER_SYNC_ROUND) {
                sinceSyncRound = 0;
                pumpSync();
            }
            if (k == last) {
                finish(i);
                i--;
            }
        }
    }

    private void onNewConnection(int client, int dest, boolean quiesced) {
        if (quiesced && dest != 0 && weights[dest - SimDirector.RS_BASE] == 0) {
            toQuiescedTotal++;
            toQuiescedSinceSample++;
            lastToQuiescedTick = tick;
        }
        if (cFailDest[client] != 0) {
            // counted only while the old director's template would surely still have been alive
            if (tick - cFailDeadline[client] < 0) {
                persistChecked[failoverKind]++;
                if (dest == cFailDest[client]) {
                    persistKept[failoverKind]++;
                }
            }
            cFailDest[client] = 0;
        }
    }

    private void finish(int i) {
        if (rSize == rClient.length) {
            int n = rSize * 2;
            int[] c = new int[n];
            int[] p = new int[n];
            int[] f = new int[n];
            for (int j = 0; j < rSize; j++) {
                int from = (rHead + j) % rSize;
                c[j] = rClient[from];
                p[j] = rPort[from];
                f[j] = rFin[from];
            }
            rClient = c;
            rPort = p;
            rFin = f;
            rHead = 0;
        }
        int at = (rHead + rSize) % rClient.length;
        rClient[at] = fClient[i];
        rPort[at] = fPort[i];
        rFin[at] = tick;
        rSize++;
        live--;
        fClient[i] = fClient[live];
        fPort[i] = fPort[live];
        fStart[i] = fStart[live];
        fSent[i] = fSent[live];
        fFailDest[i] = fFailDest[live];
    }

    /**
     * Traffic moves from {@code from} to {@code to} ({@code kind}: A's failure or A's return): remember which real
     * server {@code from} had for the established flows that move and for its live templates, to check later
     * what {@code to} does with them.
     */
    private void failover(SimDirector from, SimDirector to, int kind) {
        failoverKind = kind;
        Arrays.fill(cFailDest, 0);
        ConnTable t = from.engine.conns4();
        long vip = SimDirector.VIP.lo();
        boolean ecmp = s.traffic() == Scenario.Traffic.ECMP;
        for (int i = 0; i < live; i++) {
            fFailDest[i] = 0;
            if (ecmp && !fToA[i]) {
                continue; // stays on B both when A fails and when A returns
            }
            int c = t.lookupIn(IpProto.TCP, 0, CLIENT_BASE + fClient[i], fPort[i], 0, vip, 80);
            if (c != ConnTable.NONE && t.state(c) == TcpState.ESTABLISHED
                && (t.flags(c) & ConnFlags.TEMPLATE) == 0) {
                fFailDest[i] = from.engine.destOf(t, c).address().v4();
                flowsAt[kind]++;
            }
        }
        if (s.persistent() > 0) {
            int now = from.engine.nowJiffies();
            for (int client = 0; client < cSynced.length; client++) {
                int c = t.lookupTemplate(IpProto.TCP, 0, CLIENT_BASE + client, 0, vip, 80);
                if (c != ConnTable.NONE) {
                    cFailDest[client] = from.engine.destOf(t, c).address().v4();
                    int leftMs = (t.expires(c) - now) * (1000 / Jiffies.HZ);
                    cFailDeadline[client] = tick + leftMs / s.tickMs();
                    persistAt[kind]++;
                }
            }
        }
        active = to;
        split = kind == RETURN && s.traffic() == Scenario.Traffic.ECMP;
    }

    private SimResult.Sample sample(boolean afterFailure) {
        double[] agreement = {Double.NaN, Double.NaN, Double.NaN};
        if (a.alive() && b.alive() && s.sync() && s.traffic() == Scenario.Traffic.STANDBY) {
            long[] m = new long[3];
            long[] u = new long[3];
            agreement(m, u);
            for (int k = 0; k < 3; k++) {
                if (!afterFailure) {
                    matched[k] += m[k];
                    union[k] += u[k];
                }
                agreement[k] = u[k] == 0 ? Double.NaN : 100.0 * m[k] / u[k];
            }
        }
        SimResult.Sample row = new SimResult.Sample(tick / ticksPerSecond, a.counters(), b.counters(), agreement,
            syncDatagrams(), syncBytes(), toQuiescedSinceSample);
        toQuiescedSinceSample = 0;
        return row;
    }

    private long syncDatagrams() {
        return ab == null ? 0 : ab.sent() + ba.sent();
    }

    /** Sync wire bytes (payload + IPv4/UDP headers) sent both ways so far. */
    private long syncBytes() {
        return ab == null ? 0 : ab.sentBytes() + ba.sentBytes();
    }

    /**
     * Settled agreement per counter: among entries whose last synced change is older than
     * {@link #SETTLE_SECONDS}, those counted alike on both directors over those counted on either.
     */
    private void agreement(long[] m, long[] u) {
        ConnTable ta = a.engine.conns4();
        ConnTable tb = b.engine.conns4();
        long vip = SimDirector.VIP.lo();
        int settled = tick - settleTicks;
        int syncAt = Math.min(2, s.connectionPackets() - 1) * gapTicks;
        for (int i = 0; i < live; i++) {
            if (fStart[i] + syncAt - settled > 0) {
                continue;
            }
            int client = CLIENT_BASE + fClient[i];
            count(m, u, 0, active(ta, ta.lookupIn(IpProto.TCP, 0, client, fPort[i], 0, vip, 80)),
                active(tb, tb.lookupIn(IpProto.TCP, 0, client, fPort[i], 0, vip, 80)));
        }
        int retainFrom = tick - RETAIN_FINISHED_SECONDS * ticksPerSecond;
        while (rSize > 0 && rFin[rHead] - retainFrom < 0) {
            rHead = (rHead + 1) % rClient.length;
            rSize--;
        }
        for (int j = 0; j < rSize; j++) {
            int at = (rHead + j) % rClient.length;
            if (rFin[at] - settled > 0) {
                break;
            }
            int client = CLIENT_BASE + rClient[at];
            count(m, u, 1, inactive(ta, ta.lookupIn(IpProto.TCP, 0, client, rPort[at], 0, vip, 80)),
                inactive(tb, tb.lookupIn(IpProto.TCP, 0, client, rPort[at], 0, vip, 80)));
        }
        if (s.persistent() > 0) {
            for (int c = 0; c < cSynced.length; c++) {
                if (cSynced[c] < 0 || cSynced[c] - settled > 0) {
                    continue;
                }
                count(m, u, 2, ta.lookupTemplate(IpProto.TCP, 0, CLIENT_BASE + c, 0, vip, 80) != ConnTable.NONE,
                    tb.lookupTemplate(IpProto.TCP, 0, CLIENT_BASE + c, 0, vip, 80) != ConnTable.NONE);
            }
        }
    }

    private static void count(long[] m, long[] u, int k, boolean onA, boolean onB) {
        if (onA || onB) {
            u[k]++;
            if (onA && onB) {
                m[k]++;
            }
        }
    }

    private static boolean active(ConnTable t, int c) {
        return c != ConnTable.NONE && (t.flags(c) & (ConnFlags.INACTIVE | ConnFlags.TEMPLATE)) == 0;
    }

    private static boolean inactive(ConnTable t, int c) {
        return c != ConnTable.NONE && (t.flags(c) & ConnFlags.TEMPLATE) == 0 && (t.flags(c) & ConnFlags.INACTIVE) != 0;
    }

    private Map<String, String> summary() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("connections", Long.toString(opened));
        boolean ecmp = s.traffic() == Scenario.Traffic.ECMP;
        String sfx = ecmp ? "_" + schedulerLabel() : "";
        if (s.sync()) {
            if (!ecmp) {
                out.put("agreement_active", percent(matched[0], union[0]));
                out.put("agreement_inact", percent(matched[1], union[1]));
                out.put("agreement_persist", percent(matched[2], union[2]));
            }
            long dgrams = syncDatagrams();
            long bytes = syncBytes();
            long entries = retiredEntriesSent + entriesSent(a) + entriesSent(b);
            out.put("sync_datagrams", Long.toString(dgrams));
            out.put("sync_datagrams_lost", Long.toString(ab.lost() + ba.lost()));
            if (s.syncReliable()) {
                out.put("sync_replies_lost", Long.toString(ab.repliesLost() + ba.repliesLost()));
            }
            if (ab.overflowed() + ba.overflowed() > 0 || s.link().bandwidthMbit() > 0) {
                out.put("sync_datagrams_over_bandwidth", Long.toString(ab.overflowed() + ba.overflowed()));
            }
            if (s.link().reorderPercent() > 0) {
                out.put("sync_datagrams_reordered", Long.toString(ab.reordered() + ba.reordered()));
            }
            long dropped = retiredQueueDrops + queueDrops(a) + queueDrops(b);
            if (dropped > 0) {
                out.put("sync_entries_dropped_queue_full", Long.toString(dropped));
            }
            out.put("sync_bytes", Long.toString(bytes));
            out.put("sync_mbit_per_s", fmt("%.3f", bytes * 8.0 / s.duration() / 1e6));
            // both directors' masters send for the connections they carry
            out.put("sync_bytes_per_conn", opened == 0 ? "n/a" : fmt("%.1f", (double) bytes / opened));
            out.put("sync_entries_per_conn", opened == 0 ? "n/a" : fmt("%.2f", (double) entries / opened));
        }
        if (s.backupRestartsAt() > 0) {
            out.put("time_to_agreement_s", agreeTime(0, s.failDirectorAt() > 0 ? s.failDirectorAt() : s.duration(),
                s.backupRestartsAt()));
        }
        if (s.failDirectorAt() > 0) {
            out.put("flows_at_failure" + sfx, Long.toString(flowsAt[FAILOVER]));
            out.put("flows_continued" + sfx, percent(flowsContinued[FAILOVER], flowsChecked[FAILOVER]));
            if (s.persistent() > 0) {
                out.put("persistent_clients_at_failure", Long.toString(persistAt[FAILOVER]));
                out.put("persistent_returned", Long.toString(persistChecked[FAILOVER]));
                out.put("persistent_kept", percent(persistKept[FAILOVER], persistChecked[FAILOVER]));
            }
        }
        if (s.directorReturnsAt() > 0) {
            if (s.sync() && !ecmp) {
                out.put("time_to_agreement_after_return_s", agreeTime(1, s.duration(), s.directorReturnsAt()));
            }
            out.put("flows_continued_on_return" + sfx, percent(flowsContinued[RETURN], flowsChecked[RETURN]));
            if (s.persistent() > 0) {
                out.put("persistent_kept_on_return", percent(persistKept[RETURN], persistChecked[RETURN]));
            }
        }
        if (ecmp && remapFlows >= 0) {
            out.put("remapped_on_rs_change" + sfx, percent(remapMoved, remapFlows));
            out.put("remapped_untouched" + sfx, percent(remapUntouchedMoved, remapUntouched));
        }
        if (quiesceTick > 0) {
            out.put("quiesced_new_conns", Long.toString(toQuiescedTotal));
            int lastRowStart = tick - 1 - s.sampleEvery() * ticksPerSecond;
            String drain = lastToQuiescedTick < 0 ? "0"
                : lastToQuiescedTick > lastRowStart ? "not drained"
                : fmt("%.1f", (double) (lastToQuiescedTick - quiesceTick) / ticksPerSecond);
            out.put("drain_seconds", drain);
        }
        return out;
    }

    /**
     * CPU time of the backups' receive-and-apply rounds per entry applied (measured on the real code, this host;
     * not deterministic), or n/a.
     */
    public String cpuPerAppliedEntry() {
        long nanos = retiredCpuNanos + cpu(a) + cpu(b);
        long entries = retiredApplied + (a.backup() == null ? 0 : applied(a)) + (b.backup() == null ? 0 : applied(b));
        return entries == 0 ? "n/a" : fmt("%.0f", (double) nanos / entries);
    }

    private static long cpu(SimDirector d) {
        return d.backup() == null ? 0 : d.backupCpuNanos();
    }

    private static long queueDrops(SimDirector d) {
        return d.master() == null ? 0 : d.master().counters().entriesDropped() + d.master().counters().noBuffer();
    }

    private static long entriesSent(SimDirector d) {
        return d.master() == null ? 0 : d.master().counters().entriesSent();
    }

    private String agreeTime(int k, int until, int from) {
        return agreeAfter[k] >= 0 ? fmt("%.0f", (double) agreeAfter[k] / ticksPerSecond)
            : "not reached in " + (until - from) + " s";
    }

    /** sh, sh_port, mh_fallback, ...: the scheduler and its flags, for the ECMP headline names. */
    private String schedulerLabel() {
        String label = s.scheduler();
        if ((s.schedFlags() & ServiceFlags.SCHED2) != 0) {
            label += "_port";
        }
        if ((s.schedFlags() & ServiceFlags.SCHED1) != 0) {
            label += "_fallback";
        }
        return label;
    }

    private static String percent(long part, long whole) {
        return whole == 0 ? "n/a" : fmt("%.2f%%", 100.0 * part / whole);
    }

    private static String fmt(String f, double v) {
        return String.format(Locale.ROOT, f, v);
    }
}
