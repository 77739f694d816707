package uvs.net.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static uvs.net.dataplane.DataPlaneWorkerTest.arp;
import static uvs.net.dataplane.DataPlaneWorkerTest.assertTcpChecksumVerifies;
import static uvs.net.dataplane.DataPlaneWorkerTest.mac;
import static uvs.net.dataplane.DataPlaneWorkerTest.syn;
import static uvs.net.dataplane.DataPlaneWorkerTest.u16;
import static uvs.net.dataplane.DataPlaneWorkerTest.u32;
import static uvs.net.packet.TestFrames.ethernet;
import static uvs.net.packet.TestFrames.ipv4;
import static uvs.net.packet.TestFrames.pseudo4;
import static uvs.net.packet.TestFrames.tcp;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import uvs.core.Engine;
import uvs.core.EngineConfig;
import uvs.core.net.Af;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceKey;
import uvs.net.io.InMemoryPacketIo;
import uvs.net.sys.RouteTable;
import uvs.time.ManualClock;

/**
 * A two-armed director: clients on eth0 (10.0.0.0/24), real servers on eth1 (10.100.1.0/24), routed by the
 * kernel's table. Each packet must leave by the interface its next hop is on, with that interface's MAC, and
 * each interface keeps its own neighbours.
 */
class TwoArmedWorkerTest {
    private static final int VIP = 0x0A000064;         // 10.0.0.100
    private static final int CLIENT = 0x0A000005;      // 10.0.0.5
    private static final int CLIENT_SIDE = 0x0A000002; // 10.0.0.2 (eth0)
    private static final int SERVER_SIDE = 0x0A640102; // 10.100.1.2 (eth1)
    private static final int RS_NAT = 0x0A64010C;      // 10.100.1.12
    private static final int RS_DR = 0x0A64010B;       // 10.100.1.11
    private static final long MAC_ETH0 = 0x02_00_00_00_00_c0L;
    private static final long MAC_ETH1 = 0x02_00_00_00_00_c1L;
    private static final long MAC_CLIENT = 0x02_00_00_00_00_05L;
    private static final long MAC_RS_NAT = 0x02_00_00_00_01_12L;
    private static final long MAC_RS_DR = 0x02_00_00_00_01_11L;
    /** /proc/net/route: 10.0.0.0/24 on eth0, 10.100.1.0/24 on eth1. */
    private static final String ROUTES = """
        Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\tMTU\tWindow\tIRTT
        eth0\t0000000A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
        eth1\t0001640A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
        """;

    private final ManualClock clock = new ManualClock(1_000_000_000L);
    private final InMemoryPacketIo clients = new InMemoryPacketIo();
    private final InMemoryPacketIo servers = new InMemoryPacketIo();
    private DataPlaneWorker worker;

    @BeforeEach
    void setUp() {
        Engine engine = new Engine(clock, EngineConfig.defaults());
        ServiceKey nat = ServiceKey.of(IpProto.TCP, IpAddress.v4(VIP), 8080);
        engine.addService(nat, ServiceConfig.of("rr"));
        engine.addDest(nat, IpAddress.v4(RS_NAT), 80, RealServerConfig.of(1, ForwardMethod.MASQ));
        ServiceKey dr = ServiceKey.of(IpProto.TCP, IpAddress.v4(VIP), 80);
        engine.addService(dr, ServiceConfig.of("rr"));
        engine.addDest(dr, IpAddress.v4(RS_DR), 80, RealServerConfig.of(1, ForwardMethod.ROUTE));
        RouteTable table = RouteTable.parse(ROUTES, "");
        NextHops routes = new KernelNextHops(List.of("eth0", "eth1"), table);
        Shard shard = new Shard(0, List.of(new ShardInbox(1 << 16)),
            List.of(new NeighbourTable(64), new NeighbourTable(64)), null);
        worker = new DataPlaneWorker(engine, List.of(clients, servers),
            List.of(new Link("eth0", MAC_ETH0, 1500, List.of(IpAddress.v4(CLIENT_SIDE))),
                new Link("eth1", MAC_ETH1, 1500, List.of(IpAddress.v4(SERVER_SIDE)))),
            routes, clock, 16, shard, PendingFrames.DEFAULT_QUEUE_LENGTH);
    }

    @AfterEach
    void tearDown() {
        worker.close();
    }

