package uvs.lab.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import uvs.core.Decision;
import uvs.core.PacketHeader;
import uvs.core.Verdict;
import uvs.core.conn.ConnFlags;
import uvs.core.conn.ConnTable;
import uvs.core.net.IpProto;
import uvs.core.proto.TcpState;
import uvs.sync.SyncDaemonConfig;
import uvs.sync.master.SyncMaster;
import uvs.sync.transport.InMemorySyncTransport;
import uvs.time.Jiffies;
import uvs.time.ManualClock;

/**
 * Runs a scenario on two real engines in virtual time: director A (sync master) takes all traffic until it
 * dies, director B (sync backup) takes it afterwards. Measures backup/master agreement, sync traffic, and at
 * the failure which established flows and persistent clients B keeps on their real server.
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
    private static final int WIRE_BYTES = 64 << 20;
    private static final int MAX_SYNC_ROUNDS = 1_000_000;

    private final Scenario s;
    private final long seed;
    private final ManualClock clock = new ManualClock();
    private final SimDirector a;
    private final SimDirector b;
    private final InMemorySyncTransport wire;
    private final SplittableRandom random;
    private final int gapTicks;
    private final int settleTicks;
    private final int ticksPerSecond;
    private final int rs1;

    // live flows, flat: swap-removed when their last packet is sent
    private int live;
    private int[] fClient = new int[1024];
    private int[] fPort = new int[1024];
    private int[] fStart = new int[1024];
    private int[] fSent = new int[1024];
    private int[] fFailDest = new int[1024];
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
    private int nextPort = 1024;
    private double due;
    private long opened;
    private long openedOnA;
    private long flowsAtFailure;
    private long flowsChecked;
    private long flowsContinued;
    private long persistAtFailure;
    private long persistChecked;
    private long persistKept;
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
        long capacity = (long) (s.newConnsPerSecond() * (lifeSeconds + TIME_WAIT_SECONDS + 10)) * 2
            + s.clients() + 4096;
        int cap = (int) Math.min(ConnTable.MAX_CAPACITY, capacity);
        this.a = new SimDirector(clock, s, cap);
        this.b = new SimDirector(clock, s, cap);
        this.wire = new InMemorySyncTransport(1, WIRE_BYTES, seed, s.syncLossPercent(), s.syncLossPercent());
        SyncDaemonConfig master = SyncDaemonConfig.master().withReliable(s.syncReliable());
        a.startMaster(master, wire);
        b.startBackup(SyncDaemonConfig.backup().withReliable(s.syncReliable()), wire);
        this.rs1 = SimDirector.RS_BASE + 1;
        this.cSynced = new int[s.clients()];
        Arrays.fill(cSynced, -1);
        this.cFailDest = new int[s.clients()];
        this.cFailDeadline = new int[s.clients()];
    }

    /** Runs the whole scenario and returns its measurements. */
    public SimResult run() {
        List<SimResult.Sample> samples = new ArrayList<>();
        int total = s.duration() * ticksPerSecond;
        int failTick = s.failDirectorAt() * ticksPerSecond;
        int quiesceTick = s.quiesceServerAt() * ticksPerSecond;
        int sampleTicks = s.sampleEvery() * ticksPerSecond;
        double perTick = s.newConnsPerSecond() / ticksPerSecond;
        for (tick = 1; tick <= total; tick++) {
            clock.advanceMillis(s.tickMs());
            if (tick == quiesceTick) {
                a.weight(1, 0);
                b.weight(1, 0);
            }
            if (tick == failTick) {
                fail();
            }
            SimDirector on = failTick > 0 && tick >= failTick ? b : a;
            due += perTick;
            while (due >= 1) {
                due -= 1;
                open();
            }
            sendDue(on, quiesceTick > 0 && tick >= quiesceTick);
            a.timers();
            b.timers();
            pumpSync();
            if (tick % sampleTicks == 0) {
                samples.add(sample(failTick > 0 && tick >= failTick));
            }
        }
        return new SimResult(s, seed, samples, summary(samples, quiesceTick));
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
        }
        fClient[live] = random.nextInt(s.clients());
        fPort[live] = nextPort;
        nextPort = nextPort == 65535 ? 1024 : nextPort + 1;
        fStart[live] = tick;
        fSent[live] = 0;
        fFailDest[live] = 0;
        live++;
        opened++;
    }

    private void sendDue(SimDirector on, boolean quiesced) {
        int last = s.connectionPackets() - 1;
        for (int i = 0; i < live; i++) {
            int k = fSent[i];
            if (fStart[i] + k * gapTicks != tick) {
                continue;
            }
            int client = fClient[i];
            int flags = k == 0 ? PacketHeader.TCP_SYN
                : k == last ? PacketHeader.TCP_FIN | PacketHeader.TCP_ACK : PacketHeader.TCP_ACK;
            Decision d = on.tcp(CLIENT_BASE + client, fPort[i], flags);
            int dest = d.verdict == Verdict.FORWARD && d.dest != null ? d.dest.address().v4() : 0;
            if (k == 0) {
                onNewConnection(on, client, dest, quiesced);
            }
            if (fFailDest[i] != 0) {
                flowsChecked++;
                if (dest == fFailDest[i]) {
                    flowsContinued++;
                }
                fFailDest[i] = 0;
            }
            if (k == Math.min(2, last)) {
                cSynced[client] = tick;
            }
            fSent[i] = k + 1;
            if (k == last) {
                finish(i);
                i--;
            }
        }
    }

    private void onNewConnection(SimDirector on, int client, int dest, boolean quiesced) {
        if (on == a) {
            openedOnA++;
        }
        if (quiesced && dest == rs1) {
            toQuiescedTotal++;
            toQuiescedSinceSample++;
            lastToQuiescedTick = tick;
        }
        if (cFailDest[client] != 0) {
            // counted only while A's template would surely still have been alive
            if (tick - cFailDeadline[client] < 0) {
                persistChecked++;
                if (dest == cFailDest[client]) {
                    persistKept++;
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

    /** A dies: remember what it knew (established flows, live templates), then stop it. */
    private void fail() {
        ConnTable t = a.engine.conns4();
        long vip = SimDirector.VIP.lo();
        for (int i = 0; i < live; i++) {
            int c = t.lookupIn(IpProto.TCP, 0, CLIENT_BASE + fClient[i], fPort[i], 0, vip, 80);
            if (c != ConnTable.NONE && t.state(c) == TcpState.ESTABLISHED
                && (t.flags(c) & ConnFlags.TEMPLATE) == 0) {
                fFailDest[i] = a.engine.destOf(t, c).address().v4();
                flowsAtFailure++;
            }
        }
        if (s.persistent() > 0) {
            int now = a.engine.nowJiffies();
            for (int client = 0; client < cSynced.length; client++) {
                int c = t.lookupTemplate(IpProto.TCP, 0, CLIENT_BASE + client, 0, vip, 80);
                if (c != ConnTable.NONE) {
                    cFailDest[client] = a.engine.destOf(t, c).address().v4();
                    int leftMs = (t.expires(c) - now) * (1000 / Jiffies.HZ);
                    cFailDeadline[client] = tick + leftMs / s.tickMs();
                    persistAtFailure++;
                }
            }
        }
        a.die();
    }

    private SimResult.Sample sample(boolean aDead) {
        double[] agreement = {Double.NaN, Double.NaN, Double.NaN};
        if (!aDead) {
            long[] m = new long[3];
            long[] u = new long[3];
            agreement(m, u);
            for (int k = 0; k < 3; k++) {
                matched[k] += m[k];
                union[k] += u[k];
                agreement[k] = u[k] == 0 ? Double.NaN : 100.0 * m[k] / u[k];
            }
        }
        SyncMaster master = a.master();
        long dgrams = master.counters().messagesSent();
        long bytes = master.counters().bytesSent() + (long) SyncDaemonConfig.HLEN_V4 * dgrams;
        SimResult.Sample row = new SimResult.Sample(tick / ticksPerSecond, a.counters(), b.counters(), agreement,
            dgrams, bytes, toQuiescedSinceSample);
        toQuiescedSinceSample = 0;
        return row;
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

    private Map<String, String> summary(List<SimResult.Sample> samples, int quiesceTick) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("connections", Long.toString(opened));
        out.put("agreement_active", percent(matched[0], union[0]));
        out.put("agreement_inact", percent(matched[1], union[1]));
        out.put("agreement_persist", percent(matched[2], union[2]));
        SyncMaster master = a.master();
        long dgrams = master.counters().messagesSent();
        long bytes = master.counters().bytesSent() + (long) SyncDaemonConfig.HLEN_V4 * dgrams;
        out.put("sync_datagrams", Long.toString(dgrams));
        out.put("sync_datagrams_lost", Long.toString(wire.lost()));
        out.put("sync_bytes", Long.toString(bytes));
        out.put("sync_bytes_per_conn", openedOnA == 0 ? "n/a" : fmt("%.1f", (double) bytes / openedOnA));
        out.put("sync_entries_per_conn", openedOnA == 0 ? "n/a"
            : fmt("%.2f", (double) master.counters().entriesSent() / openedOnA));
        if (s.failDirectorAt() > 0) {
            out.put("flows_at_failure", Long.toString(flowsAtFailure));
            out.put("flows_continued", percent(flowsContinued, flowsChecked));
            out.put("persistent_clients_at_failure", Long.toString(persistAtFailure));
            out.put("persistent_returned", Long.toString(persistChecked));
            out.put("persistent_kept", percent(persistKept, persistChecked));
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

    private static String percent(long part, long whole) {
        return whole == 0 ? "n/a" : fmt("%.2f%%", 100.0 * part / whole);
    }

    private static String fmt(String f, double v) {
        return String.format(Locale.ROOT, f, v);
    }
}
