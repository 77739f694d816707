package uvs.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import uvs.core.Decision;
import uvs.core.PacketHeader;
import uvs.core.Verdict;
import uvs.core.conn.ConnFlags;
import uvs.core.conn.ConnTable;
import uvs.core.net.IpProto;
import uvs.core.proto.TcpState;
import uvs.sim.AgreementMeter.Agreement;
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
    /** Client i is address CLIENT_BASE + i. */
    static final int CLIENT_BASE = 0x0b00_0000;
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

    private final Scenario s;
    private final long seed;
    private final ManualClock clock = new ManualClock();
    private final int capacity;
    private final long ecmpSeed;
    /** Directors 1..N at index 0..N-1: index 0 is A (fails and returns), index 1 is B (takes over). */
    private final SimDirector[] dirs;
    private final TrafficRouter router;
    private int generation;
    private final SimSyncMesh mesh;
    /** Weight of real server i (1-based) as configured now; -1 = removed. */
    private final int[] weights;
    private final SplittableRandom random;
    /** Connection shapes, close kinds, service choice: drawn only where the scenario asks for variety. */
    private final SplittableRandom shape;
    /** TCP ESTABLISHED timeout in seconds: how long an abandoned connection's entry lives after its last packet. */
    private final int establishedSeconds;
    /** Ticks from a SYN to the flow's 2nd packet, or 0: one packet gap. */
    private final int handshakeTicks;
    private final int ticksPerSecond;

    private final FlowPopulation flows = new FlowPopulation();
    /** Flows that sent their last packet in this tick, removed after it. */
    private int[] ending = new int[1024];
    // flows that ended, kept for the agreement: after FIN (FIN_WAIT), RST (CLOSE), abandoned (ESTABLISHED)
    private final EndedFlows finished = new EndedFlows();
    private final EndedFlows reset = new EndedFlows();
    private final EndedFlows abandoned = new EndedFlows();
    private final AgreementMeter meter;
    // per client: tick its latest connection was synced (-1: none yet), and what A knew at the failure
    private final int[] cSynced;
    private final int[] cFailDest;
    private final int[] cFailDeadline;

    private int tick;
    private int sinceSyncRound;
    private int nextPort = 1024;
    private double due;
    private int failoverKind;
    private final FailoverTally moves = new FailoverTally();
    private final PopulationTally population;
    private final RemapTally remap = new RemapTally();
    private QuiesceTally quiesce;
    /** Ticks after a restart until the tables agree: [backup restart, director return]; -1 = not reached. */
    private final int[] agreeAfter = {-1, -1};
    private final int[] agreeFrom = {-1, -1};
    /** Agreement summed over the samples before the failure. */
    private Agreement settled = Agreement.NONE;
    private long retiredEntriesSent;
    private long retiredQueueDrops;
    private long retiredCpuNanos;
    private long retiredApplied;

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
        // a flow closed by the client's FIN lives on in FIN_WAIT (the tcpfin timeout; a director routing
        // directly sees no more of it)
        int finWaitSeconds = timeouts[1];
        this.handshakeTicks = s.handshakeMs() == Scenario.HANDSHAKE_AS_GAP ? 0 : gapTicks(s.handshakeMs());
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
        this.population = new PopulationTally(s.realServers());
        for (int i = 1; i <= s.realServers(); i++) {
            weights[i] = s.weight(i);
        }
        this.mesh = s.sync() ? new SimSyncMesh(clock, s.directors(), seed, s.link()) : null;
        this.dirs = new SimDirector[s.directors()];
        for (int i = 0; i < dirs.length; i++) {
            dirs[i] = director(i);
        }
        this.router = s.traffic() == Scenario.Traffic.ECMP ? new EcmpRouter(dirs.length) : new StandbyRouter();
        this.cSynced = new int[s.clients()];
        Arrays.fill(cSynced, -1);
        this.cFailDest = new int[s.clients()];
        this.cFailDeadline = new int[s.clients()];
        // ended flows are compared while both copies surely exist: the backup's copy may expire up to the sync
        // lag after the master's, so the last SETTLE_SECONDS before the master's expiry are left out
        this.meter = new AgreementMeter(flows, finished, reset, abandoned, cSynced, s.persistent() > 0,
            SETTLE_SECONDS * ticksPerSecond, ticksPerSecond, finWaitSeconds - SETTLE_SECONDS, RETAIN_RESET_SECONDS,
            establishedSeconds - SETTLE_SECONDS);
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
        int sampleTicks = s.sampleEvery() * ticksPerSecond;
        double perTick = s.newConnsPerSecond() / ticksPerSecond;
        quiesce = new QuiesceTally(s.serverChanges().stream()
            .filter(c -> c.action() == Scenario.ServerAction.QUIESCE)
            .mapToInt(c -> c.second() * ticksPerSecond).findFirst().orElse(0));
        Timeline timeline = new Timeline(s, ticksPerSecond);
        int shown = -1;
        for (tick = 1; tick <= total; tick++) {
            clock.advanceMillis(s.tickMs());
            for (Timeline.Event e = timeline.poll(tick); e != null; e = timeline.poll(tick)) {
                happen(e);
            }
            due += perTick;
            while (due >= 1) {
                due -= 1;
                open();
            }
            sendDue(quiesce.tick > 0 && tick >= quiesce.tick);
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
        return new SimResult(s, seed, samples, SimSummary.of(s, ticksPerSecond, tick, samples, population,
            syncTally(), settled, moves, remap, quiesce, agreeAfter, dirs.length));
    }

    /** One scenario event at this tick. */
    private void happen(Timeline.Event e) {
        switch (e.kind()) {
            case SERVER_CHANGE -> changeServer(e.change());
            case BACKUP_RESTART -> restartBackup();
            case DIRECTOR_FAILS -> {
                failover(0, 1, FailoverTally.FAILOVER);
                dirs[0].die();
                retire(dirs[0]);
                if (mesh != null) {
                    // what was on its way to A, and what the others send while it is down, never reaches it
                    mesh.dropInFlightTo(0);
                    mesh.receiverDown(0, true);
                }
            }
            case DIRECTOR_RETURNS -> {
                if (mesh != null) {
                    mesh.receiverDown(0, false);
                }
                dirs[0] = director(0);
                agreeFrom[FailoverTally.RETURN] = tick;
            }
            case PREEMPT -> failover(1, 0, FailoverTally.RETURN);
        }
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
        if (measure().atLeast(AGREED_PERCENT)) {
            agreeAfter[k] = tick - agreeFrom[k];
        }
    }

    private Agreement measure() {
        return meter.measure(dirs[0].engine.conns4(), dirs[1].engine.conns4(), tick);
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
        if (s.traffic() == Scenario.Traffic.ECMP && remap.flows < 0) {
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
        remap.flows = 0;
        for (int i = 0; i < flows.size(); i++) {
            int was = flows.dest[i];
            if (flows.sent[i] < 2 || was == 0) {
                continue;
            }
            Decision d = probe.tcp(CLIENT_BASE + flows.client[i], flows.port[i], flows.vport(i), PacketHeader.TCP_ACK);
            int now = d.verdict == Verdict.FORWARD && d.dest != null ? d.dest.address().v4() : 0;
            remap.flows++;
            boolean moved = now != was;
            if (moved) {
                remap.moved++;
            }
            if (weights[was - SimDirector.RS_BASE] > 0) {
                remap.untouched++;
                if (moved) {
                    remap.untouchedMoved++;
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

    /** A new connection from a random client: its shape drawn, filed for its SYN now. */
    private void open() {
        int i = flows.add();
        int client = random.nextInt(s.clients());
        flows.client[i] = client;
        flows.port[i] = nextPort;
        long hash = EcmpRouter.hash(ecmpSeed, CLIENT_BASE + client, nextPort);
        flows.owner[i] = EcmpRouter.owner(hash, dirs.length);
        flows.alt[i] = EcmpRouter.survivorHash(hash);
        nextPort = nextPort == 65535 ? 1024 : nextPort + 1;
        flows.start[i] = tick;
        flows.sent[i] = 0;
        flows.failDest[i] = 0;
        flows.dest[i] = 0;
        // the shape's draws come from their own stream, and a fixed value or a pure choice draws nothing
        int packets = s.connectionPackets().sample(shape, 2);
        flows.last[i] = packets - 1;
        flows.gap[i] = gapTicks(s.packetGapMs().sample(shape, 1));
        boolean idle = s.idleGapProbability() > 0 && shape.nextDouble() < s.idleGapProbability();
        flows.idleAt[i] = idle ? (packets - 1) / 2 : -1;
        flows.idle[i] = idle ? (int) Math.round((double) s.idleGapMs().sample(shape, 0) / s.tickMs()) : 0;
        flows.close[i] = (byte) s.close().pick(shape);
        flows.plain[i] = s.twoServices() && shape.nextDouble() >= s.persistentShare();
        flows.file(i, tick);
        flows.syncAt[i] = -1;
        if (!flows.plain[i]) {
            population.toPersistentService++;
        }
        if (idle) {
            population.idlePauses++;
        }
        population.opened++;
    }

    private void sendDue(boolean quiesced) {
        int dueNow = flows.takeDue(tick);
        int[] taken = flows.taken();
        int ends = 0;
        for (int j = 0; j < dueNow; j++) {
            int i = taken[j];
            int k = flows.sent[i];
            int last = flows.last[i];
            int client = flows.client[i];
            int flags = k == 0 ? PacketHeader.TCP_SYN : k < last ? PacketHeader.TCP_ACK : switch (flows.close[i]) {
                case CloseMix.FIN -> PacketHeader.TCP_FIN | PacketHeader.TCP_ACK;
                case CloseMix.RST -> PacketHeader.TCP_RST;
                default -> PacketHeader.TCP_ACK; // abandoned: the last packet is an ordinary one
            };
            SimDirector on = dirs[router.route(flows, i)];
            Decision d = on.tcp(CLIENT_BASE + client, flows.port[i], flows.vport(i), flags);
            int dest = d.verdict == Verdict.FORWARD && d.dest != null ? d.dest.address().v4() : 0;
            flows.dest[i] = dest;
            if (k == 0) {
                onNewConnection(client, dest, quiesced, flows.plain[i]);
            }
            if (flows.idleAt[i] >= 0 && k == flows.idleAt[i] + 1) {
                population.idleResumed++;
                if (dest == 0) {
                    population.idleResumedDropped++;
                }
            }
            if (flows.failDest[i] != 0) {
                moves.flowsChecked[failoverKind]++;
                if (dest == flows.failDest[i]) {
                    moves.flowsContinued[failoverKind]++;
                }
                flows.failDest[i] = 0;
            }
            if (k == Math.min(2, last)) {
                flows.syncAt[i] = tick;
                if (!flows.plain[i]) {
                    cSynced[client] = tick;
                }
            }
            flows.sent[i] = k + 1;
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
                flows.file(i, tick + (k == 0 && handshakeTicks > 0 ? handshakeTicks : flows.gap[i])
                    + (k == flows.idleAt[i] ? flows.idle[i] : 0));
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
            population.toServer[dest - SimDirector.RS_BASE]++;
        }
        if (quiesced && dest != 0 && weights[dest - SimDirector.RS_BASE] == 0) {
            quiesce.total++;
            quiesce.sinceSample++;
            quiesce.lastTick = tick;
        }
        // only a connection to the persistent service can keep the client's template's server
        if (!plain && cFailDest[client] != 0) {
            // counted only while the old director's template would surely still have been alive
            if (tick - cFailDeadline[client] < 0) {
                moves.persistChecked[failoverKind]++;
                if (dest == cFailDest[client]) {
                    moves.persistKept[failoverKind]++;
                }
            }
            cFailDest[client] = 0;
        }
    }

    /** Flow {@code i} sent its last packet: it moves to the ended flows of its close kind. */
    private void finish(int i) {
        int kind = flows.close[i];
        EndedFlows to = kind == CloseMix.FIN ? finished : kind == CloseMix.RST ? reset : abandoned;
        to.add(flows.client[i], flows.port[i], flows.vport(i), tick);
        population.ended[kind]++;
        population.endedPackets += flows.last[i] + 1;
        population.endedTicks += tick - flows.start[i];
        flows.remove(i);
    }

    /**
     * Traffic moves from director {@code from} to {@code to} ({@code kind}: A's failure or A's return): remember
     * which real server the director carrying them had for the established flows that move (in ECMP: A's own
     * flows, from A or from the survivors carrying them) and which {@code from} had for its live templates, to
     * check later what the director they move to does with them.
     */
    private void failover(int from, int to, int kind) {
        failoverKind = kind;
        Arrays.fill(cFailDest, 0);
        long vip = SimDirector.VIP.lo();
        boolean ecmp = s.traffic() == Scenario.Traffic.ECMP;
        // with more than two ECMP directors, also count the established flows that stay, for the moved share
        boolean countStaying = ecmp && kind == FailoverTally.FAILOVER && dirs.length > 2;
        for (int i = 0; i < flows.size(); i++) {
            flows.failDest[i] = 0;
            boolean moving = !ecmp || flows.owner[i] == 0;
            if (!moving && !countStaying) {
                continue; // stays on its director both when A fails and when A returns
            }
            SimDirector on = dirs[router.route(flows, i)];
            ConnTable t = on.engine.conns4();
            int c = t.lookupIn(IpProto.TCP, 0, CLIENT_BASE + flows.client[i], flows.port[i], 0, vip, flows.vport(i));
            if (c != ConnTable.NONE && t.state(c) == TcpState.ESTABLISHED
                && (t.flags(c) & ConnFlags.TEMPLATE) == 0) {
                if (moving) {
                    flows.failDest[i] = on.engine.destOf(t, c).address().v4();
                    moves.flowsAt[kind]++;
                } else {
                    moves.flowsStaying++;
                }
            }
        }
        if (s.persistent() > 0) {
            SimDirector left = dirs[from];
            ConnTable t = left.engine.conns4();
            int now = left.engine.nowJiffies();
            for (int client = 0; client < cSynced.length; client++) {
                int c = t.lookupTemplate(IpProto.TCP, 0, CLIENT_BASE + client, 0, vip, 80);
                if (c != ConnTable.NONE) {
                    cFailDest[client] = left.engine.destOf(t, c).address().v4();
                    int leftMs = (t.expires(c) - now) * (1000 / Jiffies.HZ);
                    cFailDeadline[client] = tick + leftMs / s.tickMs();
                    moves.persistAt[kind]++;
                }
            }
        }
        router.moved(to, kind == FailoverTally.RETURN);
    }

    private SimResult.Sample sample(boolean afterFailure) {
        double[] agreement = {Double.NaN, Double.NaN, Double.NaN};
        if (dirs[0].alive() && dirs[1].alive() && s.sync() && s.traffic() == Scenario.Traffic.STANDBY) {
            Agreement a = measure();
            if (!afterFailure) {
                settled = settled.plus(a);
            }
            agreement = a.percents();
        }
        long[][] others = new long[dirs.length - 2][];
        for (int i = 2; i < dirs.length; i++) {
            others[i - 2] = dirs[i].counters();
        }
        SimResult.Sample row = new SimResult.Sample(tick / ticksPerSecond, dirs[0].counters(), dirs[1].counters(),
            agreement, syncDatagrams(), syncBytes(), quiesce.sinceSample, others);
        quiesce.sinceSample = 0;
        return row;
    }

    private long syncDatagrams() {
        return mesh == null ? 0 : mesh.sent();
    }

    /** Sync wire bytes (payload + IPv4/UDP headers) all masters sent so far. */
    private long syncBytes() {
        return mesh == null ? 0 : mesh.sentBytes();
    }

    /** The run's sync traffic over every director, or null without sync. */
    private SyncTally syncTally() {
        if (mesh == null) {
            return null;
        }
        long entries = retiredEntriesSent;
        long dropped = retiredQueueDrops;
        for (SimDirector d : dirs) {
            entries += entriesSent(d);
            dropped += queueDrops(d);
        }
        return new SyncTally(syncDatagrams(), syncBytes(), entries, dropped, mesh.lost(), mesh.repliesLost(),
            mesh.overflowed(), mesh.reordered());
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
        return entries == 0 ? "n/a" : String.format(Locale.ROOT, "%.0f", (double) nanos / entries);
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
}