    @Test
    void shouldAskForRealServersOnTheServerSideOnly() {
        worker.doWork();
        assertThat(clients.takeSent()).isEmpty();
        List<byte[]> asked = servers.takeSent();
        assertThat(asked).extracting(f -> u32(f, 38)).containsExactlyInAnyOrder(RS_NAT, RS_DR);
        assertThat(asked).extracting(f -> mac(f, 6)).containsOnly(MAC_ETH1);
        assertThat(asked).extracting(f -> u32(f, 28)).as("ARP sender: eth1's address").containsOnly(SERVER_SIDE);
    }

    @Test
    void shouldSendNatRequestsToTheServerSideAndRepliesBackToTheClientSide() {
        learn();
        clients.inject(syn(CLIENT, 40001, VIP, 8080, 64));
        worker.doWork();
        assertThat(clients.takeSent()).isEmpty();
        byte[] in = servers.takeSent().get(0);
        assertThat(mac(in, 0)).isEqualTo(MAC_RS_NAT);
        assertThat(mac(in, 6)).isEqualTo(MAC_ETH1);
        assertThat(u32(in, 14 + 16)).isEqualTo(RS_NAT);
        assertTcpChecksumVerifies(in);

        servers.inject(ethernet(0x0800, ipv4(IpProto.TCP, RS_NAT, CLIENT, 64, 0, 0, new byte[0],
            tcp(pseudo4(RS_NAT, CLIENT, IpProto.TCP, 0), 80, 40001, 0x12, new byte[0]))));
        worker.doWork();
        assertThat(servers.takeSent()).isEmpty();
        byte[] out = clients.takeSent().get(0);
        assertThat(mac(out, 0)).isEqualTo(MAC_CLIENT);
        assertThat(mac(out, 6)).isEqualTo(MAC_ETH0);
        assertThat(u32(out, 14 + 12)).isEqualTo(VIP);
        assertThat(u16(out, 34)).isEqualTo(8080);
        assertTcpChecksumVerifies(out);
    }

    @Test
    void shouldForwardDirectRoutingToTheServerSide() {
        learn();
        clients.inject(syn(CLIENT, 40002, VIP, 80, 64));
        worker.doWork();
        byte[] f = servers.takeSent().get(0);
        assertThat(mac(f, 0)).isEqualTo(MAC_RS_DR);
        assertThat(mac(f, 6)).isEqualTo(MAC_ETH1);
        assertThat(u32(f, 14 + 16)).isEqualTo(VIP);
    }

    @Test
    void shouldKeepEachInterfacesNeighboursApart() {
        learn();
        assertThat(worker.neighbours(0).mac(Af.INET, 0, CLIENT)).isEqualTo(MAC_CLIENT);
        assertThat(worker.neighbours(1).mac(Af.INET, 0, CLIENT)).isEqualTo(NeighbourTable.NONE);
        assertThat(worker.neighbours(1).mac(Af.INET, 0, RS_NAT)).isEqualTo(MAC_RS_NAT);
        assertThat(worker.neighbours(0).mac(Af.INET, 0, RS_NAT)).isEqualTo(NeighbourTable.NONE);
    }

    @Test
    void shouldHoldTheFirstSynForAnUnresolvedRealServerAndSendItOnTheServerSide() {
        worker.doWork();
        servers.takeSent();
        clients.inject(arp(1, MAC_CLIENT, CLIENT, 0, CLIENT_SIDE));
        clients.inject(syn(CLIENT, 40003, VIP, 8080, 64));
        worker.doWork();
        assertThat(servers.takeSent()).isEmpty();
        servers.inject(arp(2, MAC_RS_NAT, RS_NAT, MAC_ETH1, SERVER_SIDE));
        worker.doWork();
        List<byte[]> sent = servers.takeSent();
        assertThat(sent).hasSize(1);
        assertThat(mac(sent.get(0), 0)).isEqualTo(MAC_RS_NAT);
        assertThat(u16(sent.get(0), 34 + 2)).isEqualTo(80);
    }

    private void learn() {
        worker.doWork();
        clients.takeSent();
        servers.takeSent();
        clients.inject(arp(1, MAC_CLIENT, CLIENT, 0, CLIENT_SIDE));
        servers.inject(arp(2, MAC_RS_NAT, RS_NAT, MAC_ETH1, SERVER_SIDE));
        servers.inject(arp(2, MAC_RS_DR, RS_DR, MAC_ETH1, SERVER_SIDE));
        worker.doWork();
        clients.takeSent();
        servers.takeSent();
    }
}
