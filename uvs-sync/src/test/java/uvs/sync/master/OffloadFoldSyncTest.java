package uvs.sync.master;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import uvs.core.Decision;
import uvs.core.Engine;
import uvs.core.EngineConfig;
import uvs.core.PacketHeader;
import uvs.core.conn.ConnFlags;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceKey;
import uvs.sync.SyncCapture;
import uvs.sync.SyncDaemonConfig;
import uvs.sync.codec.SyncEntry;
import uvs.sync.transport.InMemorySyncTransport;
import uvs.time.ManualClock;

/**
 * The sync output of a director whose established packets the XDP fast path forwarded and UVS folded in
 * ({@link Engine#foldOffloaded}) is the sync output of one that processed them: two engines with real sync
 * masters get the same seeded traffic, one packet by packet, one folded at random intervals of at most a second,
 * and send the same messages for every connection and template, in the same order for each.
 */
class OffloadFoldSyncTest {
    private static final IpAddress VIP = IpAddress.parse("10.1.1.1");
    private static final IpAddress RS = IpAddress.parse("10.2.2.2");
    private static final int CLIENTS = 8;

    /** One director: engine, master, wire. */
    private static final class Director {
        final ManualClock clock = new ManualClock();
        final Engine engine = new Engine(clock, EngineConfig.defaults().withCapacity(4096, 256));
        final PacketHeader p = new PacketHeader();
        final Decision d = new Decision();
        final SyncMaster master;
        final SyncSender sender;
        final InMemorySyncTransport wire;
        final List<SyncEntry> sent = new ArrayList<>();

        Director(ServiceKey svc, ServiceConfig cfg, ForwardMethod fwd, int rport) {
            engine.addService(svc, cfg);
            engine.addDest(svc, RS, rport, RealServerConfig.of(1, fwd));
            master = new SyncMaster(engine, SyncDaemonConfig.master());
            wire = new InMemorySyncTransport(master.ports(), 1, 0);
            sender = master.sender(wire);
            master.start();
        }

        void packet(int protocol, int client, boolean reply, int flags, int vport, int rport) {
            if (reply) {
                p.clear().ipv4(protocol, RS.v4(), rport, client, 40000);
                p.direction = PacketHeader.DIR_OUTPUT;
            } else {
                p.clear().ipv4(protocol, client, 40000, VIP.v4(), vport);
            }
            p.tcpFlags = flags;
            p.length = 100;
            engine.process(p, d);
        }

        void advanceMillis(int ms) {
            clock.advanceMillis(ms);
            engine.doWork();
            master.doWork(engine.nowJiffies());
            sent.addAll(SyncCapture.entries(SyncCapture.drain(sender, wire)));
        }
    }

    private static String describe(SyncEntry e) {
        return e.protocol + " " + Integer.toHexString(e.flags) + " " + e.state + " " + e.timeout + " "
            + Long.toHexString(e.caddrLo) + ":" + e.cport + " " + Long.toHexString(e.vaddrLo) + ":" + e.vport + " "
            + Long.toHexString(e.daddrLo) + ":" + e.dport;
    }

    /**
     * Each entry's messages in the order sent. Across entries the order may differ: a fold hands the master one
     * connection's packets after another's, where the wire interleaved them (as IPVS's CPUs do).
     */
    private static Map<String, List<String>> byEntry(List<SyncEntry> sent) {
        Map<String, List<String>> m = new TreeMap<>();
        for (SyncEntry e : sent) {
            String conn = Long.toHexString(e.caddrLo) + ":" + e.cport + ">" + e.vport + ((e.flags & ConnFlags.TEMPLATE)
                != 0 ? " template" : "");
            m.computeIfAbsent(conn, k -> new ArrayList<>()).add(describe(e));
        }
        return m;
    }

    private static void run(ServiceKey svc, ServiceConfig cfg, ForwardMethod fwd, int rport, long seed) {
        int proto = svc.protocol();
        int vport = svc.port();
        boolean replies = fwd == ForwardMethod.MASQ;
        Director slow = new Director(svc, cfg, fwd, rport);
        Director fast = new Director(svc, cfg, fwd, rport);
        int[] conns = new int[CLIENTS];
        for (Director dir : List.of(slow, fast)) {
            for (int c = 0; c < CLIENTS; c++) {
                int client = 0x0a00_0001 + c;
                if (proto == IpProto.TCP) {
                    dir.packet(proto, client, false, PacketHeader.TCP_SYN, vport, rport);
                    if (replies) {
                        dir.packet(proto, client, true, PacketHeader.TCP_SYN | PacketHeader.TCP_ACK, vport, rport);
                    }
                    dir.packet(proto, client, false, PacketHeader.TCP_ACK, vport, rport);
                } else {
                    dir.packet(proto, client, false, 0, vport, rport);
                }
                conns[c] = dir.d.conn;
            }
        }
        SplittableRandom r = new SplittableRandom(seed);
        long[] in = new long[CLIENTS];
        long[] out = new long[CLIENTS];
        long[] last = new long[CLIENTS];
        int sinceFold = 0;
        for (int i = r.nextInt(50, 600); i > 0; i--) {
            int step = r.nextInt(0, 40);
            slow.advanceMillis(step);
            fast.advanceMillis(step);
            sinceFold += step;
            int c = r.nextInt(CLIENTS);
            boolean reply = replies && r.nextInt(3) == 0;
            slow.packet(proto, 0x0a00_0001 + c, reply, PacketHeader.TCP_ACK, vport, rport);
            if (reply) {
                out[c]++;
            } else {
                in[c]++;
            }
            last[c] = fast.clock.nanoTime();
            if (sinceFold >= 1000 || r.nextInt(25) == 0) {
                fold(fast, conns, in, out, last);
                sinceFold = 0;
            }
        }
        fold(fast, conns, in, out, last);
        for (int i = 0; i < 3; i++) {
            slow.advanceMillis(1000);
            fast.advanceMillis(1000);
        }
        assertThat(slow.sent).as("something to compare").isNotEmpty();
        assertThat(byEntry(fast.sent)).as("seed %x", seed).isEqualTo(byEntry(slow.sent));
    }

    private static void fold(Director fast, int[] conns, long[] in, long[] out, long[] last) {
        for (int c = 0; c < conns.length; c++) {
            assertThat(fast.engine.foldOffloaded(fast.engine.conns4(), conns[c], in[c], in[c] * 100, out[c],
                out[c] * 100, last[c])).isEqualTo(Engine.FOLDED);
            in[c] = 0;
            out[c] = 0;
        }
    }

    @Test
    void natTcp() {
        for (long seed = 1; seed <= 10; seed++) {
            run(ServiceKey.of(IpProto.TCP, VIP, 80), ServiceConfig.of("rr"), ForwardMethod.MASQ, 8080, seed);
        }
    }

    @Test
    void persistentDirectRoutingTcp() {
        for (long seed = 11; seed <= 20; seed++) {
            run(ServiceKey.of(IpProto.TCP, VIP, 80), ServiceConfig.persistent("rr", 360), ForwardMethod.ROUTE, 80,
                seed);
        }
    }

    @Test
    void natUdp() {
        for (long seed = 21; seed <= 30; seed++) {
            run(ServiceKey.of(IpProto.UDP, VIP, 53), ServiceConfig.of("rr"), ForwardMethod.MASQ, 5353, seed);
        }
    }
}
