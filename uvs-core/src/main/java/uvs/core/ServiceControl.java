package uvs.core;

import java.util.ArrayList;
import java.util.List;
import uvs.core.net.IpAddress;
import uvs.core.persist.PersistenceEngines;
import uvs.core.proto.ProtocolTimeouts;
import uvs.core.sched.Scheduler;
import uvs.core.sched.SchedulerContext;
import uvs.core.sched.SchedulerRegistry;
import uvs.core.stats.Stats;
import uvs.core.svc.RealServer;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceFlags;
import uvs.core.svc.ServiceKey;
import uvs.core.svc.VirtualService;
import uvs.core.tune.SysctlFile;
import uvs.core.tune.Tunables;

/**
 * ipvsadm's operations on services, real servers, timeouts and tunables (the kernel's ip_vs_ctl.c): validated
 * as the kernel validates them, refused with its errno.
 */
final class ServiceControl {
    private final Connections conns;
    private final ServiceTable services;
    private final DestRegistry dests;
    private final RealServiceIndex realServices;
    private final Defense defense;
    private final Tunables tunables;
    private final ProtocolTimeouts timeouts;
    private final Stats total;
    private final SchedulerRegistry schedulers;
    private final SchedulerContext schedCtx;

    ServiceControl(Connections conns, ServiceTable services, DestRegistry dests, RealServiceIndex realServices,
                   Defense defense, Tunables tunables, ProtocolTimeouts timeouts, Stats total,
                   SchedulerRegistry schedulers, SchedulerContext schedCtx) {
        this.conns = conns;
        this.services = services;
        this.dests = dests;
        this.realServices = realServices;
        this.defense = defense;
        this.tunables = tunables;
        this.timeouts = timeouts;
        this.total = total;
        this.schedulers = schedulers;
        this.schedCtx = schedCtx;
    }


    /** {@code ipvsadm -A}. */
    VirtualService addService(ServiceKey key, ServiceConfig cfg) {
        conns.tick();
        validateService(IpvsException.Op.ADD_SERVICE, key, cfg);
        if (services.get(key) != null) {
            throw new IpvsException(IpvsException.Op.ADD_SERVICE, IpvsException.Errno.EEXIST, null);
        }
        VirtualService s = new VirtualService(key, cfg);
        s.scheduler(newScheduler(IpvsException.Op.ADD_SERVICE, cfg.scheduler(), s));
        s.persistenceEngine(cfg.peName() == null ? null : PersistenceEngines.get(cfg.peName()));
        services.add(s);
        return s;
    }

    /** {@code ipvsadm -E}: scheduler, flags, timeout, netmask and PE replaced by {@code cfg}. */
    VirtualService editService(ServiceKey key, ServiceConfig cfg) {
        conns.tick();
        VirtualService s = requireService(IpvsException.Op.EDIT_SERVICE, key);
        validateService(IpvsException.Op.EDIT_SERVICE, key, cfg);
        Scheduler newSched = null;
        if (!cfg.scheduler().equals(s.config().scheduler())) {
            newSched = newScheduler(IpvsException.Op.EDIT_SERVICE, cfg.scheduler(), s);
        }
        int oldFlags = s.flags();
        s.config(cfg);
        s.persistenceEngine(cfg.peName() == null ? null : PersistenceEngines.get(cfg.peName()));
        if (newSched != null) {
            s.scheduler(newSched);
            RealServer[] list = s.dests();
            for (int i = list.length - 1; i >= 0; i--) {
                newSched.onDestAdded(s, list[i]);
            }
        } else if ((oldFlags & ServiceFlags.SCHED_MASK) != (cfg.flags() & ServiceFlags.SCHED_MASK)) {
            s.scheduler().onServiceUpdated(s);
        }
        return s;
    }

    /** {@code ipvsadm -D}. */
    void deleteService(ServiceKey key) {
        conns.tick();
        VirtualService s = requireService(IpvsException.Op.DELETE_SERVICE, key);
        removeService(s);
        if (tunables.expireNodestConn() != 0) {
            conns.flushUnavailable();
        }
    }

    /** {@code ipvsadm -C}. */
    void clear() {
        conns.tick();
        for (VirtualService s : new ArrayList<>(services.all())) {
            removeService(s);
        }
        if (tunables.expireNodestConn() != 0) {
            conns.flushUnavailable();
        }
    }

    private void removeService(VirtualService s) {
        RealServer[] list = s.dests();
        for (RealServer d : list) {
            int idx = s.removeDest(d);
            s.scheduler().onDestRemoved(s, d, idx);
            realServices.remove(d);
            dests.trash(d, conns.now());
        }
        services.remove(s);
    }

