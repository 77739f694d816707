package uvs.lab.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import uvs.net.packet.Ethernet;

class DataplaneBenchTest {
    @Test
    void shouldSpreadNftablesDnatOverTheThreeRealServers() {
        assertThat(DataplaneBench.nftRuleset())
            .contains("type nat hook prerouting priority dstnat;")
            .contains("ip daddr 10.100.2.100 udp dport 9999 dnat to numgen inc mod 3 map "
                + "{ 0 : 10.100.1.11, 1 : 10.100.1.12, 2 : 10.100.1.13 }")
            .contains("ip daddr 10.100.2.100 tcp dport 9100 dnat to numgen inc mod 3 map");
    }

    @Test
    void shouldWriteUvsRulesForDirectRoutingAndNat() {
        assertThat(DataplaneBench.uvsRules(false)).startsWith("-A -u 10.100.2.100:9999 -s rr\n"
            + "-a -u 10.100.2.100:9999 -r 10.100.1.11:9999 -g -w 1\n").contains("-A -t 10.100.2.100:9100 -s rr\n")
            .doesNotContain(" -m ");
        assertThat(DataplaneBench.uvsRules(true)).contains("-a -t 10.100.2.100:9100 -r 10.100.1.13:9100 -m -w 1\n")
            .doesNotContain(" -g ");
    }

    @Test
    void shouldPrintMacWithLeadingZeros() {
        assertThat(Ethernet.macText(0x0a_00_0b_0c_0d_01L)).isEqualTo("0a:00:0b:0c:0d:01");
    }
}
