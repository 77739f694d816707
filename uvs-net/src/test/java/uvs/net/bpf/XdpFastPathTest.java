package uvs.net.bpf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static uvs.net.packet.TestFrames.cat;
import static uvs.net.packet.TestFrames.ethernet;
import static uvs.net.packet.TestFrames.ipv4;
import static uvs.net.packet.TestFrames.ipv6;
import static uvs.net.packet.TestFrames.pseudo4;
import static uvs.net.packet.TestFrames.pseudo6;
import static uvs.net.packet.TestFrames.tcp;
import static uvs.net.packet.TestFrames.toHex;
import static uvs.net.packet.TestFrames.udp;
import static uvs.net.packet.TestFrames.v6;
import static uvs.net.packet.TestFrames.withMacs;

import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import uvs.core.net.Af;
import uvs.core.net.IpAddress;
import uvs.net.packet.TestFrames;
import uvs.net.sys.Capabilities;
import uvs.net.sys.Netns;
import uvs.net.sys.NetnsFixture;

/**
 * The fast path at the head of the XDP program, loaded into this kernel (so the verifier accepts it: a refusal
 * fails with its log) and run on hand-built frames with BPF_PROG_TEST_RUN. Expected frames are built from scratch
 * with {@code TestFrames}, whose checksums are a full naive recomputation, and compared byte for byte. Frames the
 * fast path must leave alone reach the steering part, which sends those to a virtual service to UVS (XDP_ABORTED
 * here, with no socket in the map) and passes the rest; both unchanged.
 */
@Tag("root")
class XdpFastPathTest {
    private static final int TO_UVS = Bpf.XDP_ABORTED;
    private static final int VIP = 0x0a000064; // 10.0.0.100
    private static final int RS = 0x0a010002; // 10.1.0.2
    private static final int CLIENT = 0x0a000001;
    private static final long NET6 = 0xfd00000000000000L;
    private static final long VIP6 = 0x64;
    private static final long RS6 = 0x102;
    private static final long CLIENT6 = 0x1;
    private static final long RS_MAC = 0x02_00_00_00_01_02L;
    private static final long DIRECTOR_MAC = 0x02_00_00_00_00_64L;
    private static final long CLIENT_MAC = 0x02_00_00_00_00_01L;
    /** Another device for the redirects: loopback, whose MTU takes any frame. */
    private static final int OTHER_IFINDEX = 1;
    private static final byte[] DATA = "GET / HTTP/1.0\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final int ACK = 0x10;
    private static final int PSH_ACK = 0x18;

    private static FastPathMap flows;
    private static XdpSteering steering;
    private static final FastPathEntry ENTRY = new FastPathEntry();
    private static final FastPathKey KEY = new FastPathKey();

