package uvs.net.io;

import static org.assertj.core.api.Assertions.assertThat;
import static uvs.net.packet.TestFrames.withMacs;

import java.lang.foreign.Arena;
import java.util.HexFormat;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import uvs.core.net.Af;
import uvs.net.bpf.Bpf;
import uvs.net.bpf.EbpfAssembler;
import uvs.net.bpf.FastPathEntry;
import uvs.net.bpf.FastPathMap;
import uvs.net.bpf.TcFastPath;
import uvs.net.packet.TestFrames;
import uvs.net.sys.Libc;
import uvs.net.sys.NetnsFixture;
import uvs.net.sys.Netns;

/**
 * The fast path at tcx on a veth (root): veth pair v0/v1 in a private namespace, the TC program on v1's ingress.
 * A frame of an installed flow sent from v0 comes straight back to v0, rewritten, with no XDP program anywhere;
 * a packet socket on v1 bound to IPv4 (as UVS's ports would be) never sees it, while a frame the fast path
 * leaves to UVS (a FIN) reaches that socket and does not come back.
 */
@Tag("root")
class TcFastPathVethTest {
    private static final int VIP = 0x0a000064;
    private static final int RS = 0x0a010002;
    private static final int CLIENT = 0x0a000001;
    private static final long RS_MAC = 0x02_00_00_00_01_02L;
    private static final long CLIENT_MAC = 0x02_00_00_00_00_01L;
    private static final int ETH_P_IP = 0x0800;
    private static final byte[] DATA = new byte[100];
    private static final int TC_ACT_SHOT = 2;

    private NetnsFixture ns;
    private long v1Mac;
    private FastPathMap flows;
    private TcFastPath tc;

    @BeforeEach
    void setUp() throws Exception {
        ns = NetnsFixture.create();
        try {
            ns.vethPair("v0", "v1");
            v1Mac = ns.mac("v1");
            flows = FastPathMap.create(16);
            tc = TcFastPath.create(flows);
            Netns.call(ns.name, () -> {
                tc.attach("v1");
                return null;
            });
        } catch (Exception | Error e) {
            tearDown();
            throw e;
        }
    }

    @AfterEach
    void tearDown() {
        CloseHelper.closeAll(tc, flows, ns);
    }

    @Test
    void installedFlowsLeaveFromTcAndOnlyTheRestReachUvs() throws Exception {
        FastPathEntry e = new FastPathEntry();
        e.key().set(Af.INET, 6, 0, CLIENT, 40000, 0, VIP, 80);
        assertThat(flows.install(e.nat(RS_MAC, v1Mac, 0, 0, CLIENT, 40000, 0, RS, 8080)))
            .isEqualTo(FastPathMap.INSTALLED);
        try (AfPacketIo v0 = Netns.call(ns.name, () -> AfPacketIo.open("v0", AfPacketIo.Options.DEFAULT));
             AfPacketIo uvs = Netns.call(ns.name, () -> AfPacketIo.open("v1",
                 AfPacketIo.Options.DEFAULT.withProtocol(ETH_P_IP)));
             Arena arena = Arena.ofConfined()) {
            VethFrames.send(v0, arena,
                withMacs(TestFrames.tcp4(CLIENT, 40000, VIP, 80, 64, 0x10, DATA), v1Mac, CLIENT_MAC));
            assertThat(VethFrames.receive(v0, RS_MAC, 1, 3000)).containsExactly(HexFormat.of().formatHex(
                withMacs(TestFrames.tcp4(CLIENT, 40000, RS, 8080, 63, 0x10, DATA), RS_MAC, v1Mac)));
            assertThat(VethFrames.receive(uvs, v1Mac, 1, 300)).as("UVS's IPv4 socket on v1").isEmpty();

            byte[] fin = withMacs(TestFrames.tcp4(CLIENT, 40000, VIP, 80, 64, 0x11, DATA), v1Mac, CLIENT_MAC);
            VethFrames.send(v0, arena, fin);
            assertThat(VethFrames.receive(uvs, v1Mac, 1, 3000)).containsExactly(HexFormat.of().formatHex(fin));
            assertThat(VethFrames.receive(v0, RS_MAC, 1, 300)).isEmpty();
        }
        assertThat(flows.read(e.key())).isTrue();
        assertThat(flows.packets()).isEqualTo(1);
        assertThat(flows.bytes()).isEqualTo(20 + 20 + DATA.length);
    }

    @Test
    void framesTheFastPathLeavesGoOnToTheTcxProgramsAfterIt() throws Exception {
        // a program attached after UVS's that drops everything: a frame UVS's program left must reach it
        try (Bpf bpf = new Bpf(); Arena arena = Arena.ofConfined()) {
            int drop = bpf.loadProgram(Bpf.PROG_TYPE_SCHED_CLS,
                new EbpfAssembler().mov(EbpfAssembler.R0, TC_ACT_SHOT).exit().assemble(), "GPL", "uvs_test_drop");
            int link = Netns.call(ns.name, () -> bpf.attachTcxIngress(drop, Libc.ifIndex("v1"), "v1"));
            try (AfPacketIo v0 = Netns.call(ns.name, () -> AfPacketIo.open("v0", AfPacketIo.Options.DEFAULT));
                 AfPacketIo uvs = Netns.call(ns.name, () -> AfPacketIo.open("v1",
                     AfPacketIo.Options.DEFAULT.withProtocol(ETH_P_IP)))) {
                VethFrames.send(v0, arena,
                    withMacs(TestFrames.tcp4(CLIENT, 40000, VIP, 80, 64, 0x11, DATA), v1Mac, CLIENT_MAC));
                assertThat(VethFrames.receive(uvs, v1Mac, 1, 500)).as("dropped by the program after UVS's").isEmpty();
            } finally {
                bpf.close(link);
                bpf.close(drop);
            }
        }
    }
}
