package uvs.net.bpf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static uvs.net.packet.TestFrames.ethernet;
import static uvs.net.packet.TestFrames.ipv4;
import static uvs.net.packet.TestFrames.ipv6;
import static uvs.net.packet.TestFrames.pseudo4;
import static uvs.net.packet.TestFrames.pseudo6;
import static uvs.net.packet.TestFrames.tcp;
import static uvs.net.packet.TestFrames.udp;
import static uvs.net.packet.TestFrames.v6;

import java.util.Arrays;
import java.util.Set;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import uvs.core.net.IpAddress;
import uvs.net.forward.Arp;
import uvs.net.forward.NeighborDiscovery;
import uvs.net.sys.Capabilities;
import uvs.net.sys.NativeException;

/**
 * The steering program, loaded into this kernel and run on hand-built frames with BPF_PROG_TEST_RUN. A frame
 * for UVS is redirected to the socket of its queue; with no socket in the map (none here) the kernel's verdict
 * is XDP_ABORTED, which is how these cases tell "to UVS" from XDP_PASS.
 */
@Tag("root")
class XdpSteeringTest {
    private static final int TO_UVS = Bpf.XDP_ABORTED;
    private static final int PASS = Bpf.XDP_PASS;
    private static final int VIP = 0x0a000064; // 10.0.0.100
    private static final int RS = 0x0a010002; // 10.1.0.2
    private static final int CLIENT = 0x0a000001;
    private static final int OTHER = 0x0a000063;
    private static final long VIP6_HI = 0xfd00000000000000L;
    private static final long VIP6_LO = 0x64;
    private static final long RS6_LO = 0x102;
    private static final long CLIENT6_LO = 0x1;
    private static final byte[] NONE = new byte[0];

    private static XdpSteering steering;

    @BeforeAll
    static void load() {
        assumeTrue(Capabilities.current().has(Capabilities.CAP_SYS_ADMIN),
            "skipped: loading BPF programs needs root (CAP_SYS_ADMIN)");
        steering = XdpSteering.create(1024);
        steering.steer(Set.of(
            new SteeringEntry(SteeringEntry.SERVICE, IpAddress.v4(VIP), 80, 6),
            new SteeringEntry(SteeringEntry.SERVICE, IpAddress.v4(VIP), 0, 17),
            new SteeringEntry(SteeringEntry.SERVICE, IpAddress.v4(VIP), 0, 0),
            new SteeringEntry(SteeringEntry.REAL_SERVER, IpAddress.v4(RS), 8080, 6),
            new SteeringEntry(SteeringEntry.REAL_SERVER, IpAddress.v4(RS), 0, 0),
            new SteeringEntry(SteeringEntry.ANNOUNCED, IpAddress.v4(VIP), 0, 0),
            new SteeringEntry(SteeringEntry.SERVICE, IpAddress.v6(VIP6_HI, VIP6_LO), 443, 6),
            new SteeringEntry(SteeringEntry.SERVICE, IpAddress.v6(VIP6_HI, VIP6_LO), 0, 0),
            new SteeringEntry(SteeringEntry.REAL_SERVER, IpAddress.v6(VIP6_HI, RS6_LO), 443, 6),
            new SteeringEntry(SteeringEntry.ANNOUNCED, IpAddress.v6(VIP6_HI, VIP6_LO), 0, 0)));
    }

    @AfterAll
    static void close() {
        if (steering != null) {
            steering.close();
        }
    }

    private static byte[] tcp4(int src, int dst, int sport, int dport) {
        return ethernet(0x0800, ipv4(6, src, dst, 64, 0, 0, NONE, tcp(pseudo4(src, dst, 6, 0), sport, dport, 0x02,
            NONE)));
    }

    private static byte[] tcp6(long srcLo, long dstLo, int sport, int dport) {
        byte[] s = v6(VIP6_HI, srcLo);
        byte[] d = v6(VIP6_HI, dstLo);
        return ethernet(0x86dd, ipv6(6, s, d, 64, 0, tcp(pseudo6(s, d, 6, 0), sport, dport, 0x02, NONE)));
    }

