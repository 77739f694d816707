package uvs.net.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static uvs.net.packet.TestFrames.MAC_B;
import static uvs.net.packet.TestFrames.cat;
import static uvs.net.packet.TestFrames.ethernet;
import static uvs.net.packet.TestFrames.ipv4;
import static uvs.net.packet.TestFrames.naiveChecksum;
import static uvs.net.packet.TestFrames.pseudo4;
import static uvs.net.packet.TestFrames.put16;
import static uvs.net.packet.TestFrames.tcp;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import uvs.core.Engine;
import uvs.core.EngineConfig;
import uvs.core.SyncUpdate;
import uvs.core.conn.ConnFlags;
import uvs.core.net.Af;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.proto.TcpState;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceKey;
import uvs.net.io.InMemoryPacketIo;
import uvs.net.io.ShardSteering;
import uvs.time.ManualClock;

/**
 * Two workers of one interface, each with its engine shard: frames the kernel would steer to the wrong worker
 * and sync entries reach the shard that owns the client through its inbox.
 */
class ShardedWorkersTest {
    private static final int VIP = 0x0A640264;     // 10.100.2.100
    private static final int DIRECTOR = 0x0A640102; // 10.100.1.2
    private static final int ROUTER = 0x0A640101;  // 10.100.1.1
    private static final int RS_NAT = 0x0A64010C;  // 10.100.1.12
    private static final long MAC_ROUTER = 0x02_00_00_00_01_01L;
    private static final long MAC_RS = 0x02_00_00_00_01_12L;
    private static final long MAC_CLIENT = 0x02_00_00_00_01_64L;

    private final ManualClock clock = new ManualClock(1_000_000_000L);
    private final InMemoryPacketIo[] io = {new InMemoryPacketIo(), new InMemoryPacketIo()};
    private final Engine[] engines = new Engine[2];
    private final DataPlaneWorker[] workers = new DataPlaneWorker[2];
    private ShardSteering steering;

    @BeforeEach
    void setUp() {
        steering = new ShardSteering(List.of(IpAddress.v4(RS_NAT)), -1, 2);
        List<ShardInbox> inboxes = List.of(new ShardInbox(1 << 16), new ShardInbox(1 << 16));
        NeighbourTable neighbours = new NeighbourTable(64);
        Link link = new Link("eth0", MAC_B, 1500, List.of(IpAddress.v4(DIRECTOR)));
        for (int i = 0; i < 2; i++) {
            engines[i] = new Engine(clock, EngineConfig.defaults());
            ServiceKey nat = ServiceKey.of(IpProto.TCP, IpAddress.v4(VIP), 8080);
            engines[i].addService(nat, ServiceConfig.of("rr"));
            engines[i].addDest(nat, IpAddress.v4(RS_NAT), 80, RealServerConfig.of(1, ForwardMethod.MASQ));
            workers[i] = new DataPlaneWorker(engines[i], io[i], link, new OnLink(), clock, 16,
                new Shard(i, inboxes, neighbours, steering));
        }
    }

    @AfterEach
    void tearDown() {
        for (int i = 0; i < 2; i++) {
            workers[i].close();
            io[i].close();
        }
    }

    @Test
    void shouldLetWorkerZeroKeepNeighboursEvenWhenTheAdvertisementReachesAnother() {
        workers[0].doWork();
        assertThat(io[0].takeSent()).as("worker 0 asks for the real server and the router").hasSize(2);
        workers[1].doWork();
        assertThat(io[1].takeSent()).as("other workers never ask").isEmpty();

        io[1].inject(arpReply(MAC_RS, RS_NAT));
        workers[1].doWork();
        assertThat(workers[0].neighbours().mac(Af.INET, 0, RS_NAT)).as("not learned by worker 1").isEqualTo(-1);
        workers[0].doWork();
        assertThat(workers[1].neighbours().mac(Af.INET, 0, RS_NAT)).as("worker 0 learned it for both")
            .isEqualTo(MAC_RS);
    }

    @Test
    void shouldRelayAnIcmpErrorThroughTheWorkerOwningTheClient() {
        int client = clientOn(1);
        learn();
        io[1].inject(syn(client, 40001));
        workers[1].doWork();
        assertThat(io[1].takeSent()).as("SYN forwarded by its owner").hasSize(1);

        // a router near the client says the VIP's reply could not be delivered; the kernel steers it by the
        // router's address, here to worker 0
        io[0].inject(unreachable(ROUTER, VIP, 8080, client, 40001));
        workers[0].doWork();
        assertThat(io[0].takeSent()).isEmpty();
        workers[1].doWork();
        List<byte[]> sent = io[1].takeSent();
        assertThat(sent).hasSize(1);
        byte[] f = sent.get(0);
        assertThat(u32(f, 30)).as("translated toward the real server").isEqualTo(RS_NAT);
        assertThat(u32(f, 14 + 20 + 8 + 12)).as("quoted source is now the real server").isEqualTo(RS_NAT);
        assertThat(workers[1].counters().icmpRelayed).isEqualTo(1);
    }