    /** {@code ipvsadm -a}: a new (or revived) real server goes to the head of the list. */
    RealServer addDest(ServiceKey key, IpAddress addr, int port, RealServerConfig cfg) {
        conns.tick();
        VirtualService s = requireService(IpvsException.Op.ADD_DEST, key);
        validateDest(IpvsException.Op.ADD_DEST, s, addr, cfg);
        if (s.findDest(addr, port) != null) {
            throw new IpvsException(IpvsException.Op.ADD_DEST, IpvsException.Errno.EEXIST, null);
        }
        RealServer d = dests.revive(key, addr, port);
        if (d == null) {
            d = new RealServer(s, addr, port);
            dests.register(d);
        }
        d.configure(cfg);
        d.available(true);
        s.addDestAtHead(d);
        realServices.add(d);
        s.scheduler().onDestAdded(s, d);
        return d;
    }

    /** {@code ipvsadm -e}. */
    RealServer editDest(ServiceKey key, IpAddress addr, int port, RealServerConfig cfg) {
        conns.tick();
        VirtualService s = requireService(IpvsException.Op.EDIT_DEST, key);
        validateDest(IpvsException.Op.EDIT_DEST, s, addr, cfg);
        RealServer d = s.findDest(addr, port);
        if (d == null) {
            throw new IpvsException(IpvsException.Op.EDIT_DEST, IpvsException.Errno.ENOENT, null);
        }
        realServices.remove(d);
        d.configure(cfg);
        realServices.add(d);
        s.scheduler().onDestUpdated(s, d);
        return d;
    }

    /** {@code ipvsadm -d}: the server goes to the trash while connections refer to it. */
    void deleteDest(ServiceKey key, IpAddress addr, int port) {
        conns.tick();
        VirtualService s = requireService(IpvsException.Op.DELETE_DEST, key);
        RealServer d = s.findDest(addr, port);
        if (d == null) {
            throw new IpvsException(IpvsException.Op.DELETE_DEST, IpvsException.Errno.ENOENT, null);
        }
        int idx = s.removeDest(d);
        s.scheduler().onDestRemoved(s, d, idx);
        realServices.remove(d);
        dests.trash(d, conns.now());
        if (tunables.expireNodestConn() != 0) {
            conns.flushUnavailable();
        }
    }

    /** {@code ipvsadm -Z [service]}: zero statistics of one service or of everything. */
    void zero(ServiceKey key) {
        if (key != null) {
            VirtualService s = requireService(IpvsException.Op.ZERO, key);
            zero(s);
            return;
        }
        for (VirtualService s : services.all()) {
            zero(s);
        }
        total.zero();
    }

    private static void zero(VirtualService s) {
        s.stats().zero();
        for (RealServer d : s.dests()) {
            d.stats().zero();
        }
    }

    /** {@code ipvsadm --set tcp tcpfin udp} (seconds, 0 = unchanged). */
    void setTimeouts(int tcp, int tcpfin, int udp) {
        timeouts.setTcpTcpfinUdp(tcp, tcpfin, udp);
    }

    /** Sets a tunable by its sysctl name; defense modes take effect at once, as in the kernel. */
    void setTunable(String name, String value) {
        tunables.set(name, value);
        defense.update();
        conns.secureTcp(defense.secureTcp());
    }

    /**
     * Applies a sysctl file's entries atomically (all or nothing, errors with file:line); returns the
     * problems of skipped {@code -} lines.
     */
    List<String> applySysctl(List<SysctlFile.Entry> entries) {
        List<String> skipped = tunables.applyAll(entries);
        defense.update();
        conns.secureTcp(defense.secureTcp());
        return skipped;
    }

    private static void validateService(IpvsException.Op op, ServiceKey key, ServiceConfig cfg) {
        IpvsChecks.Refusal r = IpvsChecks.service(key, cfg);
        if (r != null) {
            throw r.of(op);
        }
    }

    private static void validateDest(IpvsException.Op op, VirtualService s, IpAddress addr, RealServerConfig cfg) {
        IpvsChecks.Refusal r = IpvsChecks.realServer(s.key(), addr, cfg);
        if (r != null) {
            throw r.of(op);
        }
    }

    private Scheduler newScheduler(IpvsException.Op op, String name, VirtualService s) {
        try {
            return schedulers.create(name, s, schedCtx);
        } catch (IllegalArgumentException e) {
            throw new IpvsException(op, IpvsException.Errno.ENOENT, "scheduler " + name);
        }
    }

    private VirtualService requireService(IpvsException.Op op, ServiceKey key) {
        VirtualService s = services.get(key);
        if (s == null) {
            throw new IpvsException(op, IpvsException.Errno.ESRCH, null);
        }
        return s;
    }

    /**
     * Finishes what the control changes since the last call left for later ({@link Scheduler#settle}); the
     * engine's owner calls it after a batch of control work, before the next packet.
     */
    void settleSchedulers() {
        for (VirtualService s : services.all()) {
            s.scheduler().settle(s);
        }
    }
}
