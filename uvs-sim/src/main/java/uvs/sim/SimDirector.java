package uvs.sim;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import uvs.core.Decision;
import uvs.core.Engine;
import uvs.core.EngineConfig;
import uvs.core.PacketHeader;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServer;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceKey;
import uvs.sync.SyncDaemonConfig;
import uvs.sync.backup.SyncBackup;
import uvs.sync.master.SyncMaster;
import uvs.sync.master.SyncSender;
import uvs.sync.transport.SyncTransport;
import uvs.time.ManualClock;

/**
 * One simulated director: a real engine with the scenario's service and, as keepalived runs them, a sync master
 * (sending what this director forwards) and a sync backup (applying what the other one sends).
 */
final class SimDirector {
    /** The virtual address of the simulated service. */
    static final IpAddress VIP = IpAddress.parse("10.1.1.1");
    /** The simulated service: TCP port 80 on the VIP (the persistent one when the scenario has persistence). */
    static final ServiceKey SERVICE = ServiceKey.of(IpProto.TCP, VIP, 80);
    /** Port of the second, never persistent, service on the VIP, present when a persistent share is below 1. */
    static final int PLAIN_PORT = 443;
    /** Address of real server {@code i} (1-based) is this plus {@code i}. */
    static final int RS_BASE = 0x0a02_0000;

    private static final ThreadMXBean THREAD_CPU = ManagementFactory.getThreadMXBean();

    final Engine engine;
    private final ServiceKey[] services;
    private final PacketHeader p = new PacketHeader();
    private final Decision d = new Decision();
    private SyncMaster master;
    private SyncSender sender;
    private SyncBackup backup;
    private boolean alive = true;
    private long backupCpuNanos;

    /**
     * A started director whose real servers have the weights {@code weights[i]} (index 1-based, -1 = removed).
     */
    SimDirector(ManualClock clock, Scenario s, int capacity, int[] weights) {
        this(clock, s, capacity, weights, false);
    }

    /**
     * A director that has never seen the traffic, for asking where a flow's next segment would go: the same
     * services and real servers, sloppy TCP (it adopts flows from any segment), none of the scenario's tunables,
     * no persistence (so that the scheduler alone decides).
     */
    static SimDirector remapProbe(ManualClock clock, Scenario s, int capacity, int[] weights) {
        return new SimDirector(clock, s, capacity, weights, true);
    }

    private SimDirector(ManualClock clock, Scenario s, int capacity, int[] weights, boolean probe) {
        engine = new Engine(clock, EngineConfig.defaults().withCapacity(capacity, 64));
        engine.setTimeouts(s.timeouts().tcp(), s.timeouts().tcpfin(), s.timeouts().udp());
        if (probe) {
            engine.setTunable("sloppy_tcp", "1");
        } else {
            for (Scenario.Tunable t : s.tunables()) {
                engine.setTunable(t.name(), t.value());
            }
        }
        ServiceConfig cfg = s.persistent() > 0 && !probe ? ServiceConfig.persistent(s.scheduler(), s.persistent())
            : ServiceConfig.of(s.scheduler());
        services = s.twoServices() ? new ServiceKey[] {SERVICE, ServiceKey.of(IpProto.TCP, VIP, PLAIN_PORT)}
            : new ServiceKey[] {SERVICE};
        engine.addService(SERVICE, cfg.withFlags(cfg.flags() | s.schedFlags()));
        if (services.length == 2) {
            engine.addService(services[1], ServiceConfig.of(s.scheduler()).withFlags(s.schedFlags()));
        }
        for (ServiceKey svc : services) {
            for (int i = 1; i < weights.length; i++) {
                if (weights[i] >= 0) {
                    engine.addDest(svc, IpAddress.v4(RS_BASE + i), svc.port(),
                        RealServerConfig.of(weights[i], ForwardMethod.ROUTE));
                }
            }
        }
    }