    @BeforeAll
    static void load() {
        assumeTrue(Capabilities.current().has(Capabilities.CAP_SYS_ADMIN),
            "skipped: loading BPF programs needs root (CAP_SYS_ADMIN)");
        flows = FastPathMap.create(64);
        steering = XdpSteering.create(64, flows);
        steering.steer(Set.of(
            new SteeringEntry(SteeringEntry.SERVICE, IpAddress.v4(VIP), 0, 6),
            new SteeringEntry(SteeringEntry.SERVICE, IpAddress.v4(VIP), 0, 17),
            new SteeringEntry(SteeringEntry.SERVICE, IpAddress.v4(VIP), 0, 0),
            new SteeringEntry(SteeringEntry.REAL_SERVER, IpAddress.v4(RS), 0, 0),
            new SteeringEntry(SteeringEntry.SERVICE, IpAddress.v6(NET6, VIP6), 0, 6),
            new SteeringEntry(SteeringEntry.SERVICE, IpAddress.v6(NET6, VIP6), 0, 17),
            new SteeringEntry(SteeringEntry.SERVICE, IpAddress.v6(NET6, VIP6), 0, 0)));
        // DR, IPv4 TCP, out of the receiving device
        install4(6, CLIENT, 40000, VIP, 80).directRoute(RS_MAC, DIRECTOR_MAC, 0);
        flows.install(ENTRY);
        // NAT, IPv4 TCP, both directions, to another device
        install4(6, CLIENT, 40001, VIP, 80).nat(RS_MAC, DIRECTOR_MAC, OTHER_IFINDEX, 0, CLIENT, 40001, 0, RS, 8080);
        flows.install(ENTRY);
        install4(6, RS, 8080, CLIENT, 40001).nat(CLIENT_MAC, DIRECTOR_MAC, 0, 0, VIP, 80, 0, CLIENT, 40001);
        flows.install(ENTRY);
        // NAT, IPv4 UDP, both directions
        install4(17, CLIENT, 5000, VIP, 53).nat(RS_MAC, DIRECTOR_MAC, 0, 0, CLIENT, 5000, 0, RS, 5353);
        flows.install(ENTRY);
        install4(17, RS, 5353, CLIENT, 5000).nat(CLIENT_MAC, DIRECTOR_MAC, 0, 0, VIP, 53, 0, CLIENT, 5000);
        flows.install(ENTRY);
        // NAT, IPv6 TCP and UDP, both directions; DR IPv6 UDP
        install6(6, CLIENT6, 40000, VIP6, 443).nat(RS_MAC, DIRECTOR_MAC, 0, NET6, CLIENT6, 40000, NET6, RS6, 8443);
        flows.install(ENTRY);
        install6(6, RS6, 8443, CLIENT6, 40000).nat(CLIENT_MAC, DIRECTOR_MAC, 0, NET6, VIP6, 443, NET6, CLIENT6,
            40000);
        flows.install(ENTRY);
        install6(17, CLIENT6, 5000, VIP6, 53).nat(RS_MAC, DIRECTOR_MAC, 0, NET6, CLIENT6, 5000, NET6, RS6, 5353);
        flows.install(ENTRY);
        install6(17, RS6, 5353, CLIENT6, 5000).nat(CLIENT_MAC, DIRECTOR_MAC, 0, NET6, VIP6, 53, NET6, CLIENT6,
            5000);
        flows.install(ENTRY);
        install6(17, CLIENT6, 6000, VIP6, 53).directRoute(RS_MAC, DIRECTOR_MAC, OTHER_IFINDEX);
        flows.install(ENTRY);
    }

    @AfterAll
    static void close() {
        if (steering != null) {
            steering.close();
        }
        if (flows != null) {
            flows.close();
        }
    }

    private static FastPathEntry install4(int proto, int src, int sport, int dst, int dport) {
        ENTRY.key().set(Af.INET, proto, 0, src, sport, 0, dst, dport);
        return ENTRY;
    }

    private static FastPathEntry install6(int proto, long src, int sport, long dst, int dport) {
        ENTRY.key().set(Af.INET6, proto, NET6, src, sport, NET6, dst, dport);
        return ENTRY;
    }

    private static byte[] tcp4(int src, int sport, int dst, int dport, int ttl, int flags) {
        return TestFrames.tcp4(src, sport, dst, dport, ttl, flags, DATA);
    }

    private static byte[] udp4(int src, int sport, int dst, int dport, int ttl, byte[] payload) {
        return ethernet(0x0800, ipv4(17, src, dst, ttl, 0, 0, new byte[0],
            udp(pseudo4(src, dst, 17, 0), sport, dport, payload, false)));
    }

    private static byte[] tcp6(long src, int sport, long dst, int dport, int hops, int flags) {
        byte[] s = v6(NET6, src);
        byte[] d = v6(NET6, dst);
        return ethernet(0x86dd, ipv6(6, s, d, hops, 0, tcp(pseudo6(s, d, 6, 0), sport, dport, flags, DATA)));
    }

    private static byte[] udp6(long src, int sport, long dst, int dport, int hops) {
        byte[] s = v6(NET6, src);
        byte[] d = v6(NET6, dst);
        return ethernet(0x86dd, ipv6(17, s, d, hops, 0, udp(pseudo6(s, d, 17, 0), sport, dport, DATA, false)));
    }

    private static void forwards(byte[] in, int verdict, byte[] expected) {
        Bpf.TestRun r = steering.testRun(in);
        assertThat(r.verdict()).as("verdict").isEqualTo(verdict);
        assertThat(toHex(r.frame(), 0, r.frame().length)).isEqualTo(toHex(expected, 0, expected.length));
    }