    private static byte[] icmp4(int src, int dst, int type) {
        byte[] icmp = new byte[8 + 28];
        icmp[0] = (byte) type;
        return ethernet(0x0800, ipv4(1, src, dst, 64, 0, 0, NONE, icmp));
    }

    private static byte[] icmp6(long dstLo, int type) {
        byte[] icmp = new byte[8 + 48];
        icmp[0] = (byte) type;
        return ethernet(0x86dd, ipv6(58, v6(VIP6_HI, CLIENT6_LO), v6(VIP6_HI, dstLo), 64, 0, icmp));
    }

    private static int verdict(byte[] frame) {
        return steering.verdict(frame);
    }

    @Test
    void ipv4ServicesByAddressPortAndProtocol() {
        assertThat(verdict(tcp4(CLIENT, VIP, 40000, 80))).isEqualTo(TO_UVS);
        assertThat(verdict(tcp4(CLIENT, VIP, 40000, 81))).as("no TCP service on port 81").isEqualTo(PASS);
        assertThat(verdict(tcp4(CLIENT, OTHER, 40000, 80))).as("not a VIP").isEqualTo(PASS);
        byte[] udp = ethernet(0x0800, ipv4(17, CLIENT, VIP, 64, 0, 0, NONE,
            udp(pseudo4(CLIENT, VIP, 17, 0), 5000, 5353, NONE, false)));
        assertThat(verdict(udp)).as("port-less UDP service").isEqualTo(TO_UVS);
        byte[] options = ethernet(0x0800, ipv4(6, CLIENT, VIP, 64, 0, 0, new byte[] {1, 1, 1, 1},
            tcp(pseudo4(CLIENT, VIP, 6, 0), 40000, 80, 0x10, NONE)));
        assertThat(verdict(options)).as("IPv4 options move the ports").isEqualTo(TO_UVS);
    }

    @Test
    void natRepliesBySourceAddressAndPort() {
        assertThat(verdict(tcp4(RS, CLIENT, 8080, 40000))).isEqualTo(TO_UVS);
        assertThat(verdict(tcp4(RS, CLIENT, 22, 40000))).as("the real server's own ssh").isEqualTo(PASS);
        assertThat(verdict(tcp6(RS6_LO, CLIENT6_LO, 443, 40000))).isEqualTo(TO_UVS);
        assertThat(verdict(tcp6(RS6_LO, CLIENT6_LO, 22, 40000))).isEqualTo(PASS);
    }

    @Test
    void icmpErrorsAndFragmentsByAddressOnly() {
        assertThat(verdict(icmp4(CLIENT, VIP, 3))).as("unreachable to a VIP").isEqualTo(TO_UVS);
        assertThat(verdict(icmp4(RS, CLIENT, 3))).as("unreachable from a NAT real server").isEqualTo(TO_UVS);
        assertThat(verdict(icmp4(CLIENT, VIP, 8))).as("echo request: the kernel's").isEqualTo(PASS);
        assertThat(verdict(icmp4(CLIENT, OTHER, 3))).isEqualTo(PASS);
        byte[] fragment = ethernet(0x0800, ipv4(6, CLIENT, VIP, 64, 0, 185, NONE, new byte[64]));
        assertThat(verdict(fragment)).isEqualTo(TO_UVS);
        byte[] fragmentElsewhere = ethernet(0x0800, ipv4(6, CLIENT, OTHER, 64, 0, 0x2000, NONE, new byte[64]));
        assertThat(verdict(fragmentElsewhere)).isEqualTo(PASS);
        assertThat(verdict(icmp6(VIP6_LO, 2))).as("packet too big to a VIP").isEqualTo(TO_UVS);
        assertThat(verdict(icmp6(VIP6_LO, 128))).as("echo request").isEqualTo(PASS);
        assertThat(verdict(icmp6(0x99, 1))).isEqualTo(PASS);
    }

    @Test
    void ipv6Services() {
        assertThat(verdict(tcp6(CLIENT6_LO, VIP6_LO, 40000, 443))).isEqualTo(TO_UVS);
        assertThat(verdict(tcp6(CLIENT6_LO, VIP6_LO, 40000, 80))).isEqualTo(PASS);
        assertThat(verdict(tcp6(CLIENT6_LO, 0x65, 40000, 443))).isEqualTo(PASS);
    }

