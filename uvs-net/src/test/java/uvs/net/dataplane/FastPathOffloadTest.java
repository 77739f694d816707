package uvs.net.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static uvs.net.packet.TestFrames.MAC_B;
import static uvs.net.packet.TestFrames.ethernet;
import static uvs.net.packet.TestFrames.ipv4;
import static uvs.net.packet.TestFrames.pseudo4;
import static uvs.net.packet.TestFrames.tcp4;
import static uvs.net.packet.TestFrames.udp;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import uvs.core.Engine;
import uvs.core.EngineConfig;
import uvs.core.net.Af;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.proto.TcpState;
import uvs.core.stats.Stats;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceKey;
import uvs.net.bpf.Bpf;
import uvs.net.bpf.FastPathKey;
import uvs.net.bpf.FastPathMap;
import uvs.net.bpf.SteeringEntry;
import uvs.net.bpf.XdpSteering;
import uvs.net.io.InMemoryPacketIo;
import uvs.net.sys.Capabilities;
import uvs.time.NanoClock;

/**
 * A worker with the XDP fast path (root: a real BPF map and UVS's XDP program run with BPF_PROG_TEST_RUN): flows
 * are installed once established and forwarded by UVS, what the program forwards is folded into the engine,
 * and flows leave the map with their connection, a FIN, their real server, or not at all when the map is full.
 */
@Tag("root")
class FastPathOffloadTest {
    private static final int VIP = 0x0A640264;        // 10.100.2.100
    private static final int CLIENT = 0x0A640002;     // 10.100.0.2
    private static final int DIRECTOR = 0x0A640102;   // 10.100.1.2
    private static final int ROUTER = 0x0A640101;     // 10.100.1.1
    private static final int RS_DR = 0x0A64010B;      // 10.100.1.11
    private static final int RS_NAT = 0x0A64010C;     // 10.100.1.12
    private static final long MAC_ROUTER = 0x02_00_00_00_01_01L;
    private static final long MAC_RS_DR = 0x02_00_00_00_01_11L;
    private static final long MAC_RS_NAT = 0x02_00_00_00_01_12L;
    private static final ServiceKey DR = ServiceKey.of(IpProto.TCP, IpAddress.v4(VIP), 80);
    private static final ServiceKey NAT = ServiceKey.of(IpProto.UDP, IpAddress.v4(VIP), 53);

    /** System.nanoTime (the program's bpf_ktime_get_ns) plus what a test skips ahead. */
    private static final class SkippingClock implements NanoClock {
        long skipped;

        @Override
        public long nanoTime() {
            return System.nanoTime() + skipped;
        }
    }

    private final SkippingClock clock = new SkippingClock();
    private final InMemoryPacketIo io = new InMemoryPacketIo();
    private Engine engine;
    private DataPlaneWorker worker;
    private FastPathMap map;
    private XdpSteering program;

    @BeforeEach
    void setUp() {
        assumeTrue(Capabilities.current().has(Capabilities.CAP_SYS_ADMIN),
            "skipped: BPF maps and programs need root (CAP_SYS_ADMIN)");
        engine = new Engine(clock, EngineConfig.defaults());
        engine.addService(DR, ServiceConfig.of("rr"));
        engine.addDest(DR, IpAddress.v4(RS_DR), 80, RealServerConfig.of(1, ForwardMethod.ROUTE));
        engine.addService(NAT, ServiceConfig.of("rr"));
        engine.addDest(NAT, IpAddress.v4(RS_NAT), 53, RealServerConfig.of(1, ForwardMethod.MASQ));
    }

    private void start(int capacity) {
        map = FastPathMap.create(capacity);
        program = XdpSteering.create(16, map);
        program.steer(Set.of(new SteeringEntry(SteeringEntry.SERVICE, IpAddress.v4(VIP), 0, 0)));
        Link link = new Link("eth0", MAC_B, 1500, List.of(IpAddress.v4(DIRECTOR)));
        worker = new DataPlaneWorker(engine, io, link, new OnLink(), clock, 16, Shard.single(64));
        worker.offload(map, new int[] {7}, capacity);
        worker.doWork();
        io.inject(DataPlaneWorkerTest.arp(2, MAC_ROUTER, ROUTER, MAC_B, DIRECTOR));
        io.inject(DataPlaneWorkerTest.arp(2, MAC_RS_DR, RS_DR, MAC_B, DIRECTOR));
        io.inject(DataPlaneWorkerTest.arp(2, MAC_RS_NAT, RS_NAT, MAC_B, DIRECTOR));
        worker.doWork();
        io.takeSent();
    }

    @AfterEach
    void tearDown() {
        if (worker != null) {
            worker.close();
        }
        io.close();
        if (program != null) {
            program.close();
        }
        if (map != null) {
            map.close();
        }
    }