    private static void toSteering(byte[] in, int verdict) {
        Bpf.TestRun r = steering.testRun(in);
        assertThat(r.verdict()).as("verdict of the steering part").isEqualTo(verdict);
        assertThat(toHex(r.frame(), 0, r.frame().length)).as("unchanged").isEqualTo(toHex(in, 0, in.length));
    }

    private static long packets(FastPathKey k) {
        assertThat(flows.read(k)).as("entry of %s", k).isTrue();
        return flows.packets();
    }

    private static boolean kernelAtLeast(int major, int minor) {
        String[] v = System.getProperty("os.version").split("[.-]");
        int have = Integer.parseInt(v[0]);
        return have > major || have == major && Integer.parseInt(v[1]) >= minor;
    }

    @Test
    void theCoarseClockWhereTheKernelHasIt() {
        boolean coarse = kernelAtLeast(5, 11); // bpf_ktime_get_coarse_ns came with Linux 5.11
        try (Bpf bpf = new Bpf()) {
            assertThat(XdpFastPath.clockHelper(bpf)).as("kernel %s", System.getProperty("os.version"))
                .isEqualTo(coarse ? XdpFastPath.HELPER_KTIME_GET_COARSE_NS : XdpFastPath.HELPER_KTIME_GET_NS);
        }
    }

    @Test
    void bpfCheckMtuWhereTheKernelHasIt() {
        boolean has = kernelAtLeast(5, 12); // bpf_check_mtu came with Linux 5.12
        try (Bpf bpf = new Bpf()) {
            assertThat(XdpFastPath.mtuCheck(bpf)).as("kernel %s", System.getProperty("os.version")).isEqualTo(has);
        }
    }

    @Test
    void aPacketTooBigForTheOtherDeviceGoesToUvsUncountedAtBothHooks() throws Exception {
        try (Bpf bpf = new Bpf()) {
            assumeTrue(XdpFastPath.mtuCheck(bpf), "skipped: no bpf_check_mtu before Linux 5.12");
        }
        try (NetnsFixture ns = NetnsFixture.create(); TcFastPath tc = TcFastPath.create(flows)) {
            ns.ip("link", "add", "small0", "mtu", "1280", "type", "veth", "peer", "name", "small1");
            int small = ns.ifIndex("small0");
            install4(17, CLIENT, 7000, VIP, 53).nat(RS_MAC, DIRECTOR_MAC, small, 0, CLIENT, 7000, 0, RS, 5353);
            flows.install(ENTRY);
            // an IPv4 packet of exactly the MTU fits; one byte more does not
            byte[] fits = udp4(CLIENT, 7000, VIP, 53, 64, new byte[1280 - 28]);
            byte[] tooBig = udp4(CLIENT, 7000, VIP, 53, 64, new byte[1280 - 28 + 1]);
            Netns.call(ns.name, () -> {
                // BPF_PROG_TEST_RUN runs in the calling thread's namespace, where small0's index means small0
                toSteering(tooBig, TO_UVS);
                Bpf.TestRun atTc = tc.testRun(tooBig);
                assertThat(atTc.verdict()).as("tcx verdict: the next program").isEqualTo(Bpf.TC_ACT_UNSPEC);
                assertThat(toHex(atTc.frame(), 0, atTc.frame().length)).isEqualTo(toHex(tooBig, 0, tooBig.length));
                assertThat(packets(ENTRY.key())).isZero();
                assertThat(steering.testRun(fits).verdict()).isEqualTo(Bpf.XDP_REDIRECT);
                assertThat(tc.testRun(fits).verdict()).isEqualTo(Bpf.TC_ACT_REDIRECT);
                return null;
            });
            assertThat(packets(ENTRY.key())).isEqualTo(2);
        } finally {
            flows.remove(ENTRY.key());
        }
    }

