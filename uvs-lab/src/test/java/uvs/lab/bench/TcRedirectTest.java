package uvs.lab.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import uvs.core.net.IpAddress;
import uvs.net.bpf.Bpf;

/**
 * The bench's tcx reference program, run by the kernel on hand-made frames (BPF_PROG_TEST_RUN; loading needs
 * CAP_BPF, hence root): a frame to the VIP leaves for the next hop with TTL − 1 and a header checksum that is
 * still right; anything else goes on to the kernel untouched.
 */
@Tag("root")
class TcRedirectTest {
    private static final long NEXT_HOP = 0x02_00_00_00_01_0bL;
    private static final long SOURCE = 0x02_00_00_00_00_02L;
    private static final long SENDER = 0x02_00_00_00_00_fdL;
    private static final int CLIENT = 0x0a640002;
    private static final int VIP = 0x0a640264;

    @Test
    void sendsTheVipsFramesToTheNextHopAndLeavesTheRest() {
        try (TcRedirect tc = new TcRedirect(IpAddress.v4(VIP), NEXT_HOP, SOURCE); Bpf bpf = new Bpf()) {
            byte[] toVip = UdpFrame.build(SOURCE, SENDER, CLIENT, VIP, 40000, 9999, UdpFrame.MIN_LENGTH);
            Bpf.TestRun run = bpf.testRunFrame(tc.program(), toVip);
            assertThat(run.verdict()).isEqualTo(Bpf.TC_ACT_REDIRECT);
            byte[] out = run.frame();
            assertThat(Arrays.copyOfRange(out, 0, 6)).isEqualTo(mac(NEXT_HOP));
            assertThat(Arrays.copyOfRange(out, 6, 12)).isEqualTo(mac(SOURCE));
            assertThat(out[22] & 0xff).as("TTL").isEqualTo((toVip[22] & 0xff) - 1);
            assertThat(headerSum(out)).as("IPv4 header checksum").isEqualTo(0xffff);
            assertThat(out[23]).as("protocol").isEqualTo(toVip[23]);
            assertThat(Arrays.copyOfRange(out, 26, out.length)).as("addresses and the datagram")
                .isEqualTo(Arrays.copyOfRange(toVip, 26, toVip.length));
            assertThat(tc.packets()).isEqualTo(1);

            byte[] elsewhere = UdpFrame.build(SOURCE, SENDER, CLIENT, VIP + 1, 40000, 9999, UdpFrame.MIN_LENGTH);
            Bpf.TestRun other = bpf.testRunFrame(tc.program(), elsewhere);
            assertThat(other.verdict()).isEqualTo(Bpf.TC_ACT_OK);
            assertThat(other.frame()).isEqualTo(elsewhere);

            byte[] lastHop = toVip.clone();
            lastHop[22] = 1; // TTL 1: the kernel answers time exceeded
            assertThat(bpf.testRunFrame(tc.program(), lastHop).verdict()).isEqualTo(Bpf.TC_ACT_OK);
            assertThat(tc.packets()).isEqualTo(1);
        }
    }

    private static byte[] mac(long m) {
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) {
            b[i] = (byte) (m >>> (40 - 8 * i));
        }
        return b;
    }

    /** One's-complement sum of the IPv4 header words, checksum included: 0xffff when it is right. */
    private static int headerSum(byte[] f) {
        int sum = 0;
        for (int i = 14; i < 34; i += 2) {
            sum += (f[i] & 0xff) << 8 | (f[i + 1] & 0xff);
        }
        while (sum > 0xffff) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return sum;
    }
}