    @Test
    void shouldHandPacketsOfAnotherShardsClientToItWhenPortsCannotSteer() {
        // AF_XDP sockets get their receive queue's frames, whatever the client
        workers[0].handOffByClient(true);
        workers[1].handOffByClient(true);
        int client = clientOn(1);
        learn();
        io[0].inject(syn(client, 40002));
        workers[0].doWork();
        assertThat(io[0].takeSent()).as("not forwarded by the worker that received it").isEmpty();
        assertThat(workers[0].counters().packets).isZero();
        workers[1].doWork();
        List<byte[]> sent = io[1].takeSent();
        assertThat(sent).as("forwarded by the client's worker").hasSize(1);
        assertThat(u32(sent.get(0), 30)).as("to the real server").isEqualTo(RS_NAT);
        assertThat(engines[1].conns4().size()).isEqualTo(1);
        assertThat(engines[0].conns4().size()).isZero();

        // the real server's reply reaches worker 0 too: its connection is on shard 1
        io[0].inject(synAck(client, 40002));
        workers[0].doWork();
        assertThat(io[0].takeSent()).isEmpty();
        workers[1].doWork();
        sent = io[1].takeSent();
        assertThat(sent).hasSize(1);
        assertThat(u32(sent.get(0), 26)).as("reply source translated back to the VIP").isEqualTo(VIP);
        assertThat(workers[1].counters().replies).isEqualTo(1);
    }

    @Test
    void shouldHaveWorkerZeroAskForANextHopOnlyAnotherWorkerNeeds() {
        // a client on the link: the NAT reply's next hop is the client itself, which neither the real servers
        // nor the gateways worker 0 asks for on its own cover
        int client = onLinkClientOn(1);
        learn();
        io[1].inject(syn(client, 40003));
        workers[1].doWork();
        assertThat(io[1].takeSent()).as("SYN forwarded by its owner").hasSize(1);
        io[1].inject(synAck(client, 40003));
        workers[1].doWork();
        assertThat(io[1].takeSent()).as("the reply waits for the client's MAC").isEmpty();
        assertThat(workers[1].pendingFrames()).isEqualTo(1);

        workers[0].doWork();
        List<byte[]> asked = io[0].takeSent();
        assertThat(asked).as("worker 0 asks for the client on worker 1's behalf").hasSize(1);
        assertThat(asked.get(0)[12]).isEqualTo((byte) 0x08);
        assertThat(asked.get(0)[13]).as("an ARP request").isEqualTo((byte) 0x06);
        assertThat(u32(asked.get(0), 14 + 24)).as("for the client").isEqualTo(client);
        assertThat(workers[1].counters().neighbourPassed).as("passed by worker 1").isEqualTo(1);

        io[1].inject(synAck(client, 40003)); // retransmitted before the answer: passed on at most once a second
        workers[1].doWork();
        workers[0].doWork();
        assertThat(io[0].takeSent()).isEmpty();
        assertThat(workers[1].counters().neighbourPassed).isEqualTo(1);

        io[0].inject(arpReply(MAC_CLIENT, client));
        workers[0].doWork();
        workers[1].doWork();
        List<byte[]> sent = io[1].takeSent();
        assertThat(sent).as("both replies leave once the client answered").hasSize(2);
        for (byte[] f : sent) {
            assertThat(Arrays.copyOfRange(f, 0, 6)).isEqualTo(new byte[] {2, 0, 0, 0, 1, 0x64});
            assertThat(u32(f, 26)).as("from the VIP").isEqualTo(VIP);
        }
        assertThat(workers[1].counters().neighbourFailures).isZero();
    }

