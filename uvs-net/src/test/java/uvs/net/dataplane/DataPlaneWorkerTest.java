package uvs.net.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static uvs.net.packet.TestFrames.MAC_B;
import static uvs.net.packet.TestFrames.ethernet;
import static uvs.net.packet.TestFrames.ipv4;
import static uvs.net.packet.TestFrames.naiveChecksum;
import static uvs.net.packet.TestFrames.pseudo4;
import static uvs.net.packet.TestFrames.tcp;
import static uvs.net.packet.TestFrames.udp;

import java.util.Arrays;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import uvs.core.Engine;
import uvs.core.EngineConfig;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceKey;
import uvs.net.forward.NeighborDiscovery;
import uvs.net.io.InMemoryPacketIo;
import uvs.net.io.RxFrames;
import uvs.net.packet.TestFrames;
import uvs.time.ManualClock;

/**
 * The worker end to end over an in-memory port: frames in, the engine's decision, frames out. The director
 * is 10.100.1.2/24 (MAC_B) on a LAN with the router 10.100.1.1 and real servers .11 (DR) and .12 (NAT);
 * clients are behind the router.
 */
class DataPlaneWorkerTest {
    private static final int VIP = 0x0A640264;        // 10.100.2.100
    private static final int CLIENT = 0x0A640002;     // 10.100.0.2
    private static final int DIRECTOR = 0x0A640102;   // 10.100.1.2
    private static final int ROUTER = 0x0A640101;     // 10.100.1.1
    private static final int RS_DR = 0x0A64010B;      // 10.100.1.11
    private static final int RS_NAT = 0x0A64010C;     // 10.100.1.12
    private static final int GATEWAY = 0x0A6401FE;    // 10.100.1.254
    private static final long MAC_ROUTER = 0x02_00_00_00_01_01L;
    private static final long MAC_RS_DR = 0x02_00_00_00_01_11L;
    private static final long MAC_RS_NAT = 0x02_00_00_00_01_12L;

    private final ManualClock clock = new ManualClock(1_000_000_000L);
    private final InMemoryPacketIo io = new InMemoryPacketIo();
    private Engine engine;
    private DataPlaneWorker worker;

    @BeforeEach
    void setUp() {
        engine = new Engine(clock, EngineConfig.defaults());
        ServiceKey dr = ServiceKey.of(IpProto.TCP, IpAddress.v4(VIP), 80);
        engine.addService(dr, ServiceConfig.of("rr"));
        engine.addDest(dr, IpAddress.v4(RS_DR), 80, RealServerConfig.of(1, ForwardMethod.ROUTE));
        ServiceKey nat = ServiceKey.of(IpProto.TCP, IpAddress.v4(VIP), 8080);
        engine.addService(nat, ServiceConfig.of("rr"));
        engine.addDest(nat, IpAddress.v4(RS_NAT), 80, RealServerConfig.of(1, ForwardMethod.MASQ));
        engine.addService(ServiceKey.of(IpProto.UDP, IpAddress.v4(VIP), 53), ServiceConfig.of("rr"));
        Link link = new Link("eth0", MAC_B, 1500, List.of(IpAddress.v4(DIRECTOR)));
        worker = new DataPlaneWorker(engine, io, link, new LanRoutes(), clock, 16, Shard.single(64));
    }

    @AfterEach
    void tearDown() {
        worker.close();
        io.close();
    }

    @Test
    void shouldAskForTheMacsOfRealServersAndTheRouterAtStart() {
        worker.doWork();
        List<byte[]> sent = io.takeSent();
        // one ARP request per next hop: .11, .12 (real servers) and .1 (gateway)
        assertThat(sent).extracting(DataPlaneWorkerTest::arpTarget).containsExactlyInAnyOrder(RS_DR, RS_NAT, ROUTER);
        assertThat(sent.get(0)).startsWith(0xff, 0xff, 0xff, 0xff, 0xff, 0xff);
    }

