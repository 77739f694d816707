package uvs.core;

import java.util.random.RandomGenerator;
import uvs.core.conn.ConnFlags;
import uvs.core.conn.ConnTable;
import uvs.core.conn.ExpiryHandler;
import uvs.core.net.IpProto;
import uvs.core.persist.PeDataStore;
import uvs.core.proto.ConnDirection;
import uvs.core.proto.ProtocolHandler;
import uvs.core.proto.ProtocolTimeouts;
import uvs.core.proto.Protocols;
import uvs.core.proto.SctpState;
import uvs.core.proto.TcpState;
import uvs.core.stats.Stats;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServer;
import uvs.core.tune.Tunables;
import uvs.time.Jiffies;
import uvs.time.NanoClock;

/**
 * The life of a connection entry (the kernel's ip_vs_conn.c): creation, binding to a real server and
 * its counters, state transitions with active/inactive accounting, controlled/controlling links, expiry
 * (including the 60 s re-arm of templates that still control connections) and forced deletion.
 */
final class Connections {
    /** Timeout of a new connection before its first state transition. */
    static final int INITIAL_TIMEOUT_SECONDS = 3;
    /** Re-arm period of an entry whose timer fires while it still controls others. */
    static final int EXPIRE_LATER_SECONDS = 60;
    /** Timeout of a template received by sync without one (v0). */
    static final int SYNC_TEMPLATE_TIMEOUT_SECONDS = 180;
    /** Template state "assured". */
    static final int TEMPLATE_ASSURED = 1;

    private final ConnTable conns4;
    private final ConnTable conns6;
    private final DestRegistry dests;
    private final Tunables tunables;
    private final ProtocolTimeouts timeouts;
    private final Stats total;
    private final EngineCounters counters;
    private final Expirer expirer4;
    private final Expirer expirer6;
    private final PeDataStore peData4 = new PeDataStore();
    private final PeDataStore peData6 = new PeDataStore();
    private final NanoClock clock;
    private SyncHook syncHook;
    private ConnectionRemovalHook removalHook;
    private boolean secureTcp;
    private int now;

    Connections(NanoClock clock, ConnTable conns4, ConnTable conns6, DestRegistry dests, Tunables tunables,
                ProtocolTimeouts timeouts, Stats total, EngineCounters counters) {
        this.clock = clock;
        this.conns4 = conns4;
        this.conns6 = conns6;
        this.dests = dests;
        this.tunables = tunables;
        this.timeouts = timeouts;
        this.total = total;
        this.counters = counters;
        this.expirer4 = new Expirer(conns4);
        this.expirer6 = new Expirer(conns6);
    }

    /** Reads the engine's clock: the time every following change is stamped with; returns it in jiffies. */
    int tick() {
        now = Jiffies.fromNanos(clock.nanoTime());
        return now;
    }

    /** Engine time in jiffies as of the last {@link #tick()}. */
    int now() {
        return now;
    }

    /** secure_tcp's state tables on or off (the defense level decides). */
    void secureTcp(boolean on) {
        secureTcp = on;
    }

    /** Installs (or, with null, removes) the sync master's hook. */
    void syncHook(SyncHook hook) {
        syncHook = hook;
    }

    /** Installs (or, with null, removes) the hook told of every removed entry. */
    void removalHook(ConnectionRemovalHook hook) {
        removalHook = hook;
    }

    /**
     * After an input packet: counts it in the entry's in_pkts and lets the sync master decide on it; a
     * one-packet connection (UDP with {@code -o}) ends here, expired rather than deleted so that its template
     * stays. Returns false when the entry ended.
     */
    boolean afterInputPacket(ConnTable t, int c) {
        if ((t.flags(c) & ConnFlags.ONE_PACKET) != 0) {
            if (syncHook != null) {
                syncHook.onSync(t, c, tunables.syncThreshold());
            }
            expireNow(t, c);
            return false;
        }
        int pkts = t.inPkts(c) + 1;
        t.setInPkts(c, pkts);
        if (syncHook != null) {
            syncHook.onSync(t, c, pkts);
        }
        return true;
    }

    /** A template that still controls connections leaves the index so that a new one can take its place. */
    void unhash(ConnTable t, int c) {
        t.unhash(c);
    }

