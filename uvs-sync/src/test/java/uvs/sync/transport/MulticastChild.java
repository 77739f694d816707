package uvs.sync.transport;

import java.nio.charset.StandardCharsets;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
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
 * {@code RESULT conns=N messagesSent=N entriesSent=N datagrams=N created=N backupConns=N sendErrors=N ...}.
 * With the argument {@code reliable} both run reliable and authenticated mode, the master loses every 7th
 * datagram it sends, and the backup (behind a {@link ReceiveRingTransport}) recovers them with NACKs sent
 * to the master's unicast address.
 */
public final class MulticastChild {
    /** Connections driven through the master. */
    static final int FLOWS = 300;
    /** Sync ports used (port 8848 and 8849). */
    static final int PORTS = 2;
    /** Reliable run: every n-th datagram the master sends is lost. */
    static final int LOSE_EVERY = 7;

    private MulticastChild() {
    }

    /** Entry point; exits non-zero on any error. */
    public static void main(String[] args) throws Exception {
        boolean reliable = args.length > 0 && args[0].equals("reliable");
        ManualClock clock = new ManualClock();
        Engine master = engine(clock);
        Engine backup = engine(clock);
        SyncDaemonConfig mcfg = SyncDaemonConfig.master().withMcastInterface("lo");
        SyncDaemonConfig bcfg = SyncDaemonConfig.backup().withMcastInterface("lo");
        if (reliable) {
            byte[] key = "a shared key of enough length!!!".getBytes(StandardCharsets.US_ASCII);
            mcfg = mcfg.withReliable(true).withAuthKey(key);
            bcfg = bcfg.withReliable(true).withAuthKey(key);
        }
        try (MulticastSyncTransport rx = MulticastSyncTransport.backup(bcfg, PORTS, 1 << 20);
             MulticastSyncTransport tx = MulticastSyncTransport.master(mcfg, PORTS, 1 << 20)) {
            SyncTransport wire = reliable ? lossy(tx) : tx;
            ReceiveRingTransport ring = reliable ? new ReceiveRingTransport(rx, PORTS, 1472, 1 << 16) : null;
            SyncMaster sm = new SyncMaster(master, mcfg);
            SyncSender sender = sm.sender(wire);
            SyncBackup sb = new SyncBackup(backup, bcfg, reliable ? ring : rx, MulticastSyncTransport.mtu("lo"));
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
                sm.doWork(master.nowJiffies());
                sender.doWork();
                if (ring != null) {
                    ring.doWork();
                }
                sb.doWork();
            }
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (backup.conns4().size() < FLOWS && System.nanoTime() < deadline) {
                // virtual time moves 10 ms per round: flushes, heartbeats and NACK retries come due
                clock.advanceMillis(10);
                master.doWork();
                backup.doWork();
                sm.doWork(master.nowJiffies());
                int work = sender.doWork() + (ring != null ? ring.doWork() : 0) + sb.doWork();
                if (work == 0) {
                    Thread.sleep(1);
                }
            }
            System.out.println("RESULT conns=" + master.conns4().size()
                + " messagesSent=" + sm.counters().messagesSent()
                + " entriesSent=" + sm.counters().entriesSent() + " datagrams=" + sb.counters().datagrams()
                + " created=" + sb.counters().created() + " backupConns=" + backup.conns4().size()
                + " sendErrors=" + tx.sendErrors() + " lost=" + sb.counters().lost() + " recovered="
                + sb.counters().recovered() + " nacksSent=" + sb.counters().nacksSent() + " nacksReceived="
                + sm.counters().nacksReceived() + " retransmitted=" + sm.counters().retransmitted()
                + " authFailures=" + sb.counters().authFailures() + " replyErrors=" + sb.counters().replyErrors());
        }
    }

    /** The master's transport, losing every {@value #LOSE_EVERY}th datagram (it still looks sent). */
    private static SyncTransport lossy(MulticastSyncTransport tx) {
        return new SyncTransport() {
            private long n;

            @Override
            public int send(DirectBuffer buffer, int offset, int length, int portIndex) {
                return ++n % LOSE_EVERY == 0 ? length : tx.send(buffer, offset, length, portIndex);
            }

            @Override
            public int receive(MutableDirectBuffer buffer, int portIndex) {
                return NONE;
            }

            @Override
            public int receiveReply(MutableDirectBuffer buffer, int portIndex) {
                return tx.receiveReply(buffer, portIndex);
            }

            @Override
            public void close() {
                tx.close();
            }
        };
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