    @Test
    void shouldKeepAPacketWhoseNextHopIsUnknownAndSendItWhenTheAnswerComes() {
        worker.doWork();
        io.takeSent();
        byte[] syn = syn(CLIENT, 40000, VIP, 80, 64);
        io.inject(syn);
        worker.doWork();
        assertThat(io.takeSent()).as("request already sent this second; the SYN waits").isEmpty();
        assertThat(worker.counters().neighbourMisses).isEqualTo(1);
        assertThat(worker.pendingFrames()).isEqualTo(1);

        io.inject(arp(2, MAC_RS_DR, RS_DR, MAC_B, DIRECTOR));
        worker.doWork();
        List<byte[]> sent = io.takeSent();
        assertThat(sent).hasSize(1);
        byte[] f = sent.get(0);
        assertThat(mac(f, 0)).isEqualTo(MAC_RS_DR);
        assertThat(mac(f, 6)).isEqualTo(MAC_B);
        assertThat(u32(f, 14 + 16)).as("DR keeps the VIP as destination").isEqualTo(VIP);
        assertThat(f[14 + 8] & 0xff).as("TTL").isEqualTo(63);
        assertThat(naiveChecksum(slice(f, 14, 20))).as("IPv4 header checksum verifies").isZero();
        assertThat(slice(f, 34, f.length - 34)).isEqualTo(slice(syn, 34, syn.length - 34));
        assertThat(worker.counters().forwarded).isEqualTo(1);
        assertThat(worker.pendingFrames()).isZero();
        assertThat(worker.counters().neighbourQueueDrops).isZero();
    }

    @Test
    void shouldKeepTheNewestThreePacketsPerUnresolvedNeighbourLikeTheKernel() {
        worker.doWork();
        io.takeSent();
        for (int port = 41000; port < 41005; port++) {
            io.inject(syn(CLIENT, port, VIP, 80, 64));
        }
        worker.doWork();
        assertThat(worker.pendingFrames()).isEqualTo(3);
        assertThat(worker.counters().neighbourQueueDrops).isEqualTo(2);

        io.inject(arp(2, MAC_RS_DR, RS_DR, MAC_B, DIRECTOR));
        worker.doWork();
        assertThat(io.takeSent()).extracting(f -> u16(f, 34)).as("the oldest were dropped; order kept")
            .containsExactly(41002, 41003, 41004);
    }

    @Test
    void shouldAnswerWithHostUnreachableWhenTheNextHopNeverAnswers() {
        learnRouter();
        io.inject(syn(CLIENT, 40000, VIP, 80, 64));
        worker.doWork();
        io.takeSent();
        for (int s = 0; s < 3; s++) {
            clock.advanceNanos(1_000_000_000L);
            worker.doWork();
        }
        List<byte[]> sent = io.takeSent();
        byte[] icmp = sent.stream().filter(f -> u16(f, 12) == 0x0800 && (f[14 + 9] & 0xff) == IpProto.ICMP)
            .findFirst().orElseThrow();
        assertThat(mac(icmp, 0)).as("to the client, behind the router").isEqualTo(MAC_ROUTER);
        assertThat(u32(icmp, 14 + 12)).as("from the director").isEqualTo(DIRECTOR);
        assertThat(u32(icmp, 14 + 16)).isEqualTo(CLIENT);
        assertThat(icmp[34] & 0xff).as("destination unreachable").isEqualTo(3);
        assertThat(icmp[35] & 0xff).as("host unreachable").isEqualTo(1);
        assertThat(worker.counters().neighbourFailures).isEqualTo(1);
        assertThat(worker.pendingFrames()).isZero();
    }

    @Test
    void shouldTranslateBothDirectionsOfANatConnection() {
        learnAll();
        io.inject(syn(CLIENT, 40001, VIP, 8080, 64));
        worker.doWork();
        byte[] in = io.takeSent().get(0);
        assertThat(mac(in, 0)).isEqualTo(MAC_RS_NAT);
        assertThat(u32(in, 14 + 16)).isEqualTo(RS_NAT);
        assertThat(u16(in, 34 + 2)).as("destination port := real server port").isEqualTo(80);
        assertTcpChecksumVerifies(in);

        byte[] reply = ethernet(0x0800, ipv4(IpProto.TCP, RS_NAT, CLIENT, 64, 0, 0, new byte[0],
            tcp(pseudo4(RS_NAT, CLIENT, IpProto.TCP, 0), 80, 40001, 0x12, new byte[0])));
        io.inject(reply);
        worker.doWork();
        byte[] out = io.takeSent().get(0);
        assertThat(mac(out, 0)).as("clients are behind the router").isEqualTo(MAC_ROUTER);
        assertThat(u32(out, 14 + 12)).isEqualTo(VIP);
        assertThat(u16(out, 34)).isEqualTo(8080);
        assertTcpChecksumVerifies(out);
        assertThat(worker.counters().replies).isEqualTo(1);
    }

