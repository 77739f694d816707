package uvs.sync.master;

import uvs.core.conn.ConnFlags;
import uvs.core.conn.ConnTable;
import uvs.core.net.IpProto;
import uvs.core.proto.ProtocolHandler;
import uvs.core.proto.Protocols;
import uvs.core.proto.SctpState;
import uvs.core.proto.TcpState;
import uvs.core.tune.Tunables;
import uvs.time.Jiffies;

/**
 * The master's decision whether a connection must be sent now (the kernel's ip_vs_sync_conn_needed,
 * spec §2.3): the per-protocol state filter with forced sends on state changes, the refresh-period
 * limiter with its retry count in the low two bits of sync_endtime, and the packet-count filter
 * (sync_threshold / sync_period). Runs on the engine's thread; no allocation.
 */
public final class SyncNeeded {
    private static final int RETRY_MASK = 3;
    private static final int MIN_REFRESH_DIFF_SECONDS = 10;

    private final Tunables tunables;
    private final boolean templatesOnChange;

    /** The kernel's rule, reading its parameters live from {@code tunables}. */
    public SyncNeeded(Tunables tunables) {
        this(tunables, false);
    }

    /**
     * With {@code templatesOnChange} (UVS reliable mode, whose backups take each entry's time left) a template
     * is sent exactly when its expiry or state changed since it was last sent: at each re-arm for a new
     * connection, never again for the packets in between. The kernel's rule re-sends it with every packet
     * of its connections (threshold mode) or holds re-arms back for up to the refresh period (refresh mode),
     * which would leave such a backup expiring the template early.
     */
    public SyncNeeded(Tunables tunables, boolean templatesOnChange) {
        this.tunables = tunables;
        this.templatesOnChange = templatesOnChange;
    }

    /**
     * True if entry {@code c} must be synced on this event; updates its old_state and sync_endtime
     * exactly as the kernel does.
     *
     * @param pkts the packet count of this event (see {@link uvs.core.SyncHook})
     * @param now engine time in jiffies
     */
    public boolean needed(ConnTable t, int c, int pkts, int now) {
        int flags = t.flags(c);
        if (templatesOnChange && (flags & ConnFlags.TEMPLATE) != 0) {
            int expires = t.expires(c);
            if (expires == t.syncEndtime(c) && t.state(c) == t.oldState(c)) {
                return false;
            }
            t.setOldState(c, t.state(c));
            t.setSyncEndtime(c, expires);
            return true;
        }
        int timeout = t.timeout(c);
        int orig = t.syncEndtime(c);
        int n = (now + timeout) & ~RETRY_MASK;
        boolean template = (flags & ConnFlags.TEMPLATE) != 0;
        boolean force = false;
        boolean set = false;
        if (!template) {
            if (tunables.syncPersistMode() != 0 && inPersistence(t, c)) {
                return false;
            }
            int proto = t.protocol(c);
            if (proto == IpProto.TCP || proto == IpProto.SCTP) {
                ProtocolHandler ph = Protocols.get(proto);
                int state = t.state(c);
                if (!ph.isSyncState(state)) {
                    return false;
                }
                force = state != t.oldState(c);
                int established = proto == IpProto.TCP ? TcpState.ESTABLISHED : SctpState.ESTABLISHED;
                set = force && state != established;
            }
        }
        if (!set) {
            int refresh = tunables.syncRefreshPeriodJiffies();
            if (refresh > 0) {
                int diff = n - orig;
                int minDiff = Math.max(timeout >> 1, Jiffies.fromSeconds(MIN_REFRESH_DIFF_SECONDS));
                if (Math.abs(diff) < Math.min(refresh, minDiff)) {
                    int retries = orig & RETRY_MASK;
                    if (retries >= tunables.syncRetries()) {
                        return false;
                    }
                    if (Jiffies.before(now, orig - timeout + (refresh >> 3))) {
                        return false;
                    }
                    n |= retries + 1;
                }
            }
            int period = tunables.syncPeriod();
            if (period > 0) {
                if (!template && pkts % period != tunables.syncThreshold()) {
                    return false;
                }
            } else if (refresh == 0 && pkts != tunables.syncThreshold()) {
                return false;
            }
        }
        t.setOldState(c, t.state(c));
        t.setSyncEndtime(c, n);
        return true;
    }

    /** in_persistence: some controller up the chain is a template. */
    static boolean inPersistence(ConnTable t, int c) {
        int ct = t.control(c);
        return ct != ConnTable.NONE && (t.flags(ct) & ConnFlags.TEMPLATE) != 0;
    }
}
