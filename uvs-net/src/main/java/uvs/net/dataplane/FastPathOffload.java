package uvs.net.dataplane;

import uvs.core.ConnectionRemovalHook;
import uvs.core.Decision;
import uvs.core.Engine;
import uvs.core.PacketHeader;
import uvs.core.Verdict;
import uvs.core.conn.ConnFlags;
import uvs.core.conn.ConnTable;
import uvs.core.net.Af;
import uvs.core.net.IpProto;
import uvs.core.proto.TcpState;
import uvs.net.bpf.FastPathEntry;
import uvs.net.bpf.FastPathKey;
import uvs.net.bpf.FastPathMap;

/**
 * Hands a worker's established connections to the XDP fast path and keeps the engine's books for them: installs
 * a flow direction into the {@link FastPathMap} when UVS has just forwarded a packet of it (a TCP connection in
 * ESTABLISHED, any UDP connection; DR: client to server, NAT: both directions, each when its first packet
 * leaves), taking the MACs and the way out from that packet; folds the map's counters into the engine
 * ({@link Engine#foldOffloaded}) in rounds at most {@link #FOLD_INTERVAL_NANOS} apart, a bounded slice per
 * worker pass; and removes the flows of a connection when the engine removes it ({@link ConnectionRemovalHook}),
 * when a TCP packet with SYN, FIN or RST reaches UVS for it (folded first, so that the state machine sees the
 * packets in order), and when a fold finds its real server gone or unavailable. A full map is counted and the
 * flow stays with UVS. Runs on the worker's (the engine's) thread; allocation-free after construction.
 */
final class FastPathOffload implements ConnectionRemovalHook {
    /** The longest time between two folds of a flow's counters. */
    public static final long FOLD_INTERVAL_NANOS = 500_000_000L;
    /** Flows folded per worker pass at least (more when a round would otherwise overrun its interval). */
    static final int MIN_FOLDS_PER_PASS = 32;
    /** Flows folded per worker pass at most, to keep one pass short. */
    static final int MAX_FOLDS_PER_PASS = 4096;

    private static final int IN = 1;
    private static final int OUT = 2;

    private final Engine engine;
    private final FastPathMap map;
    private final Egress egress;
    private final int[] ifindexes;
    private final DataPlaneCounters counters;
    private final ConnTable t4;
    private final ConnTable t6;
    private final int[] slotOf4;
    private final int[] slotOf6;
    // per slot: the connection and what was folded of each direction
    private final int[] conn;
    private final boolean[] six;
    private final byte[] dirs;
    private final long[] inPkts;
    private final long[] inBytes;
    private final long[] outPkts;
    private final long[] outBytes;
    private final int[] free;
    private int freeTop;
    private int highWater;
    private final FastPathEntry entry = new FastPathEntry();
    private final FastPathKey key = new FastPathKey();
    private int cursor;
    private long roundStart;
    private long lastPass;
    private long destChanges;
    private boolean full;

    /**
     * Offloads the connections of {@code engine} into {@code map} (shared by the workers; each installs only its
     * own connections), at most {@code flows} connections at once.
     *
     * @param ifindexes the kernel's index of each port's interface (a flow leaving by another interface than it
     *     came in is redirected there)
     */
    FastPathOffload(Engine engine, FastPathMap map, Egress egress, int[] ifindexes, int flows,
                           DataPlaneCounters counters) {
        if (flows < 1) {
            throw new IllegalArgumentException("fast-path flows must be at least 1, got " + flows);
        }
        this.engine = engine;
        this.map = map;
        this.egress = egress;
        this.ifindexes = ifindexes.clone();
        this.counters = counters;
        this.t4 = engine.conns4();
        this.t6 = engine.conns6();
        this.slotOf4 = filled(t4.capacity());
        this.slotOf6 = filled(t6.capacity());
        this.conn = new int[flows];
        this.six = new boolean[flows];
        this.dirs = new byte[flows];
        this.inPkts = new long[flows];
        this.inBytes = new long[flows];
        this.outPkts = new long[flows];
        this.outBytes = new long[flows];
        this.free = new int[flows];
        for (int s = 0; s < flows; s++) {
            free[s] = flows - 1 - s;
        }
        this.freeTop = flows;
        this.destChanges = engine.destChanges();
    }

    private static int[] filled(int n) {
        int[] a = new int[n];
        java.util.Arrays.fill(a, -1);
        return a;
    }

    /** Connections with at least one direction in the map. */
    public int connections() {
        return conn.length - freeTop;
    }