    @Test
    void shouldCompleteAChecksumLeftToOffloadBeforeTranslating() {
        learnAll();
        byte[] syn = syn(CLIENT, 40005, VIP, 8080, 64);
        // what a local sender with checksum offload hands over: only the pseudo-header sum, not inverted
        // (RFC 1071 sum of the 12-byte pseudo-header with TCP length 20, folded)
        int pseudo = 0xffff - naiveChecksum(pseudo4(CLIENT, VIP, IpProto.TCP, 20));
        syn[34 + 16] = (byte) (pseudo >>> 8);
        syn[34 + 17] = (byte) pseudo;
        io.inject(syn, RxFrames.HOST, true);
        worker.doWork();
        byte[] out = io.takeSent().get(0);
        assertThat(u32(out, 14 + 16)).isEqualTo(RS_NAT);
        assertTcpChecksumVerifies(out);
    }

    @Test
    void shouldAnswerArpForAnnouncedAddressesOnlyAndAnnounceThemGratuitously() {
        worker.announced().add(IpAddress.v4(GATEWAY));
        worker.doWork();
        List<byte[]> first = io.takeSent();
        assertThat(first).anySatisfy(f -> {
            assertThat(arpTarget(f)).isEqualTo(GATEWAY);
            assertThat(u32(f, 28)).as("gratuitous: sender = target").isEqualTo(GATEWAY);
        });
        io.inject(arp(1, MAC_RS_NAT, RS_NAT, 0, GATEWAY), RxFrames.BROADCAST);
        io.inject(arp(1, MAC_RS_NAT, RS_NAT, 0, 0x0A640163), RxFrames.BROADCAST); // not ours: no answer
        worker.doWork();
        List<byte[]> sent = io.takeSent();
        assertThat(sent).hasSize(1);
        byte[] r = sent.get(0);
        assertThat(mac(r, 0)).isEqualTo(MAC_RS_NAT);
        assertThat(u16(r, 20)).as("ARP reply").isEqualTo(2);
        assertThat(mac(r, 22)).isEqualTo(MAC_B);
        assertThat(u32(r, 28)).isEqualTo(GATEWAY);
        assertThat(u32(r, 38)).isEqualTo(RS_NAT);
    }

    @Test
    void shouldSendTimeExceededInsteadOfForwardingATtlOfOne() {
        learnAll();
        io.inject(syn(CLIENT, 40002, VIP, 80, 1));
        worker.doWork();
        byte[] icmp = io.takeSent().get(0);
        assertThat(mac(icmp, 0)).isEqualTo(MAC_ROUTER);
        assertThat(icmp[14 + 9]).as("ICMP").isEqualTo((byte) 1);
        assertThat(u32(icmp, 14 + 12)).isEqualTo(DIRECTOR);
        assertThat(u32(icmp, 14 + 16)).isEqualTo(CLIENT);
        assertThat(icmp[34] & 0xff).as("time exceeded").isEqualTo(11);
        assertThat(worker.counters().ttlExpired).isEqualTo(1);
        assertThat(worker.counters().forwarded).isZero();
    }