    @Test
    void directRoutingRewritesTheMacsAndTheTtlAndSendsItBack() {
        KEY.set(Af.INET, 6, 0, CLIENT, 40000, 0, VIP, 80);
        assertThat(flows.read(KEY)).isTrue();
        long packets = flows.packets();
        long bytes = flows.bytes();
        long before = System.nanoTime();
        forwards(tcp4(CLIENT, 40000, VIP, 80, 64, PSH_ACK), Bpf.XDP_TX,
            withMacs(tcp4(CLIENT, 40000, VIP, 80, 63, PSH_ACK), RS_MAC, DIRECTOR_MAC));
        long after = System.nanoTime();
        assertThat(flows.read(KEY)).isTrue();
        assertThat(flows.packets()).isEqualTo(packets + 1);
        assertThat(flows.bytes()).as("IP length").isEqualTo(bytes + 20 + 20 + DATA.length);
        // CLOCK_MONOTONIC as System.nanoTime, read coarse: the last tick's time, at most a tick (≤ 10 ms) early
        assertThat(flows.lastSeenNanos()).as("CLOCK_MONOTONIC, as System.nanoTime")
            .isBetween(before - 20_000_000L, after);
    }

    @Test
    void natIpv4TcpBothDirections() {
        forwards(tcp4(CLIENT, 40001, VIP, 80, 64, ACK), Bpf.XDP_REDIRECT,
            withMacs(tcp4(CLIENT, 40001, RS, 8080, 63, ACK), RS_MAC, DIRECTOR_MAC));
        forwards(tcp4(RS, 8080, CLIENT, 40001, 5, PSH_ACK), Bpf.XDP_TX,
            withMacs(tcp4(VIP, 80, CLIENT, 40001, 4, PSH_ACK), CLIENT_MAC, DIRECTOR_MAC));
    }

    @Test
    void natIpv4UdpBothDirections() {
        byte[] payload = {1, 2, 3};
        forwards(udp4(CLIENT, 5000, VIP, 53, 64, payload), Bpf.XDP_TX,
            withMacs(udp4(CLIENT, 5000, RS, 5353, 63, payload), RS_MAC, DIRECTOR_MAC));
        forwards(udp4(RS, 5353, CLIENT, 5000, 64, payload), Bpf.XDP_TX,
            withMacs(udp4(VIP, 53, CLIENT, 5000, 63, payload), CLIENT_MAC, DIRECTOR_MAC));
    }

    @Test
    void aUdpChecksumThatComesOutZeroIsSentAsAllOnes() {
        // find a payload whose translated datagram sums to a checksum of 0 (TestFrames then writes 0xffff)
        byte[] payload = new byte[2];
        byte[] expected = null;
        for (int w = 0; w < 0x10000 && expected == null; w++) {
            payload[0] = (byte) (w >>> 8);
            payload[1] = (byte) w;
            byte[] out = udp4(CLIENT, 5000, RS, 5353, 63, payload);
            if ((out[14 + 20 + 6] & 0xff) == 0xff && (out[14 + 20 + 7] & 0xff) == 0xff) {
                expected = out;
            }
        }
        assertThat(expected).isNotNull();
        forwards(udp4(CLIENT, 5000, VIP, 53, 64, payload), Bpf.XDP_TX, withMacs(expected, RS_MAC, DIRECTOR_MAC));
    }

    @Test
    void natIpv6TcpAndUdpBothDirections() {
        forwards(tcp6(CLIENT6, 40000, VIP6, 443, 64, ACK), Bpf.XDP_TX,
            withMacs(tcp6(CLIENT6, 40000, RS6, 8443, 63, ACK), RS_MAC, DIRECTOR_MAC));
        forwards(tcp6(RS6, 8443, CLIENT6, 40000, 64, PSH_ACK), Bpf.XDP_TX,
            withMacs(tcp6(VIP6, 443, CLIENT6, 40000, 63, PSH_ACK), CLIENT_MAC, DIRECTOR_MAC));
        forwards(udp6(CLIENT6, 5000, VIP6, 53, 2), Bpf.XDP_TX,
            withMacs(udp6(CLIENT6, 5000, RS6, 5353, 1), RS_MAC, DIRECTOR_MAC));
        forwards(udp6(RS6, 5353, CLIENT6, 5000, 64), Bpf.XDP_TX,
            withMacs(udp6(VIP6, 53, CLIENT6, 5000, 63), CLIENT_MAC, DIRECTOR_MAC));
    }

