package uvs.core.proto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import uvs.core.net.IpProto;

class ProtocolTimeoutsTest {
    private final ProtocolTimeouts timeouts = new ProtocolTimeouts();

    @Test
    void shouldStartWithSpecTcpDefaults() {
        // spec §5.1 seconds × HZ 250: NONE 2, ES 900, SS 120, SR 60, FW 120, TW 120, CL 10, CW 60, LA 30,
        // LI 120, SA 120
        int[] expected = {500, 225_000, 30_000, 15_000, 30_000, 30_000, 2_500, 15_000, 7_500, 30_000, 30_000};
        for (int s = 0; s < expected.length; s++) {
            assertThat(timeouts.timeout(IpProto.TCP, s)).as("TCP state %d", s).isEqualTo(expected[s]);
        }
    }

    @Test
    void shouldStartWithSpecSctpDefaults() {
        // spec §5.5 seconds × 250: NONE 2, INIT1 4, INIT..C-ECHOED 61, ES 900, S-* 61, REJECTED 4, CLOSED 61
        int[] expected = {500, 1_000, 15_250, 15_250, 15_250, 15_250, 15_250, 15_250, 225_000, 15_250, 15_250,
            15_250, 1_000, 15_250};
        for (int s = 0; s < expected.length; s++) {
            assertThat(timeouts.timeout(IpProto.SCTP, s)).as("SCTP state %d", s).isEqualTo(expected[s]);
        }
    }

    @Test
    void shouldStartWithSpecUdpDefault() {
        // spec §5.4: 300 s × 250
        assertThat(timeouts.timeout(IpProto.UDP, 0)).isEqualTo(75_000);
    }

    @Test
    void shouldReportDefaultsAsIpvsadmTimeoutListing() {
        // spec §5.7: "Timeout (tcp tcpfin udp): 900 120 300"
        assertThat(timeouts.tcpTcpfinUdpSeconds()).containsExactly(900, 120, 300);
    }

    @Test
    void shouldSetEstablishedFinWaitAndUdpTimeouts() {
        timeouts.setTcpTcpfinUdp(1000, 30, 60);

        assertThat(timeouts.tcpTcpfinUdpSeconds()).containsExactly(1000, 30, 60);
        assertThat(timeouts.timeout(IpProto.TCP, TcpState.ESTABLISHED)).isEqualTo(250_000);
        assertThat(timeouts.timeout(IpProto.TCP, TcpState.FIN_WAIT)).isEqualTo(7_500);
        assertThat(timeouts.timeout(IpProto.UDP, 0)).isEqualTo(15_000);
        // the other states are not settable (§5.7) and keep their defaults
        assertThat(timeouts.timeout(IpProto.TCP, TcpState.TIME_WAIT)).isEqualTo(30_000);
        assertThat(timeouts.timeout(IpProto.TCP, TcpState.CLOSE)).isEqualTo(2_500);
        assertThat(timeouts.timeout(IpProto.SCTP, SctpState.ESTABLISHED)).isEqualTo(225_000);
    }

    @Test
    void shouldLeaveValueUnchangedWhenZero() {
        timeouts.setTcpTcpfinUdp(0, 0, 0);
        assertThat(timeouts.tcpTcpfinUdpSeconds()).containsExactly(900, 120, 300);

        timeouts.setTcpTcpfinUdp(0, 45, 0);
        assertThat(timeouts.tcpTcpfinUdpSeconds()).containsExactly(900, 45, 300);

        timeouts.setTcpTcpfinUdp(7, 0, 0);
        timeouts.setTcpTcpfinUdp(0, 0, 9);
        assertThat(timeouts.tcpTcpfinUdpSeconds()).containsExactly(7, 45, 9);
    }

    @Test
    void shouldAcceptThirtyOneDays() {
        // ipvsadm's limit: 31 × 86400 = 2678400 s = 669600000 jiffies
        timeouts.setTcpTcpfinUdp(2_678_400, 2_678_400, 2_678_400);

        assertThat(timeouts.tcpTcpfinUdpSeconds()).containsExactly(2_678_400, 2_678_400, 2_678_400);
        assertThat(timeouts.timeout(IpProto.TCP, TcpState.ESTABLISHED)).isEqualTo(669_600_000);
    }

    @ParameterizedTest(name = "--set {0} {1} {2}")
    @CsvSource({
        "2678401, 0, 0, tcp",
        "-1, 0, 0, tcp",
        "0, 2678401, 0, tcpfin",
        "10, -5, 20, tcpfin",
        "10, 20, 2678401, udp",
        "10, 20, -1, udp",
        "2147483647, 20, 30, tcp",
    })
    void shouldRefuseOutOfRangeValueAndChangeNothing(int tcp, int tcpfin, int udp, String culprit) {
        assertThatThrownBy(() -> timeouts.setTcpTcpfinUdp(tcp, tcpfin, udp))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith(culprit + " timeout ")
            .hasMessageContaining("0..2678400");

        assertThat(timeouts.tcpTcpfinUdpSeconds()).containsExactly(900, 120, 300);
    }

    @Test
    void shouldKeepEachEngineInstanceSeparate() {
        ProtocolTimeouts other = new ProtocolTimeouts();

        timeouts.setTcpTcpfinUdp(1, 2, 3);

        assertThat(other.tcpTcpfinUdpSeconds()).containsExactly(900, 120, 300);
    }

    @Test
    void shouldRefuseProtocolWithoutTable() {
        assertThatThrownBy(() -> timeouts.timeout(IpProto.ICMP, 0))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("protocol 1");
    }
}
