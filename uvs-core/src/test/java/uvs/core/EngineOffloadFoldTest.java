package uvs.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import uvs.core.conn.ConnTable;
import uvs.core.net.IpProto;
import uvs.core.stats.Stats;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServer;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceKey;
import uvs.time.Jiffies;

/**
 * A model test of {@link Engine#foldOffloaded}: two identical engines see the same connection set up through
 * the packet path; then one processes seeded random established traffic packet by packet while the other only
 * gets it folded in at random intervals of at most a second, as the data plane's fast path does. Afterwards the
 * connection tables (state, flags, timeout, timer, in_pkts), the statistics of real servers, services and the total,
 * ActiveConn/InActConn and what the sync master was handed must be the same.
 */
class EngineOffloadFoldTest {
    private static final long SEED = 0x0ff1_0ad5L;
    private static final int ACK = PacketHeader.TCP_ACK;
    private static final int PSH_ACK = PacketHeader.TCP_ACK | PacketHeader.TCP_PSH;
    private static final int SYN = PacketHeader.TCP_SYN;
    private static final int SYN_ACK = PacketHeader.TCP_SYN | PacketHeader.TCP_ACK;
    private static final String CLIENT = "10.9.0.1";

    /** A sync master that records what it was handed. */
    private static final class Recorder implements SyncHook {
        final List<String> handed = new ArrayList<>();

        @Override
        public void onSync(ConnTable table, int conn, int pkts) {
            handed.add(conn + ":" + pkts);
        }
    }

    private record Side(EngineFixture f, Recorder sync) {
        static Side of(ServiceKey svc, ServiceConfig cfg, ForwardMethod fwd) {
            return of(svc, cfg, fwd, true);
        }

        static Side of(ServiceKey svc, ServiceConfig cfg, ForwardMethod fwd, boolean syncMaster) {
            EngineFixture f = new EngineFixture();
            f.service(svc, cfg);
            f.addDest(svc, EngineFixture.RS1, svc.protocol() == IpProto.UDP ? 5353 : 8080, 1, fwd);
            Recorder r = new Recorder();
            if (syncMaster) {
                f.engine.syncHook(r);
            }
            return new Side(f, r);
        }

        Decision in(int protocol, int flags, int length) {
            f.pkt.clear().ipv4(protocol, EngineFixture.ip(CLIENT), 40000, EngineFixture.VIP.v4(),
                protocol == IpProto.UDP ? 53 : 80);
            f.pkt.tcpFlags = flags;
            f.pkt.length = length;
            return f.engine.process(f.pkt, f.d);
        }

        Decision out(int protocol, int flags, int length) {
            f.pkt.clear().ipv4(protocol, EngineFixture.RS1.v4(), protocol == IpProto.UDP ? 5353 : 8080,
                EngineFixture.ip(CLIENT), 40000);
            f.pkt.tcpFlags = flags;
            f.pkt.length = length;
            f.pkt.direction = PacketHeader.DIR_OUTPUT;
            return f.engine.process(f.pkt, f.d);
        }
    }

    private static void run(ServiceKey svc, ServiceConfig cfg, ForwardMethod fwd, long seed) {
        run(svc, cfg, fwd, seed, true);
    }

    private static void run(ServiceKey svc, ServiceConfig cfg, ForwardMethod fwd, long seed, boolean syncMaster) {
        int proto = svc.protocol();
        boolean replies = fwd == ForwardMethod.MASQ;
        Side slow = Side.of(svc, cfg, fwd, syncMaster);
        Side fast = Side.of(svc, cfg, fwd, syncMaster);
        SplittableRandom r = new SplittableRandom(seed);
        int conn = -1;
        for (Side s : List.of(slow, fast)) {
            // set-up through the packet path on both: the fast path only gets established flows
            if (proto == IpProto.TCP) {
                s.in(proto, SYN, 60);
                if (replies) {
                    s.out(proto, SYN_ACK, 60);
                }
                s.in(proto, ACK, 52);
            } else {
                s.in(proto, 0, 80);
                s.out(proto, 0, 80);
            }
            conn = s.f.d.conn;
            s.f.advanceMillis(3);
        }
        long inPkts = 0;
        long inBytes = 0;
        long outPkts = 0;
        long outBytes = 0;
        long lastSeen = 0;
        long sinceFold = 0;
        int packets = r.nextInt(1, 400);
        for (int i = 0; i < packets; i++) {
            int step = r.nextInt(0, 60);
            slow.f.advanceMillis(step);
            fast.f.advanceMillis(step);
            sinceFold += step;
            int length = r.nextInt(40, 1500);
            int flags = r.nextBoolean() ? ACK : PSH_ACK;
            if (replies && r.nextInt(3) == 0) {
                slow.out(proto, flags, length);
                outPkts++;
                outBytes += length;
            } else {
                slow.in(proto, flags, length);
                inPkts++;
                inBytes += length;
            }
            lastSeen = fast.f.clock.nanoTime();
            if (sinceFold >= 1000 || r.nextInt(20) == 0) {
                assertThat(fast.f.engine.foldOffloaded(fast.f.t4(), conn, inPkts, inBytes, outPkts, outBytes,
                    lastSeen)).isEqualTo(Engine.FOLDED);
                inPkts = 0;
                inBytes = 0;
                outPkts = 0;
                outBytes = 0;
                sinceFold = 0;
            }
        }
        int late = r.nextInt(0, 900); // the fold runs after the last packet, within the interval
        fast.f.advanceMillis(late);
        assertThat(fast.f.engine.foldOffloaded(fast.f.t4(), conn, inPkts, inBytes, outPkts, outBytes, lastSeen))
            .isEqualTo(Engine.FOLDED);
        slow.f.advanceMillis(late);
        String why = "seed " + Long.toHexString(seed);
        assertThat(describe(fast, conn)).as(why).isEqualTo(describe(slow, conn));
        assertThat(fast.sync.handed).as(why).isEqualTo(slow.sync.handed);
        // and the timer fires at the same moment on both
        int timeout = slow.f.t4().timeout(conn);
        slow.f.advance(Jiffies.toMillis(timeout) / 1000 + 1);
        fast.f.advance(Jiffies.toMillis(timeout) / 1000 + 1);
        assertThat(fast.f.connCount()).as(why).isEqualTo(slow.f.connCount());
    }

