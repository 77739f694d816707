package uvs.sync.transport;

import uvs.core.Decision;
import uvs.core.Engine;
import uvs.core.EngineConfig;
import uvs.core.PacketHeader;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceKey;
import uvs.sync.SyncDaemonConfig;
import uvs.sync.backup.SyncBackup;
import uvs.sync.master.SyncMaster;
import uvs.sync.master.SyncSender;
import uvs.time.ManualClock;

/**
 * Run by {@link MulticastSyncTransportTest} inside a private network namespace: a master and a backup
 * engine talking over real multicast on {@code lo}. Prints one line
 * {@code RESULT conns=N messagesSent=N entriesSent=N datagrams=N created=N backupConns=N sendErrors=N}.
 */
public final class MulticastChild {
    /** Connections driven through the master. */
    static final int FLOWS = 300;
    /** Sync ports used (port 8848 and 8849). */
    static final int PORTS = 2;

    private MulticastChild() {
    }

    /** Entry point; exits non-zero on any error. */
    public static void main(String[] args) throws Exception {
        ManualClock clock = new ManualClock();
        Engine master = engine(clock);
        Engine backup = engine(clock);
        SyncDaemonConfig mcfg = SyncDaemonConfig.master().withMcastInterface("lo");
        SyncDaemonConfig bcfg = SyncDaemonConfig.backup().withMcastInterface("lo");
        try (MulticastSyncTransport rx = MulticastSyncTransport.backup(bcfg, PORTS, 1 << 20);
             MulticastSyncTransport tx = MulticastSyncTransport.master(mcfg, PORTS, 1 << 20)) {
            SyncMaster sm = new SyncMaster(master, mcfg);
            SyncSender sender = sm.sender(tx);
            SyncBackup sb = new SyncBackup(backup, bcfg, rx, MulticastSyncTransport.mtu("lo"));
            sm.start();
            sb.start();
            PacketHeader p = new PacketHeader();
            Decision d = new Decision();
            int vip = IpAddress.parse("10.1.1.1").v4();
            for (int i = 0; i < FLOWS; i++) {
                // SYN, ACK (ESTABLISHED), ACK: the 3rd packet sends the conn
                int[] flags = {PacketHeader.TCP_SYN, PacketHeader.TCP_ACK, PacketHeader.TCP_ACK};
                for (int f : flags) {
                    p.clear().ipv4(IpProto.TCP, 0x0a00_0000 + i, 1000 + i, vip, 80);
                    p.tcpFlags = f;
                    master.process(p, d);
                }
                sender.doWork();
                sb.doWork();
            }
            clock.advanceMillis(2000);
            master.doWork();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (sb.counters().created() < FLOWS && System.nanoTime() < deadline) {
                sm.doWork(master.nowJiffies());
                int work = sender.doWork() + sb.doWork();
                if (work == 0) {
                    Thread.sleep(1);
                }
            }
            System.out.println("RESULT conns=" + master.conns4().size() + " messagesSent=" + sm.counters().messagesSent()
                + " entriesSent=" + sm.counters().entriesSent() + " datagrams=" + sb.counters().datagrams()
                + " created=" + sb.counters().created() + " backupConns=" + backup.conns4().size()
                + " sendErrors=" + tx.sendErrors());
        }
    }

    private static Engine engine(ManualClock clock) {
        Engine e = new Engine(clock, EngineConfig.defaults().withCapacity(4096, 256));
        e.setTunable("sync_ports", Integer.toString(PORTS));
        ServiceKey http = ServiceKey.of(IpProto.TCP, IpAddress.parse("10.1.1.1"), 80);
        e.addService(http, ServiceConfig.of("rr"));
        e.addDest(http, IpAddress.parse("10.2.2.2"), 80, RealServerConfig.of(1, ForwardMethod.ROUTE));
        return e;
    }
}