    /** The first packet of a connection created without a client port (a persistent FTP data template's). */
    void fillClientPort(ConnTable t, int c, int cport) {
        t.unhash(c);
        t.setCport(c, cport);
        t.setFlags(c, t.flags(c) & ~ConnFlags.NO_CPORT);
        t.rehash(c);
    }

    /**
     * ip_vs_check_template's invalidation: the template's ports change to values no packet has, so it is
     * unreachable; it dies on its own timer once it controls nothing.
     */
    void invalidateTemplate(ConnTable t, int ct, int invalidPort) {
        t.unhash(ct);
        t.setVport(ct, invalidPort);
        t.setDport(ct, invalidPort);
        t.setCport(ct, 0);
        t.rehash(ct);
    }

    /** A new entry received from a sync master, unbound, with the SYNC flag in {@code flags}; NONE when full. */
    int insertSynced(ConnTable t, SyncUpdate u, int flags) {
        return t.insert(u.protocol, u.caddrHi, u.caddrLo, u.cport, u.vaddrHi, u.vaddrLo, u.vport, u.daddrHi,
            u.daddrLo, u.dport, flags, u.fwmark, ConnTable.NO_DEST, 0, now, true);
    }

    /**
     * An update from a sync master for an existing entry: the flags a backup takes from it, moving the entry
     * between its real server's active and inactive counts when the INACTIVE bit changed.
     */
    void updateSyncedFlags(ConnTable t, int c, int flags) {
        int old = t.flags(c);
        RealServer dest = destOf(t, c);
        if ((flags & ConnFlags.TEMPLATE) == 0 && dest != null && ((old ^ flags) & ConnFlags.INACTIVE) != 0) {
            if ((flags & ConnFlags.INACTIVE) != 0) {
                dest.addActive(-1);
                dest.addInactive(1);
            } else {
                dest.addActive(1);
                dest.addInactive(-1);
            }
        }
        t.setFlags(c, (old & ~ConnFlags.BACKUP_UPD_MASK) | (flags & ConnFlags.BACKUP_UPD_MASK));
    }

    /** Binds a synced entry: the local server's method and NOOUTPUT, the message's INACTIVE bit. */
    void bindSynced(ConnTable t, int c, RealServer dest) {
        int destFlags = destConnFlags(dest);
        int flags = t.flags(c);
        if ((flags & ConnFlags.TEMPLATE) == 0) {
            destFlags &= ~ConnFlags.INACTIVE;
        }
        flags &= ~(ConnFlags.FWD_MASK | ConnFlags.NOOUTPUT);
        t.setFlags(c, flags | destFlags);
        bind(t, c, dest);
    }

    /**
     * {@code n} input packets of a connection that is not one-packet, as {@link #afterInputPacket} would count
     * them one by one: in_pkts (wrapping as the kernel's atomic_t) and, while a sync master runs, its decision
     * on every count, so that it sends what it would have sent for those packets.
     */
    void countInputPackets(ConnTable t, int c, long n) {
        if (syncHook == null) {
            t.setInPkts(c, (int) (t.inPkts(c) + n));
            return;
        }
        for (long i = 0; i < n; i++) {
            int pkts = t.inPkts(c) + 1;
            t.setInPkts(c, pkts);
            syncHook.onSync(t, c, pkts);
        }
    }

    /** A synced entry's state (also as its old state, as synced), timeout and in_pkts. */
    void setSynced(ConnTable t, int c, int state, int timeoutJiffies, int inPkts) {
        t.setInPkts(c, inPkts);
        t.setState(c, state);
        t.setOldState(c, state);
        t.setTimeout(c, timeoutJiffies);
    }

    /** Arms the entry's timer for {@code expiresJiffies}. */
    void arm(ConnTable t, int c, int expiresJiffies) {
        t.arm(c, expiresJiffies);
    }

    /** PE data of the templates in {@code t}. */
    PeDataStore peData(ConnTable t) {
        return t == conns4 ? peData4 : peData6;
    }

    /** The real server an entry is bound to, or null. */
    RealServer destOf(ConnTable t, int c) {
        int id = t.destId(c);
        return id == ConnTable.NO_DEST ? null : dests.get(id);
    }

