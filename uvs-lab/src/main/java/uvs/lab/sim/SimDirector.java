package uvs.lab.sim;

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
    /** The simulated service: TCP port 80 on the VIP. */
    static final ServiceKey SERVICE = ServiceKey.of(IpProto.TCP, VIP, 80);
    /** Address of real server {@code i} (1-based) is this plus {@code i}. */
    static final int RS_BASE = 0x0a02_0000;

    private static final ThreadMXBean THREAD_CPU = ManagementFactory.getThreadMXBean();

    final Engine engine;
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
        engine = new Engine(clock, EngineConfig.defaults().withCapacity(capacity, 64));
        for (Scenario.Tunable t : s.tunables()) {
            engine.setTunable(t.name(), t.value());
        }
        ServiceConfig cfg = s.persistent() > 0 ? ServiceConfig.persistent(s.scheduler(), s.persistent())
            : ServiceConfig.of(s.scheduler());
        engine.addService(SERVICE, cfg.withFlags(cfg.flags() | s.schedFlags()));
        for (int i = 1; i < weights.length; i++) {
            if (weights[i] >= 0) {
                engine.addDest(SERVICE, IpAddress.v4(RS_BASE + i), 80,
                    RealServerConfig.of(weights[i], ForwardMethod.ROUTE));
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

    /** One client TCP segment to the service; the returned decision is reused by the next call. */
    Decision tcp(int client, int cport, int flags) {
        p.clear().ipv4(IpProto.TCP, client, cport, VIP.v4(), 80);
        p.tcpFlags = flags;
        p.length = 200;
        return engine.process(p, d);
    }

    /** Connection timers: the engine's periodic work. */
    void timers() {
        if (alive) {
            engine.doWork();
        }
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
     * Applies a health change to real server {@code i} (1-based): weight 0, deletion, or weight 1 (re-added when
     * it was deleted); {@code wasRemoved} says whether it is currently deleted.
     */
    void change(Scenario.ServerAction action, int i, boolean wasRemoved) {
        IpAddress addr = IpAddress.v4(RS_BASE + i);
        switch (action) {
            case QUIESCE -> engine.editDest(SERVICE, addr, 80, RealServerConfig.of(0, ForwardMethod.ROUTE));
            case REMOVE -> engine.deleteDest(SERVICE, addr, 80);
            case RESTORE -> {
                if (wasRemoved) {
                    engine.addDest(SERVICE, addr, 80, RealServerConfig.of(1, ForwardMethod.ROUTE));
                } else {
                    engine.editDest(SERVICE, addr, 80, RealServerConfig.of(1, ForwardMethod.ROUTE));
                }
            }
        }
    }

    /** Sums of ActiveConn, InActConn and PersistConn over the service's real servers, as ipvsadm -L shows them. */
    long[] counters() {
        long[] c = new long[3];
        RealServer[] dests = engine.service(SERVICE).dests();
        int n = engine.service(SERVICE).destCount();
        for (int i = 0; i < n; i++) {
            c[0] += dests[i].activeConns();
            c[1] += dests[i].inactConns();
            c[2] += dests[i].persistConns();
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