    /** Every entry of the table (the connection and any template) with the counters around them. */
    private static String describe(Side s, int conn) {
        ConnTable t = s.f.t4();
        StringBuilder b = new StringBuilder("conn " + conn + ", " + t.size() + " entries\n");
        for (int c = t.next(0); c != ConnTable.NONE; c = t.next(c + 1)) {
            b.append(c).append(": state ").append(t.state(c)).append(" flags ").append(Integer.toHexString(t.flags(c)))
                .append(" timeout ").append(t.timeout(c)).append(" expires ").append(t.expires(c))
                .append(" in_pkts ").append(t.inPkts(c)).append(" control ").append(t.control(c))
                .append(" n_control ").append(t.nControl(c)).append('\n');
        }
        RealServer rs = s.f.engine.service(s.f.engine.services().getFirst().key()).dests()[0];
        return b + "rs " + stats(rs.stats()) + " active " + rs.activeConns() + " inact " + rs.inactConns()
            + " persist " + rs.persistConns() + " | svc " + stats(rs.service().stats()) + " | total "
            + stats(s.f.engine.totalStats());
    }

    private static String stats(Stats st) {
        return st.conns() + " " + st.inPkts() + "/" + st.inBytes() + " " + st.outPkts() + "/" + st.outBytes();
    }

    @Test
    void natTcpFoldedEqualsProcessed() {
        for (int i = 0; i < 40; i++) {
            run(EngineFixture.HTTP, ServiceConfig.of("rr"), ForwardMethod.MASQ, SEED + i);
        }
    }

    @Test
    void directRoutingTcpFoldedEqualsProcessed() {
        for (int i = 0; i < 40; i++) {
            run(EngineFixture.HTTP, ServiceConfig.of("wlc"), ForwardMethod.ROUTE, SEED + 100 + i);
        }
    }

    @Test
    void persistentNatUdpFoldedEqualsProcessed() {
        for (int i = 0; i < 40; i++) {
            run(EngineFixture.DNS, ServiceConfig.persistent("rr", 360), ForwardMethod.MASQ, SEED + 200 + i);
        }
    }

    @Test
    void withoutASyncMasterInPktsStillCount() {
        for (int i = 0; i < 20; i++) {
            run(EngineFixture.HTTP, ServiceConfig.of("rr"), ForwardMethod.MASQ, SEED + 300 + i, false);
        }
    }

    @Test
    void aGoneRealServerOrATemplateIsNotFolded() {
        Side s = Side.of(EngineFixture.HTTP, ServiceConfig.of("rr"), ForwardMethod.MASQ);
        s.in(IpProto.TCP, SYN, 60);
        int c = s.f.d.conn;
        assertThat(s.f.engine.foldOffloaded(s.f.t4(), c, -1, 0, 0, 0, 0)).isEqualTo(Engine.FOLD_REFUSED);
        s.f.engine.deleteDest(EngineFixture.HTTP, EngineFixture.RS1, 8080);
        long before = s.f.engine.totalStats().inPkts();
        assertThat(s.f.engine.foldOffloaded(s.f.t4(), c, 5, 500, 0, 0, s.f.clock.nanoTime()))
            .isEqualTo(Engine.FOLD_DEST_UNAVAILABLE);
        assertThat(s.f.engine.totalStats().inPkts()).isEqualTo(before);
    }
}