    /**
     * Creates a connection or template bound to {@code dest} (ip_vs_conn_new + ip_vs_bind_dest); returns
     * its id or NONE when the table is full.
     */
    int create(ConnTable t, int protocol, long cHi, long cLo, int cport, long vHi, long vLo, int vport,
               RealServer dest, int dport, int flags, int fwmark, int timeoutJiffies) {
        int f = flags | destConnFlags(dest);
        if (protocol != IpProto.UDP) {
            f &= ~ConnFlags.ONE_PACKET;
        }
        boolean hashed = (f & ConnFlags.ONE_PACKET) == 0;
        int c = t.insert(protocol, cHi, cLo, cport, vHi, vLo, vport, dest.address().hi(), dest.address().lo(),
            dport, f, fwmark, dest.id(), timeoutJiffies, now, hashed);
        if (c == ConnTable.NONE) {
            return c;
        }
        bind(t, c, dest);
        return c;
    }

    /** The flags a real server gives its connections: method, INACTIVE, and NOOUTPUT unless NAT. */
    static int destConnFlags(RealServer d) {
        int f = d.forward().connFlag() | ConnFlags.INACTIVE;
        if (d.forward() != ForwardMethod.MASQ) {
            f |= ConnFlags.NOOUTPUT;
        }
        return f;
    }

    /** Counts the entry on its server and applies the upper threshold (ip_vs_bind_dest). */
    void bind(ConnTable t, int c, RealServer d) {
        int flags = t.flags(c);
        t.setDestId(c, d.id());
        d.addRefs(1);
        if ((flags & ConnFlags.TEMPLATE) != 0) {
            d.addPersist(1);
        } else if ((flags & ConnFlags.INACTIVE) != 0) {
            d.addInactive(1);
        } else {
            d.addActive(1);
        }
        if (d.upperThreshold() != 0 && d.activeConns() + d.inactConns() >= d.upperThreshold()) {
            d.overloaded(true);
        }
    }

    /** Undoes {@link #bind} (ip_vs_unbind_dest), clearing OVERLOAD by the lower-threshold rule. */
    void unbind(ConnTable t, int c) {
        RealServer d = destOf(t, c);
        if (d == null) {
            return;
        }
        int flags = t.flags(c);
        if ((flags & ConnFlags.TEMPLATE) != 0) {
            d.addPersist(-1);
        } else if ((flags & ConnFlags.INACTIVE) != 0) {
            d.addInactive(-1);
        } else {
            d.addActive(-1);
        }
        int totalConns = d.activeConns() + d.inactConns();
        if (d.lowerThreshold() != 0) {
            if (totalConns < d.lowerThreshold()) {
                d.overloaded(false);
            }
        } else if (d.upperThreshold() != 0) {
            if ((long) totalConns * 4 < (long) d.upperThreshold() * 3) {
                d.overloaded(false);
            }
        } else {
            d.overloaded(false);
        }
        t.setDestId(c, ConnTable.NO_DEST);
        d.addRefs(-1);
        if (d.refs() == 0) {
            dests.onUnreferenced(d, now);
        }
    }

    /** Makes {@code ct} control {@code c}. */
    void link(ConnTable t, int c, int ct) {
        t.setControl(c, ct);
        t.setNControl(ct, t.nControl(ct) + 1);
    }

    /**
     * Runs the protocol state machine for one packet (ip_vs_set_state): picks the direction table
     * (clearing NOOUTPUT on the first reply), moves the active/inactive counters, assures the controlling
     * template, and reloads the timeout from the table as every packet does.
     */
    void transition(ConnTable t, int c, ProtocolHandler ph, int direction, PacketHeader p) {
        int flags = t.flags(c);
        int dir = direction;
        if (ph.protocol() != IpProto.UDP && (flags & ConnFlags.NOOUTPUT) != 0) {
            if (direction == ConnDirection.OUTPUT) {
                flags &= ~ConnFlags.NOOUTPUT;
                t.setFlags(c, flags);
            } else {
                dir = ConnDirection.INPUT_ONLY;
            }
        }
        int state = t.state(c);
        int next = ph.nextState(state, dir, ph.event(p), secureTcp);
        if (next != state) {
            RealServer d = destOf(t, c);
            boolean active = ph.isActiveState(next);
            if (d != null) {
                if ((flags & ConnFlags.INACTIVE) == 0 && !active) {
                    d.addActive(-1);
                    d.addInactive(1);
                    flags |= ConnFlags.INACTIVE;
                } else if ((flags & ConnFlags.INACTIVE) != 0 && active) {
                    d.addActive(1);
                    d.addInactive(-1);
                    flags &= ~ConnFlags.INACTIVE;
                }
                t.setFlags(c, flags);
            }
            if (ph.assuresTemplate(next, direction)) {
                assureControl(t, c);
            }
            t.setState(c, next);
        } else if (ph.assuresTemplate(next, direction) && ph.protocol() == IpProto.UDP) {
            assureControl(t, c);
        }
        t.setTimeout(c, timeouts.timeout(ph.protocol(), next));
    }

