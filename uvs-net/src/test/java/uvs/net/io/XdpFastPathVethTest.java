package uvs.net.io;

import static org.assertj.core.api.Assertions.assertThat;
import static uvs.net.packet.TestFrames.withMacs;

import java.lang.foreign.Arena;
import java.util.HexFormat;
import java.util.Set;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import uvs.core.net.Af;
import uvs.net.bpf.Bpf;
import uvs.net.bpf.EbpfAssembler;
import uvs.net.bpf.FastPathEntry;
import uvs.net.bpf.FastPathKey;
import uvs.net.bpf.FastPathMap;
import uvs.net.bpf.XdpSteering;
import uvs.net.packet.TestFrames;
import uvs.net.sys.Libc;
import uvs.net.sys.Netns;
import uvs.net.sys.NetnsFixture;

/**
 * The fast path in a driver's context: veth pair v0/v1 in a private namespace, the program with its flow map
 * attached to v1 in native mode; frames sent from an AF_PACKET socket on v0 are forwarded by the program with
 * XDP_TX straight back to v0 (which has an XDP_PASS program, so that veth takes XDP frames), where they are read
 * and compared byte for byte. No UVS worker is involved.
 */
@Tag("root")
class XdpFastPathVethTest {
    private static final int VIP = 0x0a000064;
    private static final int RS = 0x0a010002;
    private static final int CLIENT = 0x0a000001;
    private static final long RS_MAC = 0x02_00_00_00_01_02L;
    private static final long CLIENT_MAC = 0x02_00_00_00_00_01L;
    private static final byte[] DATA = new byte[100];

    private NetnsFixture ns;
    private long v1Mac;
    private FastPathMap flows;
    private XdpSteering program;
    private final Bpf bpf = new Bpf();
    private int passProgram = -1;
    private int passLink = -1;

    @BeforeEach
    void setUp() throws Exception {
        ns = NetnsFixture.create();
        try {
            ns.vethPair("v0", "v1");
            v1Mac = ns.mac("v1");
            flows = FastPathMap.create(16);
            program = XdpSteering.create(16, flows);
            program.steer(Set.of());
            XdpSteering.Port port = program.port("v1");
            assertThat(Netns.call(ns.name, () -> port.attach(Libc.ifIndex("v1"), false))).isEqualTo("native");
            passProgram = bpf.loadProgram(Bpf.PROG_TYPE_XDP,
                new EbpfAssembler().mov(EbpfAssembler.R0, Bpf.XDP_PASS).exit().assemble(), "GPL", "pass");
            passLink = Netns.call(ns.name, () -> bpf.attachXdp(passProgram, Libc.ifIndex("v0"),
                Bpf.XDP_FLAGS_DRV_MODE, "v0"));
        } catch (Exception | Error e) {
            tearDown();
            throw e;
        }
    }

    @AfterEach
    void tearDown() {
        bpf.close(passLink);
        bpf.close(passProgram);
        bpf.close();
        CloseHelper.closeAll(program, flows, ns);
    }

    private static byte[] tcp4(int src, int sport, int dst, int dport, int ttl, int flags) {
        return TestFrames.tcp4(src, sport, dst, dport, ttl, flags, DATA);
    }



    @Test
    void natBothWaysAndDirectRoutingLeaveByXdpTx() throws Exception {
        FastPathEntry e = new FastPathEntry();
        e.key().set(Af.INET, 6, 0, CLIENT, 40000, 0, VIP, 80);
        assertThat(flows.install(e.nat(RS_MAC, v1Mac, 0, 0, CLIENT, 40000, 0, RS, 8080)))
            .isEqualTo(FastPathMap.INSTALLED);
        e.key().set(Af.INET, 6, 0, RS, 8080, 0, CLIENT, 40000);
        assertThat(flows.install(e.nat(CLIENT_MAC, v1Mac, 0, 0, VIP, 80, 0, CLIENT, 40000)))
            .isEqualTo(FastPathMap.INSTALLED);
        e.key().set(Af.INET, 6, 0, CLIENT, 40001, 0, VIP, 80);
        assertThat(flows.install(e.directRoute(RS_MAC, v1Mac, 0))).isEqualTo(FastPathMap.INSTALLED);
        try (AfPacketIo v0 = Netns.call(ns.name, () -> AfPacketIo.open("v0", AfPacketIo.Options.DEFAULT));
             Arena arena = Arena.ofConfined()) {
            VethFrames.send(v0, arena, withMacs(tcp4(CLIENT, 40000, VIP, 80, 64, 0x10), v1Mac, CLIENT_MAC));
            assertThat(VethFrames.receive(v0, RS_MAC, 1, 3000)).containsExactly(HexFormat.of().formatHex(
                withMacs(tcp4(CLIENT, 40000, RS, 8080, 63, 0x10), RS_MAC, v1Mac)));
            VethFrames.send(v0, arena, withMacs(tcp4(RS, 8080, CLIENT, 40000, 64, 0x18), v1Mac, RS_MAC));
            assertThat(VethFrames.receive(v0, CLIENT_MAC, 1, 3000)).containsExactly(HexFormat.of().formatHex(
                withMacs(tcp4(VIP, 80, CLIENT, 40000, 63, 0x18), CLIENT_MAC, v1Mac)));
            VethFrames.send(v0, arena, withMacs(tcp4(CLIENT, 40001, VIP, 80, 64, 0x10), v1Mac, CLIENT_MAC));
            assertThat(VethFrames.receive(v0, RS_MAC, 1, 3000)).containsExactly(HexFormat.of().formatHex(
                withMacs(tcp4(CLIENT, 40001, VIP, 80, 63, 0x10), RS_MAC, v1Mac)));
            // a FIN is UVS's: it goes to the steering part (nothing steered here: the kernel's), not back
            VethFrames.send(v0, arena, withMacs(tcp4(CLIENT, 40001, VIP, 80, 64, 0x11), v1Mac, CLIENT_MAC));
            assertThat(VethFrames.receive(v0, RS_MAC, 1, 300)).isEmpty();
        }
        FastPathKey k = new FastPathKey().set(Af.INET, 6, 0, CLIENT, 40001, 0, VIP, 80);
        assertThat(flows.read(k)).isTrue();
        assertThat(flows.packets()).isEqualTo(1);
        assertThat(flows.bytes()).isEqualTo(20 + 20 + DATA.length);
        k.set(Af.INET, 6, 0, RS, 8080, 0, CLIENT, 40000);
        assertThat(flows.read(k)).isTrue();
        assertThat(flows.packets()).isEqualTo(1);
    }
}