    @Test
    void directRoutingIpv6ToAnotherDeviceCountsTheIpLength() {
        KEY.set(Af.INET6, 17, NET6, CLIENT6, 6000, NET6, VIP6, 53);
        long before = packets(KEY);
        long bytes = flows.bytes();
        forwards(udp6(CLIENT6, 6000, VIP6, 53, 64), Bpf.XDP_REDIRECT,
            withMacs(udp6(CLIENT6, 6000, VIP6, 53, 63), RS_MAC, DIRECTOR_MAC));
        assertThat(packets(KEY)).isEqualTo(before + 1);
        assertThat(flows.bytes()).isEqualTo(bytes + 40 + 8 + DATA.length);
    }

    @Test
    void oneVlanTagIsKept() {
        byte[] plain = tcp4(CLIENT, 40000, VIP, 80, 64, ACK);
        byte[] tagged = cat(java.util.Arrays.copyOf(plain, 12), new byte[] {(byte) 0x81, 0, 0, 5},
            java.util.Arrays.copyOfRange(plain, 12, plain.length));
        byte[] out = withMacs(tcp4(CLIENT, 40000, VIP, 80, 63, ACK), RS_MAC, DIRECTOR_MAC);
        byte[] expected = cat(java.util.Arrays.copyOf(out, 12), new byte[] {(byte) 0x81, 0, 0, 5},
            java.util.Arrays.copyOfRange(out, 12, out.length));
        forwards(tagged, Bpf.XDP_TX, expected);
    }

    @Test
    void stateChangingPacketsGoToTheSteeringUnchangedAndUncounted() {
        KEY.set(Af.INET, 6, 0, CLIENT, 40000, 0, VIP, 80);
        long before = packets(KEY);
        toSteering(tcp4(CLIENT, 40000, VIP, 80, 64, 0x02), TO_UVS); // SYN
        toSteering(tcp4(CLIENT, 40000, VIP, 80, 64, 0x11), TO_UVS); // FIN ACK
        toSteering(tcp4(CLIENT, 40000, VIP, 80, 64, 0x14), TO_UVS); // RST ACK
        toSteering(tcp4(CLIENT, 40000, VIP, 80, 1, ACK), TO_UVS); // TTL 1: UVS sends time exceeded
        toSteering(tcp6(CLIENT6, 40000, VIP6, 443, 1, ACK), TO_UVS); // hop limit 1
        KEY.set(Af.INET6, 6, NET6, CLIENT6, 40000, NET6, VIP6, 443);
        long before6 = packets(KEY);
        toSteering(tcp6(CLIENT6, 40000, VIP6, 443, 64, 0x02), TO_UVS);
        assertThat(packets(KEY)).isEqualTo(before6);
        KEY.set(Af.INET, 6, 0, CLIENT, 40000, 0, VIP, 80);
        assertThat(packets(KEY)).isEqualTo(before);
    }

    @Test
    void icmpFragmentsExtensionHeadersAndMissesGoToTheSteering() {
        byte[] icmp = new byte[8 + 28];
        icmp[0] = 3;
        toSteering(ethernet(0x0800, ipv4(1, CLIENT, VIP, 64, 0, 0, new byte[0], icmp)), TO_UVS);
        byte[] segment = tcp(pseudo4(CLIENT, VIP, 6, 0), 40000, 80, ACK, DATA);
        toSteering(ethernet(0x0800, ipv4(6, CLIENT, VIP, 64, 0, 0x2000, new byte[0], segment)), TO_UVS); // MF
        toSteering(ethernet(0x0800, ipv4(6, CLIENT, VIP, 64, 0, 0x0010, new byte[0], segment)), TO_UVS); // offset
        toSteering(tcp4(CLIENT, 40009, VIP, 80, 64, ACK), TO_UVS); // not in the map
        toSteering(tcp4(CLIENT, 40000, 0x0a000063, 80, 64, ACK), Bpf.XDP_PASS); // not in the map, not a VIP
        // a hop-by-hop options header before TCP: the fast path does not walk extension headers
        byte[] s = v6(NET6, CLIENT6);
        byte[] d = v6(NET6, VIP6);
        byte[] hopByHop = {6, 0, 1, 4, 0, 0, 0, 0};
        toSteering(ethernet(0x86dd, ipv6(0, s, d, 64, 0, cat(hopByHop,
            tcp(pseudo6(s, d, 6, 0), 40000, 443, ACK, DATA)))), Bpf.XDP_PASS);
        // a NAT UDP datagram without a checksum: UVS computes a full one
        byte[] noChecksum = ethernet(0x0800, ipv4(17, CLIENT, VIP, 64, 0, 0, new byte[0],
            udp(pseudo4(CLIENT, VIP, 17, 0), 5000, 53, DATA, true)));
        toSteering(noChecksum, TO_UVS);
    }