    private static void assureControl(ConnTable t, int c) {
        int ct = t.control(c);
        if (ct != ConnTable.NONE && (t.flags(ct) & ConnFlags.TEMPLATE) != 0) {
            t.setState(ct, t.state(ct) | TEMPLATE_ASSURED);
        }
    }

    /** Restarts the entry's timer at now + its timeout (releasing the kernel's reference "with timer"). */
    void restartTimer(ConnTable t, int c) {
        t.arm(c, now + t.timeout(c));
    }

    /** Expires due entries of both tables; returns how many were handled. */
    int expire(int limit) {
        return conns4.expire(now, expirer4, limit) + conns6.expire(now, expirer6, limit);
    }

    /** The packet path's "expire now" (ip_vs_conn_expire_now): no cascade to the controller. */
    void expireNow(ConnTable t, int c) {
        onTimer(t, c, false, now);
    }

    /**
     * Forced deletion (ip_vs_conn_del): timeout 0, so a controlling template left with nothing to control
     * goes too unless it is assured.
     */
    void delete(ConnTable t, int c) {
        t.setTimeout(c, 0);
        onTimer(t, c, true, now);
    }

    /**
     * The kernel's flush after a real server is deleted with expire_nodest_conn set: every entry whose
     * server is no longer available and that controls nothing is deleted, and so is its controller when
     * that is left controlling nothing.
     */
    int flushUnavailable() {
        return flushUnavailable(conns4) + flushUnavailable(conns6);
    }

    private int flushUnavailable(ConnTable t) {
        int n = 0;
        for (int c = t.next(0); c != ConnTable.NONE; c = t.next(c + 1)) {
            RealServer d = destOf(t, c);
            if (d == null || d.isAvailable() || isControlling(t, c)) {
                continue;
            }
            int ct = t.control(c);
            delete(t, c);
            n++;
            if (ct != ConnTable.NONE && t.isLive(ct) && t.nControl(ct) == 0) {
                delete(t, ct);
                n++;
            }
        }
        return n;
    }

    // ip_vs_todrop_entry's per-in_pkts rate limiter: drop every i-th candidate with in_pkts == i
    private final int[] todropCounter = new int[9];

    /**
     * drop_entry (ip_vs_random_dropentry): looks at {@code samples} randomly chosen entries of {@code t}
     * (the kernel samples hash buckets; with a load factor of one an entry is the same amount of work)
     * and deletes half-open and idle low-traffic connections and unused templates.
     */
    int randomDropEntries(ConnTable t, RandomGenerator random, int samples) {
        int dropped = 0;
        int capacity = t.capacity();
        for (int i = 0; i < samples; i++) {
            int c = random.nextInt(capacity);
            if (!t.isLive(c) || isControlling(t, c)) {
                continue;
            }
            if (shouldDropEntry(t, c)) {
                delete(t, c);
                dropped++;
            }
        }
        return dropped;
    }

    private boolean shouldDropEntry(ConnTable t, int c) {
        int flags = t.flags(c);
        if ((flags & ConnFlags.TEMPLATE) != 0) {
            // templates of one-packet services go by the rate test; other templates only while not assured
            boolean ops = t.protocol(c) == IpProto.UDP && onePacketTemplate(t, c);
            return ops ? todropEntry(t, c) : (t.state(c) & TEMPLATE_ASSURED) == 0;
        }
        int state = t.state(c);
        return switch (t.protocol(c)) {
            case IpProto.TCP -> state == TcpState.SYN_RECV || state == TcpState.SYNACK
                || (state == TcpState.ESTABLISHED && todropEntry(t, c));
            case IpProto.SCTP -> state == SctpState.INIT1 || state == SctpState.INIT
                || (state == SctpState.ESTABLISHED && todropEntry(t, c));
            default -> todropEntry(t, c);
        };
    }