    /**
     * Before the engine sees a burst: a TCP packet with SYN, FIN or RST of an offloaded connection takes the
     * connection back to UVS, its fast-path packets folded first so that the state machine sees them in order.
     */
    void beforeBurst(PacketHeader[] headers, int n) {
        if (freeTop == conn.length) {
            return;
        }
        for (int i = 0; i < n; i++) {
            PacketHeader h = headers[i];
            if (h.protocol != IpProto.TCP
                || (h.tcpFlags & (PacketHeader.TCP_SYN | PacketHeader.TCP_FIN | PacketHeader.TCP_RST)) == 0) {
                continue;
            }
            ConnTable t = h.af == Af.INET ? t4 : t6;
            int c = h.direction == PacketHeader.DIR_OUTPUT
                ? t.lookupOut(h.protocol, h.srcHi, h.srcLo, h.srcPort, h.dstHi, h.dstLo, h.dstPort)
                : t.lookupIn(h.protocol, h.srcHi, h.srcLo, h.srcPort, h.dstHi, h.dstLo, h.dstPort);
            int s = c == ConnTable.NONE ? -1 : slots(t)[c];
            if (s >= 0) {
                fold(s);
                if (dirs[s] != 0) {
                    release(s);
                }
            }
        }
    }

    /**
     * After UVS forwarded the packet of {@code h} by decision {@code d} and it left now (received on port
     * {@code rxPort}): installs the packet's direction when its connection may be offloaded.
     */
    void forwarded(PacketHeader h, Decision d, int rxPort) {
        boolean reply = d.verdict == Verdict.FORWARD_REPLY;
        int fwd = d.connFlags & ConnFlags.FWD_MASK;
        if (d.conn == ConnTable.NONE || d.table == null
            || (h.protocol != IpProto.TCP && h.protocol != IpProto.UDP)
            || !(reply ? fwd == ConnFlags.MASQ
                : d.verdict == Verdict.FORWARD && (fwd == ConnFlags.MASQ || fwd == ConnFlags.DROUTE))) {
            return;
        }
        ConnTable t = d.table;
        int c = d.conn;
        if (!t.isLive(c) || (t.flags(c) & (ConnFlags.TEMPLATE | ConnFlags.ONE_PACKET)) != 0
            || (h.protocol == IpProto.TCP && t.state(c) != TcpState.ESTABLISHED)) {
            return;
        }
        int dir = reply ? OUT : IN;
        int[] slotOf = slots(t);
        int s = slotOf[c];
        if (s >= 0 && (dirs[s] & dir) != 0) {
            return;
        }
        boolean fresh = s < 0;
        if (full) {
            // no system call per packet while the map is full: a removal makes room again
            counters.fastPathFull++;
            return;
        }
        if (fresh) {
            if (freeTop == 0) {
                counters.fastPathFull++;
                return;
            }
            s = free[--freeTop];
            conn[s] = c;
            six[s] = t == t6;
            dirs[s] = 0;
            slotOf[c] = s;
            highWater = Math.max(highWater, s + 1);
        }
        int out = egress.lastPort();
        long ourMac = egress.link(out).mac();
        int ifindex = out == rxPort ? 0 : ifindexes[out];
        entry.key().set(h.af, h.protocol, h.srcHi, h.srcLo, h.srcPort, h.dstHi, h.dstLo, h.dstPort);
        if (reply) {
            entry.nat(egress.lastMac(), ourMac, ifindex, d.vaddrHi, d.vaddrLo, d.vport, h.dstHi, h.dstLo,
                h.dstPort);
        } else if (fwd == ConnFlags.DROUTE) {
            entry.directRoute(egress.lastMac(), ourMac, ifindex);
        } else {
            entry.nat(egress.lastMac(), ourMac, ifindex, h.srcHi, h.srcLo, h.srcPort, d.daddrHi, d.daddrLo,
                d.dport);
        }
        if (map.install(entry) != FastPathMap.INSTALLED) {
            if (fresh) {
                freeSlot(s);
            }
            full = true;
            counters.fastPathFull++;
            return;
        }
        dirs[s] |= (byte) dir;
        if (reply) {
            outPkts[s] = 0;
            outBytes[s] = 0;
        } else {
            inPkts[s] = 0;
            inBytes[s] = 0;
        }
        counters.fastPathInstalls++;
        counters.fastPathFlows++;
    }

