package uvs.sim;

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
 * Runs a scenario on two or more real engines (directors 1..N; A and B are directors 1 and 2) in virtual time.
 * Each director runs a sync master and a sync backup (as keepalived does) joined by a simulated multicast group
 * ({@link SimSyncMesh}). Active/standby: director A takes all traffic until it dies, then B; when A returns
 * (empty table, learning B's through sync) traffic moves back to A after the preempt delay. ECMP: each flow goes
 * to the director its hash picks; while A is dead its flows spread over the survivors (a resilient next-hop
 * group) and the others' stay. Measures A/B agreement, sync traffic, and at each failover which established
 * flows and persistent clients keep their real server and how long until the tables agree again.
 */
public final class Simulation {
    /** Flows and templates younger than this (after their last synced change) are still in flight on the wire. */
    static final int SETTLE_SECONDS = SyncMaster.FLUSH_SECONDS + 1;
    /** A reset flow lives on as CLOSE (IPVS default 10 s); compared as for finished flows. */
    private static final int RETAIN_RESET_SECONDS = 10 - SETTLE_SECONDS;
    /** Salt of the population's random stream, separate from the clients' so a fixed shape draws nothing. */
    private static final long SHAPE_SALT = 0x5eed_c0de_0f5a_a9e1L;
    private static final int CLIENT_BASE = 0x0b00_0000;
    private static final int MAX_SYNC_ROUNDS = 1_000_000;
    /**
     * The sync threads run concurrently with the packet path: let them drain after this many packets within a
     * tick, or a large tick overflows the master's send queue (sync_qlen_max), which a real host would not.
     */
    private static final int PACKETS_PER_SYNC_ROUND = 256;
    /** The same for the engines' timers: entries expired between two sync rounds. */
    private static final int EXPIRIES_PER_SYNC_ROUND = 1024;
    /** Agreement (every counter) at which the tables count as agreeing again after a restart. */
    static final double AGREED_PERCENT = 99.0;
    /** Bits of the router's multipath hash. */
    private static final int ECMP_HASH_BITS = 31;
    /** Salt of the second hash that picks a dead director's flow's survivor. */
    private static final long SURVIVOR_SALT = 0x3c6e_f372_fe94_f82bL;
    private static final int FAILOVER = 0;
    private static final int RETURN = 1;

    private final Scenario s;
    private final long seed;
    private final ManualClock clock = new ManualClock();
    private final int capacity;
    private final long ecmpSeed;
    /** Directors 1..N at index 0..N-1: index 0 is A (fails and returns), index 1 is B (takes over). */
    private final SimDirector[] dirs;
    private SimDirector active;
    /** ECMP: directors in the router's next-hop group (A leaves it at its failure, rejoins at the preempt). */
    private final boolean[] nextHop;
    private int generation;
    private final SimSyncMesh mesh;
    /** Weight of real server i (1-based) as configured now; -1 = removed. */
    private final int[] weights;
    private final SplittableRandom random;
    /** Connection shapes, close kinds, service choice: drawn only where the scenario asks for variety. */
    private final SplittableRandom shape;
    /** TCP ESTABLISHED timeout in seconds: how long an abandoned connection's entry lives after its last packet. */
    private final int establishedSeconds;
    /**
     * A flow closed by the client's FIN lives on in FIN_WAIT (the {@code tcpfin} timeout, 2 minutes by default;
     * a director routing directly sees no more of it). Finished flows are compared while both copies surely
     * exist: the backup's copy may expire up to the sync lag after the master's, so the last
     * {@link #SETTLE_SECONDS} before the master's expiry are left out.
     */
    private final int finWaitSeconds;
    /** Ticks from a SYN to the flow's 2nd packet, or 0: one packet gap. */
    private final int handshakeTicks;
    private final int settleTicks;
    private final int ticksPerSecond;

    // live flows, flat: swap-removed when their last packet is sent
    private int live;
    /** The live flows by the tick of their next packet (the only record of that tick). */
    private final DueWheel wheel = new DueWheel(1 << 14);
    /** Flows that sent their last packet in this tick, removed after it. */
    private int[] ending = new int[1024];
    private int[] fClient = new int[1024];
    private int[] fPort = new int[1024];
    private int[] fStart = new int[1024];
    private int[] fSent = new int[1024];
    private int[] fFailDest = new int[1024];
    private int[] fDest = new int[1024];
    /** ECMP: index of the director the flow hashes to while it is in the next-hop group. */
    private byte[] fOwner = new byte[1024];
    /** ECMP: the flow's second hash, which picks its survivor while its director is out of the group. */
    private int[] fAlt = new int[1024];
    /** Index of the last packet (packets - 1). */
    private int[] fLast = new int[1024];
    private int[] fGap = new int[1024];
    /** Index of the packet after which the idle pause comes, -1 = none. */
    private int[] fIdleAt = new int[1024];
    private int[] fIdle = new int[1024];
    /** Tick its 3rd packet (the one that syncs it; the 2nd when it has only 2) was sent, -1 = not yet. */
    private int[] fSyncAt = new int[1024];
    private byte[] fClose = new byte[1024];
    /** To the non-persistent service (port 443). */
    private boolean[] fPlain = new boolean[1024];
    // flows that ended, kept for the agreement: after FIN (FIN_WAIT), RST (CLOSE), abandoned (ESTABLISHED)
    private final EndedFlows finished = new EndedFlows();
    private final EndedFlows reset = new EndedFlows();
    private final EndedFlows abandoned = new EndedFlows();
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
    /** ECMP with more than two directors: established flows of the survivors at A's failure (they stay). */
    private long flowsStaying;
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
    // new connections per real server (index 1..N), reported when weights are configured
    private final long[] toServer;
    private long toQuiescedSinceSample;
    private int lastToQuiescedTick = -1;
    private final long[] matched = new long[3];
    private final long[] union = new long[3];
    // the population as it came out: per close kind (FIN, RST, abandon) connections ended, their packets, ticks
    private final long[] ended = new long[3];
    private long endedPackets;
    private long endedTicks;
    private long toPersistentService;
    private long idlePauses;
    private long idleResumed;
    private long idleResumedDropped;

    /**
     * Sets up the directors and the sync mesh.
     *
     * @throws IllegalArgumentException if the scenario's tunables or sizes are refused by the engine
     */
    public Simulation(Scenario scenario, long seed) {
        this.s = scenario;
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        this.shape = new SplittableRandom(seed ^ SHAPE_SALT);
        this.ticksPerSecond = 1000 / s.tickMs();
        int[] timeouts = s.timeouts().effectiveSeconds();
        this.establishedSeconds = timeouts[0];
        this.finWaitSeconds = timeouts[1];
        this.handshakeTicks = s.handshakeMs() == Scenario.HANDSHAKE_AS_GAP ? 0 : gapTicks(s.handshakeMs());
        this.settleTicks = SETTLE_SECONDS * ticksPerSecond;
        // mean life: packets x gap, plus the idle pauses, plus the ESTABLISHED timeout of abandoned connections
        double gapTicks = s.packetGapMs().isFixed() ? gapTicks((int) s.packetGapMs().first())
            : Math.max(1, s.packetGapMs().mean() / s.tickMs());
        double lifeSeconds = (s.connectionPackets().mean() - 1) * gapTicks / ticksPerSecond
            + s.idleGapProbability() * s.idleGapMs().mean() / 1000 + s.close().abandon() * establishedSeconds;
        long cap = (long) (s.newConnsPerSecond() * (lifeSeconds + finWaitSeconds + 10)) * 2
            + s.clients() + 4096;
        this.capacity = (int) Math.min(ConnTable.MAX_CAPACITY, cap);
        this.ecmpSeed = random.nextLong();
        this.weights = new int[s.realServers() + 1];
        this.toServer = new long[s.realServers() + 1];
        for (int i = 1; i <= s.realServers(); i++) {
            weights[i] = s.weight(i);
        }
        this.mesh = s.sync() ? new SimSyncMesh(clock, s.directors(), seed, s.link()) : null;
        this.dirs = new SimDirector[s.directors()];
        for (int i = 0; i < dirs.length; i++) {
            dirs[i] = director(i);
        }
        this.active = dirs[0];
        this.nextHop = new boolean[dirs.length];
        Arrays.fill(nextHop, true);
        this.cSynced = new int[s.clients()];
        Arrays.fill(cSynced, -1);
        this.cFailDest = new int[s.clients()];
        this.cFailDeadline = new int[s.clients()];
    }

    /** A packet gap in ticks: rounded, at least one. */
    private int gapTicks(int ms) {
        return Math.max(1, (int) Math.round((double) ms / s.tickMs()));
    }

    /** A started director {@code which} (0 = A, 1 = B, ...) with the current real-server set and both sync daemons. */
    private SimDirector director(int which) {
        SimDirector d = new SimDirector(clock, s, capacity, weights);
        if (s.sync()) {
            int id = (generation++ << 8) | which;
            d.startMaster(SyncDaemonConfig.master().withReliable(s.syncReliable()), mesh.masterSide(which),
                0x5100_0000 | id);
            d.startBackup(SyncDaemonConfig.backup().withReliable(s.syncReliable()), mesh.backupSide(which),
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
                failover(dirs[0], dirs[1], FAILOVER);
                dirs[0].die();
                retire(dirs[0]);
                if (mesh != null) {
                    // what was on its way to A, and what the others send while it is down, never reaches it
                    mesh.dropInFlightTo(0);
                    mesh.receiverDown(0, true);
                }
            }
            if (tick == returnTick) {
                if (mesh != null) {
                    mesh.receiverDown(0, false);
                }
                dirs[0] = director(0);
                agreeFrom[RETURN] = tick;
            }
            if (tick == preemptTick) {
                failover(dirs[1], dirs[0], RETURN);
            }
            due += perTick;
            while (due >= 1) {
                due -= 1;
                open();
            }
            sendDue(quiesceTick > 0 && tick >= quiesceTick);
            for (SimDirector d : dirs) {
                // the sync threads run alongside: a template re-armed at expiry is a sync entry
                while (d.timers(EXPIRIES_PER_SYNC_ROUND) > 0) {
                    pumpSync();
                }
            }
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
        return new SimResult(s, seed, samples, summary(samples));
    }

    /** The standby B restarts: a new engine with an empty table, new daemons; what was on its way to it is lost. */
    private void restartBackup() {
        retire(dirs[1]);
        dirs[1] = director(1);
        if (mesh != null) {
            mesh.dropInFlightTo(1);
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
        if (k < 0 || agreeAfter[k] >= 0 || !dirs[0].alive() || !dirs[1].alive()
            || (tick - agreeFrom[k]) % ticksPerSecond != 0
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
        for (SimDirector d : dirs) {
            if (d.alive()) {
                d.change(c.action(), c.server(), wasRemoved, s.weight(c.server()));
            }
        }
        weights[c.server()] = switch (c.action()) {
            case QUIESCE -> 0;
            case REMOVE -> -1;
            case RESTORE -> s.weight(c.server());
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
        SimDirector probe = SimDirector.remapProbe(clock, s, capacity, weights);
        remapFlows = 0;
        for (int i = 0; i < live; i++) {
            int was = fDest[i];
            if (fSent[i] < 2 || was == 0) {
                continue;
            }
            Decision d = probe.tcp(CLIENT_BASE + fClient[i], fPort[i], vport(i), PacketHeader.TCP_ACK);
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
        while (syncWork() > 0) {
            if (++rounds > MAX_SYNC_ROUNDS) {
                throw new IllegalStateException("sync daemons never go idle at second " + tick / ticksPerSecond);
            }
        }
    }

    /** One round of every director's sync threads, in director order; the work done. */
    private int syncWork() {
        int work = 0;
        for (SimDirector d : dirs) {
            work += d.syncWork();
        }
        return work;
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
            fOwner = Arrays.copyOf(fOwner, n);
            fAlt = Arrays.copyOf(fAlt, n);
            fLast = Arrays.copyOf(fLast, n);
            fGap = Arrays.copyOf(fGap, n);
            fIdleAt = Arrays.copyOf(fIdleAt, n);
            fIdle = Arrays.copyOf(fIdle, n);
            fSyncAt = Arrays.copyOf(fSyncAt, n);
            fClose = Arrays.copyOf(fClose, n);
            fPlain = Arrays.copyOf(fPlain, n);
        }
        int client = random.nextInt(s.clients());
        fClient[live] = client;
        fPort[live] = nextPort;
        long hash = ecmpHash(CLIENT_BASE + client, nextPort);
        // hash-threshold: N equal ranges of the hash, the lowest to director 1
        fOwner[live] = (byte) ((hash * dirs.length) >>> ECMP_HASH_BITS);
        fAlt[live] = (int) (mix(hash ^ SURVIVOR_SALT) >>> (64 - ECMP_HASH_BITS));
        nextPort = nextPort == 65535 ? 1024 : nextPort + 1;
        fStart[live] = tick;
        fSent[live] = 0;
        fFailDest[live] = 0;
        fDest[live] = 0;
        // the shape's draws come from their own stream, and a fixed value or a pure choice draws nothing
        int packets = s.connectionPackets().sample(shape, 2);
        fLast[live] = packets - 1;
        fGap[live] = gapTicks(s.packetGapMs().sample(shape, 1));
        boolean idle = s.idleGapProbability() > 0 && shape.nextDouble() < s.idleGapProbability();
        fIdleAt[live] = idle ? (packets - 1) / 2 : -1;
        fIdle[live] = idle ? (int) Math.round((double) s.idleGapMs().sample(shape, 0) / s.tickMs()) : 0;
        fClose[live] = (byte) s.close().pick(shape);
        fPlain[live] = s.twoServices() && shape.nextDouble() >= s.persistentShare();
        wheel.file(live, tick);
        fSyncAt[live] = -1;
        if (!fPlain[live]) {
            toPersistentService++;
        }
        if (idle) {
            idlePauses++;
        }
        live++;
        opened++;
    }

    /** The virtual port of flow {@code i}. */
    private int vport(int i) {
        return fPlain[i] ? SimDirector.PLAIN_PORT : 80;
    }

    /**
     * The router's L4 multipath hash (Linux fib_multipath_hash_policy 1: addresses, protocol and ports with a
     * per-boot seed), 31 bits; hash-threshold gives each of the N next hops an equal range of it.
     */
    private long ecmpHash(int client, int port) {
        long x = ecmpSeed ^ ((long) client << 32) ^ ((long) port << 16) ^ 80L ^ ((long) IpProto.TCP << 56)
            ^ SimDirector.VIP.v4();
        return mix(x) >>> 33;
    }

    /** A 64-bit finaliser (MurmurHash3 fmix64). */
    private static long mix(long x) {
        x = (x ^ (x >>> 33)) * 0xff51_afd7_ed55_8ccdL;
        x = (x ^ (x >>> 33)) * 0xc4ce_b9fe_1a85_ec53L;
        return x ^ (x >>> 33);
    }

    /**
     * The director that receives flow {@code i}'s packets now. ECMP as a resilient next-hop group: a flow stays
     * on its director while that one is in the group; a removed director's buckets (its flows) are spread over
     * the remaining ones, by the flow's second hash, and move back when it rejoins. The other flows never move.
     */
    private SimDirector route(int i) {
        if (s.traffic() != Scenario.Traffic.ECMP) {
            return active;
        }
        int owner = fOwner[i];
        if (nextHop[owner]) {
            return dirs[owner];
        }
        int others = 0;
        for (int d = 0; d < dirs.length; d++) {
            if (nextHop[d]) {
                others++;
            }
        }
        int pick = Integer.remainderUnsigned(fAlt[i], others);
        for (int d = 0; ; d++) {
            if (nextHop[d] && pick-- == 0) {
                return dirs[d];
            }
        }
    }

    private void sendDue(boolean quiesced) {
        int due = wheel.takeDue(tick);
        int[] flows = wheel.taken();
        int ends = 0;
        for (int j = 0; j < due; j++) {
            int i = flows[j];
            int k = fSent[i];
            int last = fLast[i];
            int client = fClient[i];
            int flags = k == 0 ? PacketHeader.TCP_SYN : k < last ? PacketHeader.TCP_ACK : switch (fClose[i]) {
                case CloseMix.FIN -> PacketHeader.TCP_FIN | PacketHeader.TCP_ACK;
                case CloseMix.RST -> PacketHeader.TCP_RST;
                default -> PacketHeader.TCP_ACK; // abandoned: the last packet is an ordinary one
            };
            SimDirector on = route(i);
            Decision d = on.tcp(CLIENT_BASE + client, fPort[i], vport(i), flags);
            int dest = d.verdict == Verdict.FORWARD && d.dest != null ? d.dest.address().v4() : 0;
            fDest[i] = dest;
            if (k == 0) {
                onNewConnection(client, dest, quiesced, fPlain[i]);
            }
            if (fIdleAt[i] >= 0 && k == fIdleAt[i] + 1) {
                idleResumed++;
                if (dest == 0) {
                    idleResumedDropped++;
                }
            }
            if (fFailDest[i] != 0) {
                flowsChecked[failoverKind]++;
                if (dest == fFailDest[i]) {
                    flowsContinued[failoverKind]++;
                }
                fFailDest[i] = 0;
            }
            if (k == Math.min(2, last)) {
                fSyncAt[i] = tick;
                if (!fPlain[i]) {
                    cSynced[client] = tick;
                }
            }
            fSent[i] = k + 1;
            if (++sinceSyncRound == PACKETS_PER_SYNC_ROUND) {
                sinceSyncRound = 0;
                pumpSync();
            }
            if (k == last) {
                if (ends == ending.length) {
                    ending = Arrays.copyOf(ending, ends * 2);
                }
                ending[ends++] = i;
            } else {
                wheel.file(i, tick + (k == 0 && handshakeTicks > 0 ? handshakeTicks : fGap[i])
                    + (k == fIdleAt[i] ? fIdle[i] : 0));
            }
        }
        // highest index first: finish() moves the last flow into the freed index, never one still to finish
        Arrays.sort(ending, 0, ends);
        for (int e = ends - 1; e >= 0; e--) {
            finish(ending[e]);
        }
    }

    private void onNewConnection(int client, int dest, boolean quiesced, boolean plain) {
        if (dest != 0) {
            toServer[dest - SimDirector.RS_BASE]++;
        }
        if (quiesced && dest != 0 && weights[dest - SimDirector.RS_BASE] == 0) {
            toQuiescedTotal++;
            toQuiescedSinceSample++;
            lastToQuiescedTick = tick;
        }
        // only a connection to the persistent service can keep the client's template's server
        if (!plain && cFailDest[client] != 0) {
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

    /** Flow {@code i} sent its last packet: it moves to the ended flows of its close kind. */
    private void finish(int i) {
        int kind = fClose[i];
        EndedFlows to = kind == CloseMix.FIN ? finished : kind == CloseMix.RST ? reset : abandoned;
        to.add(fClient[i], fPort[i], vport(i), tick);
        ended[kind]++;
        endedPackets += fLast[i] + 1;
        endedTicks += tick - fStart[i];
        live--;
        if (i == live) {
            return;
        }
        wheel.move(live, i);
        fClient[i] = fClient[live];
        fPort[i] = fPort[live];
        fStart[i] = fStart[live];
        fSent[i] = fSent[live];
        fFailDest[i] = fFailDest[live];
        fDest[i] = fDest[live];
        fOwner[i] = fOwner[live];
        fAlt[i] = fAlt[live];
        fLast[i] = fLast[live];
        fGap[i] = fGap[live];
        fIdleAt[i] = fIdleAt[live];
        fIdle[i] = fIdle[live];
        fSyncAt[i] = fSyncAt[live];
        fClose[i] = fClose[live];
        fPlain[i] = fPlain[live];
    }

    /**
     * Traffic moves from {@code from} to {@code to} ({@code kind}: A's failure or A's return): remember which real
     * server the director carrying them had for the established flows that move (in ECMP: A's own flows, from
     * A or from the survivors carrying them) and which {@code from} had for its live templates, to check later
     * what the director they move to does with them.
     */
    private void failover(SimDirector from, SimDirector to, int kind) {
        failoverKind = kind;
        Arrays.fill(cFailDest, 0);
        long vip = SimDirector.VIP.lo();
        boolean ecmp = s.traffic() == Scenario.Traffic.ECMP;
        // with more than two ECMP directors, also count the established flows that stay, for the moved share
        boolean countStaying = ecmp && kind == FAILOVER && dirs.length > 2;
        for (int i = 0; i < live; i++) {
            fFailDest[i] = 0;
            boolean moves = !ecmp || fOwner[i] == 0;
            if (!moves && !countStaying) {
                continue; // stays on its director both when A fails and when A returns
            }
            SimDirector on = route(i);
            ConnTable t = on.engine.conns4();
            int c = t.lookupIn(IpProto.TCP, 0, CLIENT_BASE + fClient[i], fPort[i], 0, vip, vport(i));
            if (c != ConnTable.NONE && t.state(c) == TcpState.ESTABLISHED
                && (t.flags(c) & ConnFlags.TEMPLATE) == 0) {
                if (moves) {
                    fFailDest[i] = on.engine.destOf(t, c).address().v4();
                    flowsAt[kind]++;
                } else {
                    flowsStaying++;
                }
            }
        }
        if (s.persistent() > 0) {
            ConnTable t = from.engine.conns4();
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
        nextHop[0] = kind == RETURN;
    }

    private SimResult.Sample sample(boolean afterFailure) {
        double[] agreement = {Double.NaN, Double.NaN, Double.NaN};
        if (dirs[0].alive() && dirs[1].alive() && s.sync() && s.traffic() == Scenario.Traffic.STANDBY) {
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
        long[][] others = new long[dirs.length - 2][];
        for (int i = 2; i < dirs.length; i++) {
            others[i - 2] = dirs[i].counters();
        }
        SimResult.Sample row = new SimResult.Sample(tick / ticksPerSecond, dirs[0].counters(), dirs[1].counters(),
            agreement, syncDatagrams(), syncBytes(), toQuiescedSinceSample, others);
        toQuiescedSinceSample = 0;
        return row;
    }

    private long syncDatagrams() {
        return mesh == null ? 0 : mesh.sent();
    }

    /** Sync wire bytes (payload + IPv4/UDP headers) all masters sent so far. */
    private long syncBytes() {
        return mesh == null ? 0 : mesh.sentBytes();
    }

    /**
     * Settled agreement per counter: among entries whose last synced change is older than
     * {@link #SETTLE_SECONDS}, those counted alike on both directors over those counted on either.
     */
    private void agreement(long[] m, long[] u) {
        ConnTable ta = dirs[0].engine.conns4();
        ConnTable tb = dirs[1].engine.conns4();
        long vip = SimDirector.VIP.lo();
        int settled = tick - settleTicks;
        for (int i = 0; i < live; i++) {
            if (fSyncAt[i] < 0 || fSyncAt[i] - settled > 0) {
                continue;
            }
            int client = CLIENT_BASE + fClient[i];
            count(m, u, 0, active(ta, ta.lookupIn(IpProto.TCP, 0, client, fPort[i], 0, vip, vport(i))),
                active(tb, tb.lookupIn(IpProto.TCP, 0, client, fPort[i], 0, vip, vport(i))));
        }
        compareEnded(m, u, finished, finWaitSeconds - SETTLE_SECONDS, false);
        compareEnded(m, u, reset, RETAIN_RESET_SECONDS, false);
        // an abandoned entry stays ESTABLISHED (ActiveConn) until its timeout
        compareEnded(m, u, abandoned, establishedSeconds - SETTLE_SECONDS, true);
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

    /**
     * Compares the entries of ended flows that ended at least {@link #SETTLE_SECONDS} ago and less than
     * {@code retainSeconds} ago (while both copies surely exist): as ActiveConn or as InActConn.
     */
    private void compareEnded(long[] m, long[] u, EndedFlows flows, int retainSeconds, boolean asActive) {
        ConnTable ta = dirs[0].engine.conns4();
        ConnTable tb = dirs[1].engine.conns4();
        long vip = SimDirector.VIP.lo();
        int settled = tick - settleTicks;
        flows.dropBefore(tick - retainSeconds * ticksPerSecond);
        for (int j = 0; j < flows.size(); j++) {
            if (flows.endedAt(j) - settled > 0) {
                break;
            }
            int client = CLIENT_BASE + flows.client(j);
            int ca = ta.lookupIn(IpProto.TCP, 0, client, flows.port(j), 0, vip, flows.vport(j));
            int cb = tb.lookupIn(IpProto.TCP, 0, client, flows.port(j), 0, vip, flows.vport(j));
            if (asActive) {
                count(m, u, 0, active(ta, ca), active(tb, cb));
            } else {
                count(m, u, 1, inactive(ta, ca), inactive(tb, cb));
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

    private Map<String, String> summary(List<SimResult.Sample> samples) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("connections", Long.toString(opened));
        if (!s.weights().isEmpty()) {
            StringBuilder share = new StringBuilder();
            for (int i = 1; i < toServer.length; i++) {
                share.append(i > 1 ? " " : "").append("rs").append(i).append('=')
                    .append(opened == 0 ? "n/a" : fmt("%.1f%%", 100.0 * toServer[i] / opened));
            }
            out.put("new_conns_per_real_server", share.toString());
        }
        boolean ecmp = s.traffic() == Scenario.Traffic.ECMP;
        String sfx = ecmp ? "_" + schedulerLabel() : "";
        if (s.sync()) {
            if (!ecmp) {
                out.put("agreement_active", percent(matched[0], union[0]));
                out.put("agreement_inact", percent(matched[1], union[1]));
                out.put("agreement_persist", percent(matched[2], union[2]));
                rawRatios(samples, out);
            }
            long dgrams = syncDatagrams();
            long bytes = syncBytes();
            long entries = retiredEntriesSent;
            long dropped = retiredQueueDrops;
            for (SimDirector d : dirs) {
                entries += entriesSent(d);
                dropped += queueDrops(d);
            }
            out.put("sync_datagrams", Long.toString(dgrams));
            out.put("sync_datagrams_lost", Long.toString(mesh.lost()));
            if (s.syncReliable()) {
                out.put("sync_replies_lost", Long.toString(mesh.repliesLost()));
            }
            if (mesh.overflowed() > 0 || s.link().bandwidthMbit() > 0) {
                out.put("sync_datagrams_over_bandwidth", Long.toString(mesh.overflowed()));
            }
            if (s.link().reorderPercent() > 0) {
                out.put("sync_datagrams_reordered", Long.toString(mesh.reordered()));
            }
            if (dropped > 0) {
                out.put("sync_entries_dropped_queue_full", Long.toString(dropped));
            }
            out.put("sync_bytes", Long.toString(bytes));
            out.put("sync_mbit_per_s", fmt("%.3f", bytes * 8.0 / s.duration() / 1e6));
            out.put("sync_datagrams_per_s", fmt("%.1f", (double) dgrams / s.duration()));
            // every director's master sends for the connections it carries
            out.put("sync_bytes_per_conn", opened == 0 ? "n/a" : fmt("%.1f", (double) bytes / opened));
            out.put("sync_entries_per_conn", opened == 0 ? "n/a" : fmt("%.2f", (double) entries / opened));
        }
        if (!s.uniformPopulation()) {
            population(out);
        }
        if (s.backupRestartsAt() > 0) {
            out.put("time_to_agreement_s", agreeTime(0, s.failDirectorAt() > 0 ? s.failDirectorAt() : s.duration(),
                s.backupRestartsAt()));
        }
        if (s.failDirectorAt() > 0) {
            out.put("flows_at_failure" + sfx, Long.toString(flowsAt[FAILOVER]));
            out.put("flows_continued" + sfx, percent(flowsContinued[FAILOVER], flowsChecked[FAILOVER]));
            if (ecmp && dirs.length > 2) {
                out.put("flows_moved_at_failure", percent(flowsAt[FAILOVER], flowsAt[FAILOVER] + flowsStaying));
            }
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

    /** What the drawn population came to (only for scenarios that ask for a varied one). */
    private void population(Map<String, String> out) {
        long n = ended[0] + ended[1] + ended[2];
        if (s.twoServices()) {
            out.put("conns_to_persistent_service", Long.toString(toPersistentService));
        }
        out.put("packets_per_conn", n == 0 ? "n/a" : fmt("%.2f", (double) endedPackets / n));
        out.put("conn_seconds", n == 0 ? "n/a" : fmt("%.1f", (double) endedTicks / n / ticksPerSecond));
        out.put("closed_fin", Long.toString(ended[CloseMix.FIN]));
        out.put("closed_rst", Long.toString(ended[CloseMix.RST]));
        out.put("abandoned", Long.toString(ended[CloseMix.ABANDON]));
        if (s.idleGapProbability() > 0) {
            out.put("idle_pauses", Long.toString(idlePauses));
            out.put("idle_resumed_not_forwarded", percent(idleResumedDropped, idleResumed));
        }
    }

    /**
     * CPU time of the backups' receive-and-apply rounds per entry applied (measured on the real code, this host;
     * not deterministic), or n/a.
     */
    public String cpuPerAppliedEntry() {
        long nanos = retiredCpuNanos;
        long entries = retiredApplied;
        for (SimDirector d : dirs) {
            nanos += cpu(d);
            entries += d.backup() == null ? 0 : applied(d);
        }
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

    /**
     * B's counters over A's in the last row before the failure (or the last row), as a field report computes
     * them from two {@code ipvsadm -L} listings: lag and never-synced states included. With
     * {@code reference_ratios}, the reference's figures follow.
     */
    private void rawRatios(List<SimResult.Sample> samples, Map<String, String> out) {
        SimResult.Sample last = null;
        for (SimResult.Sample x : samples) {
            if (s.failDirectorAt() == 0 || x.second() < s.failDirectorAt()) {
                last = x;
            }
        }
        String[] names = {"active", "inact", "persist"};
        for (int k = 0; k < names.length; k++) {
            out.put("ratio_" + names[k], last == null ? "n/a" : percent(last.b()[k], last.a()[k]));
            if (!s.referenceRatios().isEmpty()) {
                out.put("reference_ratio_" + names[k], fmt("%.2f%%", s.referenceRatios().get(k)));
            }
        }
    }

    private static String percent(long part, long whole) {
        return whole == 0 ? "n/a" : fmt("%.2f%%", 100.0 * part / whole);
    }

    private static String fmt(String f, double v) {
        return String.format(Locale.ROOT, f, v);
    }
}
