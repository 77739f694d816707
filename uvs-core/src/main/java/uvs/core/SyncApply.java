package uvs.core;

import uvs.core.conn.ConnFlags;
import uvs.core.conn.ConnTable;
import uvs.core.net.Af;
import uvs.core.persist.PeDataStore;
import uvs.core.proto.Protocols;
import uvs.core.svc.RealServer;
import uvs.core.svc.VirtualService;
import uvs.core.tune.Tunables;
import uvs.time.Jiffies;

/**
 * A sync backup's side of the engine (the kernel's ip_vs_proc_conn in ip_vs_sync.c): one received entry becomes
 * a connection or template here, bound to the local real server when there is one.
 */
final class SyncApply {
    /** Longest timeout a synced entry may carry: a quarter of the 32-bit jiffies range (about 49 days). */
    private static final long MAX_SYNC_TIMEOUT_SECONDS = (Integer.MAX_VALUE / 2) / Jiffies.HZ;
    private final Connections conns;
    private final ConnTable conns4;
    private final ConnTable conns6;
    private final ServiceTable services;
    private final Tunables tunables;
    private final EngineCounters counters;

    SyncApply(Connections conns, ConnTable conns4, ConnTable conns6, ServiceTable services, Tunables tunables,
              EngineCounters counters) {
        this.conns = conns;
        this.conns4 = conns4;
        this.conns6 = conns6;
        this.services = services;
        this.tunables = tunables;
        this.counters = counters;
    }


    /**
     * Applies one entry received from a sync master (spec §3): creates or refreshes the connection or
     * template with the SYNC flag, binds it to the local real server when there is one (taking the
     * local forwarding method, keeping the message's INACTIVE bit), and re-arms it for receive time +
     * timeout, or for receive time + the master's time left when a UVS master sent it. Templates and
     * connections are not linked on a backup.
     */
    SyncUpdate.Result applySync(SyncUpdate u) {
        conns.tick();
        boolean template = (u.flags & ConnFlags.TEMPLATE) != 0;
        if (!template && Protocols.get(u.protocol) == null) {
            return SyncUpdate.Result.IGNORED_PROTOCOL;
        }
        ConnTable t = u.af == Af.INET ? conns4 : conns6;
        int flags = u.flags | ConnFlags.SYNC;
        int c;
        if (!template) {
            c = t.lookupIn(u.protocol, u.caddrHi, u.caddrLo, u.cport, u.vaddrHi, u.vaddrLo, u.vport);
        } else if (u.peDataLength == 0) {
            c = t.lookupTemplate(u.protocol, u.caddrHi, u.caddrLo, u.vaddrHi, u.vaddrLo, u.vport);
        } else {
            // the PE's template match: same key and identical PE data
            PeDataStore store = conns.peData(t);
            c = t.lookupTemplate(u.protocol, u.caddrHi, u.caddrLo, u.vaddrHi, u.vaddrLo, u.vport, ConnTable.NONE);
            while (c != ConnTable.NONE && !store.matches(c, u.peData, u.peDataLength)) {
                c = t.lookupTemplate(u.protocol, u.caddrHi, u.caddrLo, u.vaddrHi, u.vaddrLo, u.vport, c);
            }
        }
        SyncUpdate.Result result = SyncUpdate.Result.UPDATED;
        if (c != ConnTable.NONE && (t.dport(c) != u.dport || t.daddrHi(c) != u.daddrHi || t.daddrLo(c) != u.daddrLo)) {
            if ((flags & ConnFlags.INACTIVE) != 0) {
                // the expiry notice of a connection this backup already saw replaced
                return SyncUpdate.Result.IGNORED_STALE;
            }
            conns.expireNow(t, c);
            c = ConnTable.NONE;
            result = SyncUpdate.Result.REPLACED;
        }
        if (c == ConnTable.NONE) {
            c = conns.insertSynced(t, u, flags);
            if (c == ConnTable.NONE) {
                counters.countDrop(DropReason.CONN_TABLE_FULL);
                return SyncUpdate.Result.TABLE_FULL;
            }
            if (template && u.peDataLength > 0) {
                // PE data is kept only on templates
                conns.peData(t).put(c, u.peData, u.peDataLength);
            }
            RealServer dest = findSyncDest(u, flags);
            if (dest != null) {
                conns.bindSynced(t, c, dest);
            }
            if (result != SyncUpdate.Result.REPLACED) {
                result = SyncUpdate.Result.CREATED;
            }
        } else {
            conns.updateSyncedFlags(t, c, flags);
            if (conns.destOf(t, c) == null) {
                RealServer found = findSyncDest(u, t.flags(c));
                if (found != null) {
                    conns.bindSynced(t, c, found);
                }
            }
        }
        // a template state beyond ASSURED is shown as ERR!; the table keeps 8 bits of it
        int state = Math.min(Math.max(u.state, 0), 0xff);
        // a timeout beyond the wrap-safe half of the jiffies range is clamped, as the kernel clamps to
        // MAX_SCHEDULE_TIMEOUT
        int timeout = u.timeoutSeconds != 0
            ? Jiffies.fromSeconds(Math.min(Integer.toUnsignedLong(u.timeoutSeconds), MAX_SYNC_TIMEOUT_SECONDS))
            : conns.defaultSyncTimeout(u.protocol, state, template);
        conns.setSynced(t, c, state, timeout, tunables.syncThreshold());
        if (u.expiresInMillis >= 0) {
            // a UVS master's time left: expire with the master, not a full timeout after this update; a
            // template's expiry only moves later on the master, so an older update (retransmitted) never
            // shortens it
            int expires = conns.now() + Jiffies.fromMillis(Math.min(u.expiresInMillis, MAX_SYNC_TIMEOUT_SECONDS * 1000L));
            conns.arm(t, c, template && result == SyncUpdate.Result.UPDATED && Jiffies.after(t.expires(c), expires)
                ? t.expires(c) : expires);
        } else {
            conns.restartTimer(t, c);
        }
        return result;
    }

    /** ip_vs_find_dest: the service as for packets, then the real server by address and port. */
    private RealServer findSyncDest(SyncUpdate u, int flags) {
        VirtualService svc = services.find(u.af, u.fwmark, u.protocol, u.vaddrHi, u.vaddrLo, u.vport);
        if (svc == null) {
            return null;
        }
        int first = u.dport;
        int second = 0;
        if (u.fwmark != 0 && (flags & ConnFlags.FWD_MASK) != ConnFlags.MASQ) {
            first = 0;
            second = u.dport;
        }
        RealServer d = svc.findDest(u.daddrHi, u.daddrLo, first);
        return d != null ? d : svc.findDest(u.daddrHi, u.daddrLo, second);
    }
}