    /**
     * One pass's share of the fold: starts a round every {@link #FOLD_INTERVAL_NANOS} (at once when real servers
     * were edited or deleted) and folds enough flows of it to finish within the interval. Returns the flows
     * folded.
     */
    int doWork(long now) {
        long changes = engine.destChanges();
        if (changes != destChanges) {
            destChanges = changes;
            cursor = 0;
            roundStart = now;
        } else if (cursor >= highWater) {
            if (now - roundStart < FOLD_INTERVAL_NANOS) {
                lastPass = now;
                return 0;
            }
            cursor = 0;
            roundStart = now;
            counters.fastPathFoldRounds++;
        }
        long elapsed = Math.max(0, now - lastPass);
        lastPass = now;
        int inUse = conn.length - freeTop;
        long share = (long) inUse * Math.min(elapsed, FOLD_INTERVAL_NANOS) / (FOLD_INTERVAL_NANOS / 2) + 1;
        int budget = (int) Math.min(MAX_FOLDS_PER_PASS, Math.max(MIN_FOLDS_PER_PASS, share));
        int done = 0;
        while (cursor < highWater && done < budget) {
            int s = cursor++;
            if (dirs[s] != 0) {
                fold(s);
                done++;
            }
        }
        return done;
    }

    /** Folds slot {@code s}'s new packets into its connection; releases it when the engine says so. */
    private void fold(int s) {
        ConnTable t = six[s] ? t6 : t4;
        int c = conn[s];
        long dIn = 0;
        long dInBytes = 0;
        long dOut = 0;
        long dOutBytes = 0;
        long last = 0;
        if ((dirs[s] & IN) != 0 && map.read(inKey(t, c))) {
            dIn = map.packets() - inPkts[s];
            dInBytes = map.bytes() - inBytes[s];
            inPkts[s] = map.packets();
            inBytes[s] = map.bytes();
            last = map.lastSeenNanos();
        }
        if ((dirs[s] & OUT) != 0 && map.read(outKey(t, c))) {
            dOut = map.packets() - outPkts[s];
            dOutBytes = map.bytes() - outBytes[s];
            outPkts[s] = map.packets();
            outBytes[s] = map.bytes();
            last = Math.max(last, map.lastSeenNanos());
        }
        if (dIn == 0 && dOut == 0) {
            if (engine.destOf(t, c) == null || !engine.destOf(t, c).isAvailable()) {
                release(s);
            }
            return;
        }
        int r = engine.foldOffloaded(t, c, dIn, dInBytes, dOut, dOutBytes, last);
        if (r == Engine.FOLDED) {
            counters.fastPathFolded += dIn + dOut;
        } else {
            release(s);
        }
    }

    /** The engine removes entry {@code c}: its flows leave the map (packets since the last fold are not counted). */
    @Override
    public void onRemoved(ConnTable table, int c) {
        int s = slots(table)[c];
        if (s >= 0) {
            release(s);
        }
    }

    /** Removes slot {@code s}'s flows from the map and frees the slot. */
    private void release(int s) {
        ConnTable t = six[s] ? t6 : t4;
        int c = conn[s];
        if ((dirs[s] & IN) != 0 && map.remove(inKey(t, c))) {
            counters.fastPathRemovals++;
        }
        if ((dirs[s] & OUT) != 0 && map.remove(outKey(t, c))) {
            counters.fastPathRemovals++;
        }
        counters.fastPathFlows -= Integer.bitCount(dirs[s]);
        freeSlot(s);
    }

    private void freeSlot(int s) {
        full = false;
        slots(six[s] ? t6 : t4)[conn[s]] = -1;
        dirs[s] = 0;
        free[freeTop++] = s;
        if (s + 1 == highWater) {
            while (highWater > 0 && dirs[highWater - 1] == 0) {
                highWater--;
            }
        }
    }

    private int[] slots(ConnTable t) {
        return t == t6 ? slotOf6 : slotOf4;
    }

    /** Client to virtual service, as the packets arrive. */
    private FastPathKey inKey(ConnTable t, int c) {
        return key.set(t.af(), t.protocol(c), t.caddrHi(c), t.caddrLo(c), t.cport(c), t.vaddrHi(c), t.vaddrLo(c),
            t.vport(c));
    }

    /** Real server to client (NAT replies), as the packets arrive. */
    private FastPathKey outKey(ConnTable t, int c) {
        return key.set(t.af(), t.protocol(c), t.daddrHi(c), t.daddrLo(c), t.dport(c), t.caddrHi(c), t.caddrLo(c),
            t.cport(c));
    }
}