    @Test
    void ipv4OptionsMoveTheTransportHeader() {
        byte[] options = {1, 1, 1, 1};
        byte[] in = ethernet(0x0800, ipv4(6, CLIENT, VIP, 64, 0, 0, options,
            tcp(pseudo4(CLIENT, VIP, 6, 0), 40001, 80, ACK, DATA)));
        byte[] out = withMacs(ethernet(0x0800, ipv4(6, CLIENT, RS, 63, 0, 0, options,
            tcp(pseudo4(CLIENT, RS, 6, 0), 40001, 8080, ACK, DATA))), RS_MAC, DIRECTOR_MAC);
        forwards(in, Bpf.XDP_REDIRECT, out);
    }

    @Test
    void removedFlowsGoBackToUvsAndAFullMapSaysSo() {
        try (FastPathMap small = FastPathMap.create(1); XdpSteering own = XdpSteering.create(4, small)) {
            FastPathEntry e = new FastPathEntry();
            e.key().set(Af.INET, 6, 0, CLIENT, 40000, 0, VIP, 80);
            e.directRoute(RS_MAC, DIRECTOR_MAC, 0);
            assertThat(small.install(e)).isEqualTo(FastPathMap.INSTALLED);
            assertThat(own.verdict(tcp4(CLIENT, 40000, VIP, 80, 64, ACK))).isEqualTo(Bpf.XDP_TX);
            e.key().set(Af.INET, 6, 0, CLIENT, 40001, 0, VIP, 80);
            assertThat(small.install(e)).isEqualTo(FastPathMap.FULL);
            assertThat(small.fullCount()).isEqualTo(1);
            KEY.set(Af.INET, 6, 0, CLIENT, 40000, 0, VIP, 80);
            assertThat(small.remove(KEY)).isTrue();
            assertThat(small.remove(KEY)).isFalse();
            assertThat(small.read(KEY)).isFalse();
            assertThat(own.verdict(tcp4(CLIENT, 40000, VIP, 80, 64, ACK))).as("no steering entry: the kernel's")
                .isEqualTo(Bpf.XDP_PASS);
        }
    }

    @Test
    void theMapCallsDoNotAllocate() {
        com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        try (FastPathMap small = FastPathMap.create(1)) {
            FastPathEntry a = new FastPathEntry();
            a.key().set(Af.INET6, 6, NET6, CLIENT6, 1, NET6, VIP6, 443);
            a.nat(RS_MAC, DIRECTOR_MAC, 0, NET6, CLIENT6, 1, NET6, RS6, 8443);
            FastPathEntry b = new FastPathEntry();
            b.key().set(Af.INET, 17, 0, CLIENT, 2, 0, VIP, 53);
            b.directRoute(RS_MAC, DIRECTOR_MAC, 0);
            // windows of 1000 rounds until one allocates nothing: the interpreter and C1 box downcall results
            // until C2 has compiled the calls, which on a fast machine takes more windows than on a slow one, so
            // the bound is time (60 s); a per-call allocation would show in every window
            long allocated = Long.MAX_VALUE;
            long deadline = System.nanoTime() + 60_000_000_000L;
            for (int window = 0; allocated >= 1024 && (window < 40 || System.nanoTime() < deadline); window++) {
                long before = threads.getCurrentThreadAllocatedBytes();
                for (int round = 0; round < 1000; round++) {
                    small.install(a);
                    small.install(b); // full
                    small.read(a.key());
                    small.remove(a.key());
                }
                allocated = threads.getCurrentThreadAllocatedBytes() - before;
            }
            assertThat(allocated).as("bytes allocated by 1000 install/full/read/remove rounds").isLessThan(1024);
            assertThat(small.fullCount()).isGreaterThanOrEqualTo(1000);
        }
    }
}
