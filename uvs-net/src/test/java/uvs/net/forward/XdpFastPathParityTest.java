package uvs.net.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.HexFormat;
import java.util.Set;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import uvs.core.Decision;
import uvs.core.PacketHeader;
import uvs.net.bpf.Bpf;
import uvs.net.bpf.FastPathEntry;
import uvs.net.bpf.FastPathMap;
import uvs.net.bpf.TcFastPath;
import uvs.net.bpf.XdpSteering;
import uvs.net.packet.Frame;
import uvs.net.packet.FrameParser;
import uvs.net.packet.TestFrames;
import uvs.net.sys.Capabilities;

/**
 * The XDP fast path and UVS's own transmitters give the same bytes for the same packet: seeded random TCP and UDP
 * frames over IPv4 and IPv6 go once through {@link NatXmit} / {@link DirectRouteXmit} (with the MACs the data
 * plane then writes) and once through the XDP program with the matching flow entry (BPF_PROG_TEST_RUN).
 */
@Tag("root")
class XdpFastPathParityTest {
    private static final long RS_MAC = 0x02_00_00_00_01_02L;
    private static final long DIRECTOR_MAC = 0x02_00_00_00_00_64L;

    private static FastPathMap flows;
    private static XdpSteering program;
    private static TcFastPath tc;

    @BeforeAll
    static void load() {
        assumeTrue(Capabilities.current().has(Capabilities.CAP_SYS_ADMIN),
            "skipped: loading BPF programs needs root (CAP_SYS_ADMIN)");
        flows = FastPathMap.create(16);
        program = XdpSteering.create(16, flows);
        program.steer(Set.of());
        tc = TcFastPath.create(flows);
    }

    @AfterAll
    static void close() {
        if (tc != null) {
            tc.close();
        }
        if (program != null) {
            program.close();
        }
        if (flows != null) {
            flows.close();
        }
    }

    @Test
    void sameBytesAsUvsForwarding() {
        long seed = 0xfa57_9a7bL;
        RandomGenerator rnd = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
        Frame f = new Frame();
        PacketHeader h = new PacketHeader();
        Decision d = new Decision();
        FastPathEntry e = new FastPathEntry();
        for (int round = 0; round < 600; round++) {
            int proto = rnd.nextBoolean() ? 6 : 17;
            boolean six = rnd.nextBoolean();
            byte[] frame = NatXmitTest.randomFrame(rnd, proto, six, false);
            String why = "seed " + Long.toHexString(seed) + " round " + round + " proto " + proto + (six ? " v6" : "");
            byte[] uvs = frame.clone();
            UnsafeBuffer b = new UnsafeBuffer(uvs);
            assertThat(FrameParser.parse(b, uvs.length, f, h)).as(why).isEqualTo(Frame.IP);
            e.key().set(h.af, proto, h.srcHi, h.srcLo, h.srcPort, h.dstHi, h.dstLo, h.dstPort);
            d.clear();
            d.daddrHi = six ? rnd.nextLong() : 0;
            d.daddrLo = six ? rnd.nextLong() : rnd.nextInt() & 0xffff_ffffL;
            d.dport = rnd.nextInt(0x10000);
            d.vaddrHi = d.daddrHi;
            d.vaddrLo = d.daddrLo;
            d.vport = d.dport;
            int kind = rnd.nextInt(3);
            int rc;
            if (kind == 0) {
                rc = DirectRouteXmit.decrementTtl(b, f);
                e.directRoute(RS_MAC, DIRECTOR_MAC, 0);
            } else if (kind == 1) {
                rc = NatXmit.dnat(b, f, d);
                e.nat(RS_MAC, DIRECTOR_MAC, 0, h.srcHi, h.srcLo, h.srcPort, d.daddrHi, d.daddrLo, d.dport);
            } else {
                rc = NatXmit.snat(b, f, d);
                e.nat(RS_MAC, DIRECTOR_MAC, 0, d.vaddrHi, d.vaddrLo, d.vport, h.dstHi, h.dstLo, h.dstPort);
            }
            assertThat(rc).as(why).isEqualTo(XmitResult.OK);
            uvs = TestFrames.withMacs(uvs, RS_MAC, DIRECTOR_MAC);
            assertThat(flows.install(e)).as(why).isEqualTo(FastPathMap.INSTALLED);
            Bpf.TestRun run = program.testRun(frame);
            Bpf.TestRun atTc = tc.testRun(frame);
            assertThat(flows.remove(e.key())).as(why).isTrue();
            assertThat(run.verdict()).as(why).isEqualTo(Bpf.XDP_TX);
            assertThat(HexFormat.of().formatHex(run.frame())).as(why).isEqualTo(HexFormat.of().formatHex(uvs));
            assertThat(atTc.verdict()).as("tcx: " + why).isEqualTo(Bpf.TC_ACT_REDIRECT);
            assertThat(HexFormat.of().formatHex(atTc.frame())).as("tcx: " + why)
                .isEqualTo(HexFormat.of().formatHex(uvs));
        }
    }
}
