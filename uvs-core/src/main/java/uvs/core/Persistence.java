package uvs.core;

import uvs.core.conn.ConnFlags;
import uvs.core.conn.ConnTable;
import uvs.core.net.Af;
import uvs.core.net.IpProto;
import uvs.core.persist.PeDataStore;
import uvs.core.persist.PersistenceEngine;
import uvs.core.svc.RealServer;
import uvs.core.svc.VirtualService;
import uvs.core.tune.Tunables;
import uvs.time.Jiffies;

/**
 * Persistent scheduling (the kernel's ip_vs_sched_persist and ip_vs_check_template): find or create the
 * client's template, validate it, and create the connection under its control.
 */
final class Persistence {
    /** Ports of an invalidated template: no packet can match it any more. */
    static final int INVALID_PORT = 0xffff;

    private final Connections conns;
    private final Tunables tunables;
    private final EngineCounters counters;
    private final byte[] peKey = new byte[PersistenceEngine.MAX_DATA];

    Persistence(Connections conns, Tunables tunables, EngineCounters counters) {
        this.conns = conns;
        this.tunables = tunables;
        this.counters = counters;
    }

    /**
     * Schedules a new connection of a persistent service; returns its id, or NONE with {@code d} holding
     * the verdict (no destination, table full).
     */
    int schedule(VirtualService svc, PacketHeader p, ConnTable t, Decision d) {
        int now = conns.now();
        boolean fwmarkSvc = svc.key().isFwmark();
        int svcPort = svc.key().port();
        // template key (spec §6.2): client masked, cport 0; vport 0 except for the plain same-port case
        long cHi = p.srcHi;
        long cLo = p.srcLo;
        int mask = svc.config().netmask();
        if (p.af == Af.INET) {
            cLo = cLo & (mask & 0xffff_ffffL);
        } else {
            long[] m = prefixMask(mask);
            cHi &= m[0];
            cLo &= m[1];
        }
        int tProto = p.protocol;
        long vHi = p.dstHi;
        long vLo = p.dstLo;
        int vport;
        boolean samePort = !fwmarkSvc && p.dstPort == svcPort;
        if (samePort && svcPort != ServiceTable.FTP_PORT) {
            vport = p.dstPort;
        } else {
            vport = 0;
            if (fwmarkSvc) {
                tProto = IpProto.IP;
                int mark = svc.key().fwmark();
                if (p.af == Af.INET) {
                    vHi = 0;
                    vLo = mark & 0xffff_ffffL;
                } else {
                    vHi = (mark & 0xffff_ffffL) << 32;
                    vLo = 0;
                }
            }
        }

        PersistenceEngine pe = svc.persistenceEngine();
        int peLen = 0;
        int ct;
        if (pe == null) {
            ct = t.lookupTemplate(tProto, cHi, cLo, vHi, vLo, vport);
        } else {
            peLen = pe.extract(p, peKey);
            if (peLen < 0) {
                // no fall-back to plain persistence: the kernel drops such a packet
                d.drop(DropReason.PE_NO_KEY);
                return ConnTable.NONE;
            }
            PeDataStore store = conns.peData(t);
            ct = t.lookupTemplate(tProto, cHi, cLo, vHi, vLo, vport, ConnTable.NONE);
            while (ct != ConnTable.NONE && !store.matches(ct, peKey, peLen)) {
                ct = t.lookupTemplate(tProto, cHi, cLo, vHi, vLo, vport, ct);
            }
        }
        RealServer dest = null;
        if (ct != ConnTable.NONE) {
            dest = conns.destOf(t, ct);
            if (!isValid(dest)) {
                invalidate(t, ct);
                ct = ConnTable.NONE;
                dest = null;
            }
        }
        if (ct == ConnTable.NONE) {
            dest = svc.scheduler().schedule(svc, p);
            if (dest == null) {
                return ConnTable.NONE;
            }
            int tdport = samePort && svcPort != ServiceTable.FTP_PORT ? dest.port() : 0;
            ct = conns.create(t, tProto, cHi, cLo, 0, vHi, vLo, vport, dest, tdport, ConnFlags.TEMPLATE,
                p.fwmark, Jiffies.fromSeconds(svc.config().persistTimeout()));
            if (ct == ConnTable.NONE) {
                d.drop(DropReason.CONN_TABLE_FULL);
                return ConnTable.NONE;
            }
            if (pe != null) {
                conns.peData(t).put(ct, peKey, peLen);
            }
            counters.templatesCreated++;
        }

        int dport = p.dstPort == svcPort && dest.port() != 0 ? dest.port() : p.dstPort;
        int flags = svc.config().isOnePacket() && p.protocol == IpProto.UDP ? ConnFlags.ONE_PACKET : 0;
        int c = conns.create(t, p.protocol, p.srcHi, p.srcLo, p.srcPort, p.dstHi, p.dstLo, p.dstPort, dest, dport,
            flags, p.fwmark, Jiffies.fromSeconds(Connections.INITIAL_TIMEOUT_SECONDS));
        if (c == ConnTable.NONE) {
            // the template stays and expires on its own timer
            conns.restartTimer(t, ct);
            d.drop(DropReason.CONN_TABLE_FULL);
            return ConnTable.NONE;
        }
        conns.link(t, c, ct);
        conns.restartTimer(t, ct);
        conns.countNew(dest);
        return c;
    }

    /** ip_vs_check_template: the template's server must still be listed, and not quiescent if so configured. */
    private boolean isValid(RealServer dest) {
        if (dest == null || !dest.isAvailable()) {
            return false;
        }
        return tunables.expireQuiescentTemplate() == 0 || dest.weight() != 0;
    }

    /** Makes an invalid template unreachable; it dies on its own timer once it controls nothing. */
    private void invalidate(ConnTable t, int ct) {
        conns.invalidateTemplate(t, ct, INVALID_PORT);
        counters.templatesInvalidated++;
    }

    private static final long[][] PREFIX_MASKS = new long[129][];

    static {
        for (int plen = 0; plen <= 128; plen++) {
            long hi = plen >= 64 ? -1L : plen == 0 ? 0 : -1L << (64 - plen);
            long lo = plen <= 64 ? 0 : plen == 128 ? -1L : -1L << (128 - plen);
            PREFIX_MASKS[plen] = new long[] {hi, lo};
        }
    }

    /** The IPv6 mask of a prefix length (precomputed: no allocation on the packet path). */
    static long[] prefixMask(int plen) {
        return PREFIX_MASKS[Math.max(0, Math.min(128, plen))];
    }
}
