package uvs.net.io;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;
import static uvs.net.packet.TestFrames.withMacs;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import uvs.net.packet.TestFrames;
import uvs.net.sys.Netns;
import uvs.net.sys.NetnsFixture;

/**
 * A port of three sockets bound to IPv4, IPv6 and ARP (root, veth pair in a private namespace): it receives
 * the three kinds, not other EtherTypes, and sends each kind out again.
 */
@Tag("root")
class ProtocolPortsTest {
    private static final long PEER_MAC = 0x02_00_00_00_00_01L;
    private static final byte[] DATA = new byte[32];

    private NetnsFixture ns;
    private long v1Mac;

    @BeforeEach
    void setUp() throws Exception {
        ns = NetnsFixture.create();
        try {
            ns.vethPair("v0", "v1");
            v1Mac = ns.mac("v1");
        } catch (Exception | Error e) {
            tearDown();
            throw e;
        }
    }

    @AfterEach
    void tearDown() {
        if (ns != null) {
            ns.close();
        }
    }

    @Test
    void receivesAndSendsIpv4Ipv6AndArp() throws Exception {
        byte[] v4 = withMacs(TestFrames.tcp4(0x0a000001, 40000, 0x0a000064, 80, 64, 0x10, DATA), v1Mac, PEER_MAC);
        byte[] v6 = withMacs(TestFrames.ethernet(0x86dd, TestFrames.ipv6(59, TestFrames.v6(0xfd00L << 48, 1),
            TestFrames.v6(0xfd00L << 48, 2), 64, 0, new byte[0])), v1Mac, PEER_MAC);
        byte[] arp = withMacs(TestFrames.ethernet(0x0806, new byte[28]), v1Mac, PEER_MAC);
        byte[] other = withMacs(TestFrames.ethernet(0x88b5, new byte[46]), v1Mac, PEER_MAC);
        try (AfPacketIo v0 = Netns.call(ns.name, () -> AfPacketIo.open("v0", AfPacketIo.Options.DEFAULT));
             ProtocolPorts v1 = Netns.call(ns.name, () -> ProtocolPorts.open("v1", AfPacketIo.Options.DEFAULT));
             Arena arena = Arena.ofConfined()) {
            for (byte[] f : List.of(other, v4, v6, arp)) {
                VethFrames.send(v0, arena, f);
            }
            assertThat(VethFrames.receive(v1, v1Mac, 3, 3000)).containsExactlyInAnyOrder(hex(v4), hex(v6), hex(arp));
            assertThat(VethFrames.receive(v1, v1Mac, 1, 200)).as("no other EtherType").isEmpty();

            byte[] back6 = withMacs(v6, PEER_MAC, v1Mac);
            byte[] backArp = withMacs(arp, PEER_MAC, v1Mac);
            for (byte[] f : List.of(back6, backArp)) {
                MemorySegment s = arena.allocate(f.length);
                MemorySegment.copy(f, 0, s, JAVA_BYTE, 0, f.length);
                assertThat(v1.transmit(s.address(), f.length)).isTrue();
            }
            assertThat(v1.flush()).isEqualTo(2);
            assertThat(VethFrames.receive(v0, PEER_MAC, 2, 3000)).containsExactlyInAnyOrder(hex(back6), hex(backArp));
            assertThat(v1.stats().rxFrames).isEqualTo(3);
        }
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }


}