    @Test
    void shouldApplyASyncEntryInTheShardOwningItsClient() {
        int client = clientOn(1);
        SyncUpdate u = new SyncUpdate();
        u.af = Af.INET;
        u.protocol = IpProto.TCP;
        u.flags = ConnFlags.MASQ;
        u.state = TcpState.ESTABLISHED;
        u.caddrLo = client & 0xffff_ffffL;
        u.cport = 40002;
        u.vaddrLo = VIP & 0xffff_ffffL;
        u.vport = 8080;
        u.daddrLo = RS_NAT & 0xffff_ffffL;
        u.dport = 80;
        u.timeoutSeconds = 900;
        u.expiresInMillis = 123_456;
        int owner = new Shard(0, List.of(new ShardInbox(1024), new ShardInbox(1024)), new NeighbourTable(4),
            steering).ownerOf(u);
        assertThat(owner).isEqualTo(1);
        ShardInbox inbox = new ShardInbox(1 << 12);
        assertThat(inbox.offerSync(u)).isTrue();
        SyncUpdate back = new SyncUpdate();
        inbox.drain((type, buffer, index, length) -> ShardInbox.readSync(buffer, index, back), 10);
        assertThat(back).usingRecursiveComparison().isEqualTo(u);
    }

    /** A client address behind the router that the steering gives to {@code worker}. */
    private int clientOn(int worker) {
        return clientFrom(0x0A640064, worker); // 10.100.0.100
    }

    /** A client address on the director's link that the steering gives to {@code worker}. */
    private int onLinkClientOn(int worker) {
        return clientFrom(0x0A640164, worker); // 10.100.1.100
    }

    private int clientFrom(int first, int worker) {
        for (int c = first; ; c++) {
            if (steering.shardOfClient(Af.INET, 0, c & 0xffff_ffffL) == worker) {
                return c;
            }
        }
    }

    private void learn() {
        workers[0].doWork();
        io[0].takeSent();
        io[0].inject(arpReply(MAC_RS, RS_NAT));
        io[0].inject(arpReply(MAC_ROUTER, ROUTER));
        workers[0].doWork();
        io[0].takeSent();
        workers[1].doWork();
        io[1].takeSent();
    }

    private static byte[] syn(int client, int port) {
        return ethernet(0x0800, ipv4(IpProto.TCP, client, VIP, 64, 0, 0, new byte[0],
            tcp(pseudo4(client, VIP, IpProto.TCP, 0), port, 8080, 0x02, new byte[0])));
    }

    /** ICMP host unreachable from {@code from} to the VIP, quoting a packet VIP:vport → client:cport. */
    private static byte[] synAck(int client, int port) {
        return ethernet(0x0800, ipv4(IpProto.TCP, RS_NAT, client, 64, 0, 0, new byte[0],
            tcp(pseudo4(RS_NAT, client, IpProto.TCP, 0), 80, port, 0x12, new byte[0])));
    }

    private static byte[] unreachable(int from, int vip, int vport, int client, int cport) {
        byte[] quoted = ipv4(IpProto.TCP, vip, client, 63, 0, 0, new byte[0],
            Arrays.copyOf(tcp(pseudo4(vip, client, IpProto.TCP, 0), vport, cport, 0x12, new byte[0]), 8));
        byte[] icmp = cat(new byte[] {3, 1, 0, 0, 0, 0, 0, 0}, quoted);
        put16(icmp, 2, naiveChecksum(icmp));
        return ethernet(0x0800, ipv4(IpProto.ICMP, from, vip, 64, 0, 0, new byte[0], icmp));
    }

    private static byte[] arpReply(long mac, int ip) {
        byte[] a = new byte[28];
        a[1] = 1;
        a[2] = 0x08;
        a[4] = 6;
        a[5] = 4;
        a[7] = 2;
        for (int i = 0; i < 6; i++) {
            a[8 + i] = (byte) (mac >>> (40 - 8 * i));
            a[18 + i] = (byte) (MAC_B >>> (40 - 8 * i));
        }
        a[14] = (byte) (ip >>> 24);
        a[15] = (byte) (ip >>> 16);
        a[16] = (byte) (ip >>> 8);
        a[17] = (byte) ip;
        a[24] = 10;
        a[25] = 100;
        a[26] = 1;
        a[27] = 2;
        return ethernet(0x0806, a);
    }

    private static int u32(byte[] b, int off) {
        return (b[off] & 0xff) << 24 | (b[off + 1] & 0xff) << 16 | (b[off + 2] & 0xff) << 8 | (b[off + 3] & 0xff);
    }

    /** Everything on-link (the test LAN has no gateway in the way). */
    private static final class OnLink implements NextHops {
        @Override
        public boolean lookup(int af, long hi, long lo, Hop out) {
            out.set(af, hi, (lo & 0xffff_ff00L) == 0x0A640100L ? lo : ROUTER & 0xffff_ffffL);
            return true;
        }

        @Override
        public void gateways(AddressVisitor visitor) {
            visitor.visit(0, Af.INET, 0, ROUTER & 0xffff_ffffL);
        }
    }
}