    @Test
    void shouldAnswerFragmentationNeededForADontFragmentPacketOverTheMtu() {
        learnAll();
        // 20 + 20 + 1480 = 1520 bytes of IP packet on a 1500-byte link, DF set (flags/fragment field 0x4000)
        byte[] big = ethernet(0x0800, ipv4(IpProto.TCP, CLIENT, VIP, 64, 0, 0x4000, new byte[0],
            tcp(pseudo4(CLIENT, VIP, IpProto.TCP, 0), 40006, 80, 0x02, new byte[1480])));
        io.inject(big);
        worker.doWork();
        List<byte[]> sent = io.takeSent();
        assertThat(sent).hasSize(1);
        byte[] icmp = sent.get(0);
        assertThat(u32(icmp, 14 + 16)).isEqualTo(CLIENT);
        assertThat(icmp[34] & 0xff).as("destination unreachable").isEqualTo(3);
        assertThat(icmp[35] & 0xff).as("fragmentation needed").isEqualTo(4);
        assertThat(u16(icmp, 34 + 6)).as("next-hop MTU").isEqualTo(1500);
        assertThat(worker.counters().tooBig).isEqualTo(1);
        assertThat(worker.counters().forwarded).isZero();
    }

    @Test
    void shouldAnswerPortUnreachableFromTheVipWhenNoRealServerIsAvailable() {
        learnAll();
        io.inject(ethernet(0x0800, ipv4(IpProto.UDP, CLIENT, VIP, 64, 0, 0, new byte[0],
            udp(pseudo4(CLIENT, VIP, IpProto.UDP, 0), 5353, 53, new byte[] {1, 2, 3, 4}, false))));
        worker.doWork();
        byte[] icmp = io.takeSent().get(0);
        assertThat(u32(icmp, 14 + 12)).as("from the address the client talked to").isEqualTo(VIP);
        assertThat(icmp[34] & 0xff).isEqualTo(3);
        assertThat(icmp[35] & 0xff).as("port unreachable").isEqualTo(3);
    }

    @Test
    void shouldIgnoreOwnAndForeignFramesAndCountGarbage() {
        learnAll();
        io.inject(syn(CLIENT, 40003, VIP, 80, 64), RxFrames.OUTGOING);
        io.inject(syn(CLIENT, 40004, VIP, 80, 64), RxFrames.OTHERHOST);
        io.inject(new byte[] {1, 2, 3});
        worker.doWork();
        assertThat(io.takeSent()).isEmpty();
        assertThat(worker.counters().packets).isZero();
        assertThat(worker.counters().malformed).isEqualTo(1);
    }

    @Test
    void shouldLearnIpv6NeighboursFromAdvertisementsAndAnswerSolicitationsForAnnouncedAddresses() {
        long lan = 0xfd00_0100_0001_0000L;  // fd00:100:1::/64
        long vip6 = 0xfd00_0100_0002_0000L; // fd00:100:2::100
        ServiceKey svc = ServiceKey.of(IpProto.TCP, IpAddress.v6(vip6, 0x100), 80);
        engine.addService(svc, ServiceConfig.of("rr").withNetmask(128));
        engine.addDest(svc, IpAddress.v6(lan, 0x11), 80, RealServerConfig.of(1, ForwardMethod.ROUTE));
        worker.announced().add(IpAddress.v6(lan, 0xfe));
        worker.doWork();
        List<byte[]> first = io.takeSent();
        // a solicitation for the real server (to its solicited-node group 33:33:ff:00:00:11) and an unsolicited NA
        assertThat(first).anySatisfy(f -> assertThat(mac(f, 0)).isEqualTo(0x3333_ff00_0011L));
        assertThat(first).anySatisfy(f -> assertThat(mac(f, 0)).isEqualTo(0x3333_0000_0001L));

        UnsafeBuffer b = new UnsafeBuffer(new byte[128]);
        int len = NeighborDiscovery.advertise(b, MAC_RS_DR, lan, 0x11, MAC_B, lan, 0x2, true, true);
        io.inject(Arrays.copyOf(b.byteArray(), len));
        len = NeighborDiscovery.solicit(b, MAC_RS_NAT, lan, 0x12, lan, 0xfe);
        io.inject(Arrays.copyOf(b.byteArray(), len), RxFrames.MULTICAST);
        byte[] client6 = TestFrames.v6(0xfd00_0100_0000_0000L, 0x2);
        byte[] vip = TestFrames.v6(vip6, 0x100);
        io.inject(ethernet(0x86DD, TestFrames.ipv6(IpProto.TCP, client6, vip, 64, 0,
            tcp(TestFrames.pseudo6(client6, vip, IpProto.TCP, 0), 40000, 80, 0x02, new byte[0]))));
        worker.doWork();
        List<byte[]> sent = io.takeSent();
        assertThat(sent).anySatisfy(f -> {
            assertThat(u16(f, 12)).isEqualTo(0x86DD);
            assertThat(f[14 + 6]).as("TCP").isEqualTo((byte) IpProto.TCP);
            assertThat(mac(f, 0)).as("forwarded to the advertised MAC").isEqualTo(MAC_RS_DR);
            assertThat(f[14 + 7] & 0xff).as("hop limit").isEqualTo(63);
        });
        assertThat(sent).anySatisfy(f -> {
            assertThat(f[14 + 40] & 0xff).as("neighbour advertisement").isEqualTo(136);
            assertThat(mac(f, 0)).as("to the soliciting host").isEqualTo(MAC_RS_NAT);
        });
    }