    @Test
    void shouldOffloadAnEstablishedDrConnectionAndFoldWhatTheProgramForwarded() {
        start(8);
        byte[] data = tcp4(CLIENT, 40000, VIP, 80, 64, 0x18, new byte[100]);
        pass(tcp4(CLIENT, 40000, VIP, 80, 64, 0x02, new byte[0]));
        assertThat(worker.counters().fastPathInstalls).as("not while SYN_RECV").isZero();
        pass(tcp4(CLIENT, 40000, VIP, 80, 64, 0x10, new byte[0]));
        assertThat(worker.counters().fastPathInstalls).as("established and forwarded").isEqualTo(1);
        assertThat(map.read(key(IpProto.TCP, CLIENT, 40000, VIP, 80))).isTrue();
        for (int i = 0; i < 5; i++) {
            Bpf.TestRun r = program.testRun(data);
            assertThat(r.verdict()).as("the program sends it back out").isEqualTo(Bpf.XDP_TX);
            assertThat(DataPlaneWorkerTest.mac(r.frame(), 0)).isEqualTo(MAC_RS_DR);
        }
        clock.skipped += FastPathOffload.FOLD_INTERVAL_NANOS;
        worker.doWork();
        Stats rs = engine.service(DR).dests()[0].stats();
        assertThat(worker.counters().fastPathFolded).isEqualTo(5);
        assertThat(rs.inPkts()).as("SYN, ACK and 5 folded").isEqualTo(7);
        assertThat(rs.inBytes()).isEqualTo(40 + 40 + 5 * 140);
        assertThat(engine.conns4().state(connection())).isEqualTo(TcpState.ESTABLISHED);

        pass(tcp4(CLIENT, 40000, VIP, 80, 64, 0x11, new byte[0]));
        assertThat(map.read(key(IpProto.TCP, CLIENT, 40000, VIP, 80))).as("a FIN takes it back to UVS").isFalse();
        assertThat(worker.counters().fastPathRemovals).isEqualTo(1);
        assertThat(worker.counters().fastPathFlows).isZero();
        assertThat(engine.conns4().state(connection())).isNotEqualTo(TcpState.ESTABLISHED);
    }

    @Test
    void shouldOffloadBothNatDirectionsAndRemoveThemWithTheirConnection() {
        start(8);
        pass(udp4(CLIENT, 5000, VIP, 53));
        assertThat(worker.counters().fastPathInstalls).as("UDP after its first packet").isEqualTo(1);
        pass(udp4(RS_NAT, 53, CLIENT, 5000));
        assertThat(worker.counters().fastPathInstalls).as("and its first reply").isEqualTo(2);
        Bpf.TestRun r = program.testRun(udp4(RS_NAT, 53, CLIENT, 5000));
        assertThat(r.verdict()).isEqualTo(Bpf.XDP_TX);
        assertThat(DataPlaneWorkerTest.u32(r.frame(), 14 + 12)).as("reply source is the VIP").isEqualTo(VIP);
        assertThat(DataPlaneWorkerTest.mac(r.frame(), 0)).as("toward the client's router").isEqualTo(MAC_ROUTER);

        engine.flushConnections();
        assertThat(map.read(key(IpProto.UDP, CLIENT, 5000, VIP, 53))).isFalse();
        assertThat(map.read(key(IpProto.UDP, RS_NAT, 53, CLIENT, 5000))).isFalse();
        assertThat(worker.counters().fastPathRemovals).isEqualTo(2);
        assertThat(worker.counters().fastPathFlows).isZero();
    }

    @Test
    void shouldRemoveTheFlowsOfADeletedRealServerAtOnce() {
        start(8);
        pass(udp4(CLIENT, 5001, VIP, 53));
        pass(udp4(RS_NAT, 53, CLIENT, 5001));
        engine.deleteDest(NAT, IpAddress.v4(RS_NAT), 53);
        worker.doWork();
        assertThat(worker.counters().fastPathFlows).as("the next packets meet UVS's expire_nodest_conn").isZero();
        assertThat(map.read(key(IpProto.UDP, CLIENT, 5001, VIP, 53))).isFalse();
    }

    @Test
    void shouldCountAFullMapAndLeaveTheFlowWithUvs() {
        start(1);
        pass(udp4(CLIENT, 5002, VIP, 53));
        pass(udp4(RS_NAT, 53, CLIENT, 5002));
        assertThat(worker.counters().fastPathInstalls).isEqualTo(1);
        assertThat(worker.counters().fastPathFull).isEqualTo(1);
        pass(udp4(RS_NAT, 53, CLIENT, 5002));
        assertThat(worker.counters().replies).as("UVS still forwards the replies").isEqualTo(2);
    }

    /** Injects {@code frame}, runs one pass and expects it forwarded. */
    private void pass(byte[] frame) {
        long before = worker.counters().forwarded + worker.counters().replies;
        io.inject(frame);
        worker.doWork();
        assertThat(io.takeSent()).hasSize(1);
        assertThat(worker.counters().forwarded + worker.counters().replies).isEqualTo(before + 1);
    }

    private int connection() {
        return engine.conns4().lookupIn(IpProto.TCP, 0, CLIENT & 0xffff_ffffL, 40000, 0, VIP & 0xffff_ffffL, 80);
    }

    private static FastPathKey key(int protocol, int src, int sport, int dst, int dport) {
        return new FastPathKey().set(Af.INET, protocol, 0, src & 0xffff_ffffL, sport, 0, dst & 0xffff_ffffL, dport);
    }

    private static byte[] udp4(int src, int sport, int dst, int dport) {
        return ethernet(0x0800, ipv4(IpProto.UDP, src, dst, 64, 0, 0, new byte[0],
            udp(pseudo4(src, dst, IpProto.UDP, 0), sport, dport, new byte[32], false)));
    }

    /** 10.100.1.0/24 on link, the rest via the router. */
    private static final class OnLink implements NextHops {
        @Override
        public boolean lookup(int af, long hi, long lo, Hop out) {
            out.set(af, 0, (lo & 0xffff_ff00L) == 0x0A640100L ? lo : ROUTER & 0xffff_ffffL);
            return af == Af.INET;
        }

        @Override
        public void gateways(AddressVisitor visitor) {
            visitor.visit(0, Af.INET, 0, ROUTER & 0xffff_ffffL);
        }
    }
}
