package uvs.lab.sim;

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

/** One simulated director: a real engine with the scenario's service, and optionally a sync master or backup. */
final class SimDirector {
    /** The virtual address of the simulated service. */
    static final IpAddress VIP = IpAddress.parse("10.1.1.1");
    /** The simulated service: TCP port 80 on the VIP. */
    static final ServiceKey SERVICE = ServiceKey.of(IpProto.TCP, VIP, 80);
    /** Address of real server {@code i} (1-based) is this plus {@code i}. */
    static final int RS_BASE = 0x0a02_0000;

    final Engine engine;
    private final PacketHeader p = new PacketHeader();
    private final Decision d = new Decision();
    private SyncMaster master;
    private SyncSender sender;
    private SyncBackup backup;
    private boolean alive = true;

    SimDirector(ManualClock clock, Scenario s, int capacity) {
        engine = new Engine(clock, EngineConfig.defaults().withCapacity(capacity, 64));
        for (Scenario.Tunable t : s.tunables()) {
            engine.setTunable(t.name(), t.value());
        }
        engine.addService(SERVICE, s.persistent() > 0 ? ServiceConfig.persistent(s.scheduler(), s.persistent())
            : ServiceConfig.of(s.scheduler()));
        for (int i = 1; i <= s.realServers(); i++) {
            engine.addDest(SERVICE, IpAddress.v4(RS_BASE + i), 80, RealServerConfig.of(1, ForwardMethod.ROUTE));
        }
    }

    void startMaster(SyncDaemonConfig cfg, SyncTransport out) {
        master = new SyncMaster(engine, cfg);
        sender = master.sender(out);
        master.start();
    }

    void startBackup(SyncDaemonConfig cfg, SyncTransport in) {
        backup = new SyncBackup(engine, cfg, in, 1500);
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
            work += backup.doWork();
        }
        return work;
    }

    /** The director dies: nothing runs on it any more (its unsent sync buffers are lost with it). */
    void die() {
        alive = false;
    }

    /** Sets the weight of real server {@code i} (1-based), as ldirectord does to quiesce a server. */
    void weight(int i, int weight) {
        engine.editDest(SERVICE, IpAddress.v4(RS_BASE + i), 80, RealServerConfig.of(weight, ForwardMethod.ROUTE));
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

    SyncMaster master() {
        return master;
    }
}