    @Test
    void neighbourRequestsForAnnouncedAddressesOnly() {
        UnsafeBuffer b = new UnsafeBuffer(new byte[128]);
        int n = Arp.request(b, 0x020000000001L, CLIENT, VIP);
        assertThat(verdict(Arrays.copyOf(b.byteArray(), n))).isEqualTo(TO_UVS);
        n = Arp.request(b, 0x020000000001L, CLIENT, OTHER);
        assertThat(verdict(Arrays.copyOf(b.byteArray(), n))).isEqualTo(PASS);
        n = Arp.reply(b, 0x020000000001L, VIP, 0x020000000002L, CLIENT);
        assertThat(verdict(Arrays.copyOf(b.byteArray(), n))).as("replies: the kernel needs them too").isEqualTo(PASS);
        n = NeighborDiscovery.solicit(b, 0x020000000001L, VIP6_HI, CLIENT6_LO, VIP6_HI, VIP6_LO);
        assertThat(verdict(Arrays.copyOf(b.byteArray(), n))).isEqualTo(TO_UVS);
        n = NeighborDiscovery.solicit(b, 0x020000000001L, VIP6_HI, CLIENT6_LO, VIP6_HI, 0x77);
        assertThat(verdict(Arrays.copyOf(b.byteArray(), n))).isEqualTo(PASS);
    }

    @Test
    void shortAndForeignFramesPass() {
        // the kernel runs no test on less than an Ethernet header
        byte[] full = tcp4(CLIENT, VIP, 40000, 80);
        for (int len : new int[] {14, 20, 33, 34, 36}) {
            assertThat(verdict(Arrays.copyOf(full, len))).as("truncated to %d bytes", len).isEqualTo(PASS);
        }
        byte[] vlan = full.clone();
        vlan[12] = (byte) 0x81;
        vlan[13] = 0;
        assertThat(verdict(vlan)).isEqualTo(PASS);
    }

    @Test
    void removedEntriesStopSteering() {
        try (XdpSteering own = XdpSteering.create(16)) {
            SteeringEntry e = new SteeringEntry(SteeringEntry.SERVICE, IpAddress.v4(VIP), 80, 6);
            own.steer(Set.of(e));
            assertThat(own.holds(e)).isTrue();
            assertThat(own.verdict(tcp4(CLIENT, VIP, 1, 80))).isEqualTo(TO_UVS);
            own.steer(Set.of());
            assertThat(own.holds(e)).isFalse();
            assertThat(own.verdict(tcp4(CLIENT, VIP, 1, 80))).isEqualTo(PASS);
        }
    }

    @Test
    void aFullMapKeepsWhatFitsAndSaysHowManyDidNot() {
        try (XdpSteering small = XdpSteering.create(2)) {
            Set<SteeringEntry> three = Set.of(
                new SteeringEntry(SteeringEntry.SERVICE, IpAddress.v4(VIP), 80, 6),
                new SteeringEntry(SteeringEntry.SERVICE, IpAddress.v4(VIP), 81, 6),
                new SteeringEntry(SteeringEntry.SERVICE, IpAddress.v4(VIP), 82, 6));
            assertThat(small.steer(three)).isEqualTo(1);
            assertThat(small.entries()).hasSize(2);
            assertThat(three.stream().filter(small::holds).count()).isEqualTo(2);
        }
    }

    @Test
    void aRefusedProgramShowsTheVerifierLog() {
        try (Bpf bpf = new Bpf()) {
            // reads R2 before anything wrote it
            byte[] bad = new EbpfAssembler().movReg(EbpfAssembler.R0, EbpfAssembler.R2).exit().assemble();
            assertThatThrownBy(() -> bpf.loadProgram(Bpf.PROG_TYPE_XDP, bad, "UVS", "bad"))
                .isInstanceOf(NativeException.class)
                .hasMessageContaining("BPF_PROG_LOAD")
                .hasMessageContaining("verifier log")
                .hasMessageContaining("R2 !read_ok");
        }
    }
}