    /** Teaches the worker the MACs of the router and both real servers, as their ARP replies would. */
    /** Only the router's MAC is known. */
    @Test
    void shouldDropCountAndReportAPacketWhoseHandlingThrowsAndGoOnWithTheBurst() {
        worker.close();
        LanRoutes lan = new LanRoutes();
        boolean[] armed = {false};
        NextHops failing = new NextHops() {
            @Override
            public boolean lookup(int af, long hi, long lo, Hop out) {
                if (armed[0] && lo == (RS_NAT & 0xffff_ffffL)) {
                    throw new IllegalStateException("route lookup failed for the test");
                }
                return lan.lookup(af, hi, lo, out);
            }

            @Override
            public void gateways(AddressVisitor visitor) {
                lan.gateways(visitor);
            }
        };
        Link link = new Link("eth0", MAC_B, 1500, List.of(IpAddress.v4(DIRECTOR)));
        worker = new DataPlaneWorker(engine, io, link, failing, clock, 16, Shard.single(64));
        List<Throwable> reported = new java.util.ArrayList<>();
        worker.errorHandler(reported::add);
        learnAll();
        armed[0] = true;
        io.inject(syn(CLIENT, 40001, VIP, 8080, 64)); // NAT: its route look-up throws
        io.inject(syn(CLIENT, 40002, VIP, 80, 64));   // DR: goes out
        assertThat(worker.doWork()).isPositive();
        assertThat(io.takeSent()).extracting(f -> mac(f, 0)).containsExactly(MAC_RS_DR);
        assertThat(worker.counters().errors).isEqualTo(1);
        assertThat(reported).singleElement().isInstanceOf(IllegalStateException.class);
        armed[0] = false;
        io.inject(syn(CLIENT, 40003, VIP, 8080, 64));
        worker.doWork();
        assertThat(io.takeSent()).extracting(f -> mac(f, 0)).as("the worker goes on").containsExactly(MAC_RS_NAT);
    }

    @Test
    void shouldReportAPassThatThrowsThroughItsAgentInvokerAndRunTheNextPass() {
        worker.close();
        LanRoutes lan = new LanRoutes();
        int[] failures = {1};
        NextHops failingOnce = new NextHops() {
            @Override
            public boolean lookup(int af, long hi, long lo, Hop out) {
                return lan.lookup(af, hi, lo, out);
            }

            @Override
            public void gateways(AddressVisitor visitor) {
                if (failures[0]-- > 0) {
                    throw new IllegalStateException("housekeeping failed for the test");
                }
                lan.gateways(visitor);
            }
        };
        Link link = new Link("eth0", MAC_B, 1500, List.of(IpAddress.v4(DIRECTOR)));
        worker = new DataPlaneWorker(engine, io, link, failingOnce, clock, 16, Shard.single(64));
        List<Throwable> reported = new java.util.ArrayList<>();
        org.agrona.concurrent.AgentInvoker invoker = new org.agrona.concurrent.AgentInvoker(reported::add, null, worker);
        invoker.start();
        invoker.invoke(); // the first pass's housekeeping throws: reported, not thrown
        assertThat(reported).singleElement().isInstanceOf(IllegalStateException.class);
        clock.advanceNanos(1_000_000_000L);
        invoker.invoke();
        assertThat(io.takeSent()).extracting(DataPlaneWorkerTest::arpTarget).as("the next pass runs")
            .contains(ROUTER);
        assertThat(invoker.isRunning()).isTrue();
    }