    /** Starts a sync master sending through {@code out}; {@code senderId} makes the UVS trailer reproducible. */
    void startMaster(SyncDaemonConfig cfg, SyncTransport out, int senderId) {
        master = new SyncMaster(engine, cfg, (int) Math.min(engine.tunables().syncQlenMax(),
            SyncMaster.DEFAULT_POOL_QUEUE) + 2, senderId);
        sender = master.sender(out);
        master.start();
    }

    /** Starts a sync backup receiving from {@code in}. */
    void startBackup(SyncDaemonConfig cfg, SyncTransport in, int senderId) {
        backup = new SyncBackup(engine, cfg, in, 1500, senderId);
        backup.start();
    }

    /** One client TCP segment to the service on {@code vport}; the returned decision is reused by the next call. */
    Decision tcp(int client, int cport, int vport, int flags) {
        p.clear().ipv4(IpProto.TCP, client, cport, VIP.v4(), vport);
        p.tcpFlags = flags;
        p.length = 200;
        return engine.process(p, d);
    }

    /**
     * Connection timers, the engine's periodic work, at most {@code limit} expiries per table; the work done
     * (0 when nothing is due).
     */
    int timers(int limit) {
        return alive ? engine.doWork(limit) : 0;
    }

    /** One round of the sync daemons' threads; returns the work done (0 when they are idle). */
    int syncWork() {
        if (!alive) {
            return 0;
        }
        int work = 0;
        if (master != null) {
            work += master.doWork(engine.nowJiffies()) + sender.doWork();
        }
        if (backup != null) {
            long t0 = THREAD_CPU.getCurrentThreadCpuTime();
            int w = backup.doWork();
            if (w > 0) {
                backupCpuNanos += THREAD_CPU.getCurrentThreadCpuTime() - t0;
            }
            work += w;
        }
        return work;
    }

    /** The director dies: nothing runs on it any more (its unsent sync buffers are lost with it). */
    void die() {
        alive = false;
    }

    /** True until {@link #die()}. */
    boolean alive() {
        return alive;
    }

    /**
     * Applies a health change to real server {@code i} (1-based): weight 0, deletion, or its configured weight
     * {@code weight} again (re-added when it was deleted); {@code wasRemoved} says whether it is currently deleted.
     */
    void change(Scenario.ServerAction action, int i, boolean wasRemoved, int weight) {
        IpAddress addr = IpAddress.v4(RS_BASE + i);
        for (ServiceKey svc : services) {
            int port = svc.port();
            switch (action) {
                case QUIESCE -> engine.editDest(svc, addr, port, RealServerConfig.of(0, ForwardMethod.ROUTE));
                case REMOVE -> engine.deleteDest(svc, addr, port);
                case RESTORE -> {
                    if (wasRemoved) {
                        engine.addDest(svc, addr, port, RealServerConfig.of(weight, ForwardMethod.ROUTE));
                    } else {
                        engine.editDest(svc, addr, port, RealServerConfig.of(weight, ForwardMethod.ROUTE));
                    }
                }
            }
        }
    }

    /**
     * Sums of ActiveConn, InActConn and PersistConn over the real servers of all services, as ipvsadm -L shows
     * them.
     */
    long[] counters() {
        long[] c = new long[3];
        for (ServiceKey svc : services) {
            RealServer[] dests = engine.service(svc).dests();
            int n = engine.service(svc).destCount();
            for (int i = 0; i < n; i++) {
                c[0] += dests[i].activeConns();
                c[1] += dests[i].inactConns();
                c[2] += dests[i].persistConns();
            }
        }
        return c;
    }

    /** The sync master, null when none was started. */
    SyncMaster master() {
        return master;
    }

    /** The sync backup, null when none was started. */
    SyncBackup backup() {
        return backup;
    }

    /** CPU time this thread spent in the backup's work rounds that did something (receiving and applying). */
    long backupCpuNanos() {
        return backupCpuNanos;
    }
}