    private boolean onePacketTemplate(ConnTable t, int c) {
        RealServer d = destOf(t, c);
        return d != null && d.service().config().isOnePacket();
    }

    private boolean todropEntry(ConnTable t, int c) {
        // entries refreshed within the last 60 s are left alone
        if (t.expires(c) - t.timeout(c) + Jiffies.fromSeconds(60) > now) {
            return false;
        }
        int pkts = t.inPkts(c);
        if (pkts < 1 || pkts > 8) {
            return false;
        }
        if (--todropCounter[pkts] > 0) {
            return false;
        }
        todropCounter[pkts] = pkts;
        return true;
    }

    /** Deletes every entry (engine shutdown / tests). */
    void flushAll() {
        flushAll(conns4);
        flushAll(conns6);
    }

    private void flushAll(ConnTable t) {
        for (int c = t.next(0); c != ConnTable.NONE; c = t.next(c + 1)) {
            unlinkAndFree(t, c);
        }
    }

    private static boolean isControlling(ConnTable t, int c) {
        return (t.flags(c) & ConnFlags.TEMPLATE) != 0 && t.nControl(c) > 0;
    }

    /**
     * ip_vs_conn_expire. {@code firedAt} is when the timer was due: a re-armed timer counts from there,
     * as the kernel's would, even if the engine looked at its timers a little later.
     */
    void onTimer(ConnTable t, int c, boolean forced, int firedAt) {
        if (isControlling(t, c)) {
            // expire_later: keep it while it controls connections, re-armed with a (permanent) 60 s timeout
            int later = Jiffies.fromSeconds(EXPIRE_LATER_SECONDS);
            t.setTimeout(c, later);
            t.arm(c, firedAt + later);
            if (syncHook != null) {
                syncHook.onSync(t, c, tunables.syncThreshold());
            }
            return;
        }
        int ct = (t.flags(c) & ConnFlags.TEMPLATE) != 0 ? ConnTable.NONE : t.control(c);
        unlinkAndFree(t, c);
        if (ct != ConnTable.NONE && forced && t.isLive(ct) && t.nControl(ct) == 0
            && (t.state(ct) & TEMPLATE_ASSURED) == 0) {
            delete(t, ct);
        }
    }

    private void unlinkAndFree(ConnTable t, int c) {
        if ((t.flags(c) & ConnFlags.TEMPLATE) == 0) {
            int ct = t.control(c);
            if (ct != ConnTable.NONE) {
                t.setNControl(ct, t.nControl(ct) - 1);
                t.setControl(c, ConnTable.NONE);
            }
        } else {
            peData(t).remove(c);
        }
        if (removalHook != null) {
            removalHook.onRemoved(t, c);
        }
        unbind(t, c);
        t.free(c);
        counters.connsExpired++;
    }

    /** Counts a new connection on its server, service and the engine (ip_vs_conn_stats). */
    void countNew(RealServer d) {
        d.stats().countConn();
        d.service().stats().countConn();
        total.countConn();
    }

    /** Timeout for an entry received by sync without one (v0): the protocol table, or 180 s for templates. */
    int defaultSyncTimeout(int protocol, int state, boolean template) {
        if (template) {
            return Jiffies.fromSeconds(SYNC_TEMPLATE_TIMEOUT_SECONDS);
        }
        ProtocolHandler ph = Protocols.get(protocol);
        return ph == null ? Jiffies.fromSeconds(INITIAL_TIMEOUT_SECONDS) : timeouts.timeout(protocol, state);
    }

    /** Routes timer events of one table to {@link #onTimer}. */
    private final class Expirer implements ExpiryHandler {
        private final ConnTable table;

        Expirer(ConnTable table) {
            this.table = table;
        }

        @Override
        public void onExpire(int id) {
            onTimer(table, id, table.timeout(id) == 0, table.expires(id));
        }
    }
}