    private void learnRouter() {
        worker.doWork();
        io.takeSent();
        io.inject(arp(2, MAC_ROUTER, ROUTER, MAC_B, DIRECTOR));
        worker.doWork();
        io.takeSent();
    }

    private void learnAll() {
        worker.doWork();
        io.takeSent();
        io.inject(arp(2, MAC_ROUTER, ROUTER, MAC_B, DIRECTOR));
        io.inject(arp(2, MAC_RS_DR, RS_DR, MAC_B, DIRECTOR));
        io.inject(arp(2, MAC_RS_NAT, RS_NAT, MAC_B, DIRECTOR));
        worker.doWork();
        io.takeSent();
        assertThat(worker.neighbours().mac(2, 0, RS_DR & 0xffff_ffffL)).isEqualTo(MAC_RS_DR);
    }

    static byte[] syn(int src, int sport, int dst, int dport, int ttl) {
        return ethernet(0x0800, ipv4(IpProto.TCP, src, dst, ttl, 0, 0, new byte[0],
            tcp(pseudo4(src, dst, IpProto.TCP, 0), sport, dport, 0x02, new byte[0])));
    }

    /** An ARP frame to MAC_B (op 1 request, 2 reply). */
    static byte[] arp(int op, long senderMac, int senderIp, long targetMac, int targetIp) {
        byte[] a = new byte[28];
        a[1] = 1;           // Ethernet
        a[2] = 0x08;        // IPv4
        a[4] = 6;
        a[5] = 4;
        a[7] = (byte) op;
        putMac(a, 8, senderMac);
        putU32(a, 14, senderIp);
        putMac(a, 18, targetMac);
        putU32(a, 24, targetIp);
        byte[] f = ethernet(0x0806, a);
        putMac(f, 0, op == 1 ? 0xffff_ffff_ffffL : MAC_B);
        putMac(f, 6, senderMac);
        return f;
    }

    static void assertTcpChecksumVerifies(byte[] f) {
        int ihl = (f[14] & 0x0f) * 4;
        byte[] seg = slice(f, 14 + ihl, f.length - 14 - ihl);
        byte[] pseudo = pseudo4(u32(f, 26), u32(f, 30), IpProto.TCP, seg.length);
        assertThat(naiveChecksum(pseudo, seg)).as("TCP checksum over pseudo-header and segment").isZero();
    }

    private static int arpTarget(byte[] f) {
        return u16(f, 12) == 0x0806 ? u32(f, 38) : -1;
    }

    static long mac(byte[] f, int off) {
        long m = 0;
        for (int i = 0; i < 6; i++) {
            m = m << 8 | (f[off + i] & 0xff);
        }
        return m;
    }

    private static void putMac(byte[] b, int off, long mac) {
        for (int i = 0; i < 6; i++) {
            b[off + i] = (byte) (mac >>> (40 - 8 * i));
        }
    }

    private static void putU32(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    static int u16(byte[] b, int off) {
        return (b[off] & 0xff) << 8 | (b[off + 1] & 0xff);
    }

    static int u32(byte[] b, int off) {
        return (b[off] & 0xff) << 24 | (b[off + 1] & 0xff) << 16 | (b[off + 2] & 0xff) << 8 | (b[off + 3] & 0xff);
    }

    private static byte[] slice(byte[] b, int off, int len) {
        return Arrays.copyOfRange(b, off, off + len);
    }

    /** 10.100.1.0/24 on-link, other IPv4 via the router; fd00:100:1::/64 on-link. */
    private static final class LanRoutes implements NextHops {
        @Override
        public boolean lookup(int af, long hi, long lo, Hop out) {
            if (af != 2) {
                // fd00:100:1::/64 on-link, nothing else
                return hi == 0xfd00_0100_0001_0000L && out.set(af, hi, lo) != null;
            }
            out.set(af, 0, (lo & 0xffff_ff00L) == 0x0A640100L ? lo : ROUTER & 0xffff_ffffL);
            return true;
        }

        @Override
        public void gateways(AddressVisitor visitor) {
            visitor.visit(0, 2, 0, ROUTER & 0xffff_ffffL);
        }
    }
}
