package uvs.core.sched;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import uvs.core.PacketHeader;
import uvs.core.net.IpProto;

class HashFunctionsTest {
    @Test
    void shouldTakeTopBitsOfGoldenRatioProduct() {
        // 1 · 0x61C88647 = 0x61C88647: top 8 bits 0x61 = 97, top 10 bits 0x187 = 391, all 32 bits itself
        assertThat(HashFunctions.hash32(1, 8)).isEqualTo(97);
        assertThat(HashFunctions.hash32(1, 10)).isEqualTo(391);
        assertThat(HashFunctions.hash32(1, 32)).isEqualTo(0x61C88647);
        // 3 · 0x61C88647 = 0x1255992D5 → mod 2^32 0x255992D5 → 0x25 = 37
        assertThat(HashFunctions.hash32(3, 8)).isEqualTo(37);
        // 0x7CC102F1 (203.0.113.7 · G mod 2^32) → 0x7C = 124
        assertThat(HashFunctions.hash32(0xCB007107, 8)).isEqualTo(124);
        assertThat(HashFunctions.hash32(0, 8)).isZero();
        // the result is unsigned: 0xC3910C8E → 0xC3 = 195, not negative
        assertThat(HashFunctions.hash32(2, 8)).isEqualTo(195);
    }

    @Test
    void shouldRejectBitsOutOfRange() {
        assertThatThrownBy(() -> HashFunctions.hash32(1, 0)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("bits");
        assertThatThrownBy(() -> HashFunctions.hash32(1, 33)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldTakePortOnlyFromTcpUdpSctp() {
        PacketHeader p = new PacketHeader();
        assertThat(HashFunctions.sourcePort(p.ipv4(IpProto.TCP, 1, 1000, 2, 80))).isEqualTo(1000);
        assertThat(HashFunctions.sourcePort(p.ipv4(IpProto.UDP, 1, 1001, 2, 80))).isEqualTo(1001);
        assertThat(HashFunctions.sourcePort(p.ipv4(IpProto.SCTP, 1, 1002, 2, 80))).isEqualTo(1002);
        assertThat(HashFunctions.sourcePort(p.ipv4(IpProto.ICMP, 1, 1003, 2, 80))).isZero();
    }

    @Test
    void shouldFoldAddressesOfBothFamilies() {
        PacketHeader p = new PacketHeader().ipv4(IpProto.TCP, 0xCB007107, 1, 0xC000020A, 80);
        assertThat(HashFunctions.sourceFold(p)).isEqualTo(0xCB007107);
        assertThat(HashFunctions.destinationFold(p)).isEqualTo(0xC000020A);
        p.ipv6(IpProto.TCP, 0x2001_0db8_0000_0001L, 0x0000_0002_0000_0003L, 1, 0x1L, 0x2L, 80);
        assertThat(HashFunctions.sourceFold(p)).isEqualTo(0x20010db8 ^ 1 ^ 2 ^ 3);
        assertThat(HashFunctions.destinationFold(p)).isEqualTo(1 ^ 2);
    }

    @Test
    void shouldComputeGcd() {
        assertThat(HashFunctions.gcd(12, 18)).isEqualTo(6);
        assertThat(HashFunctions.gcd(7, 5)).isEqualTo(1);
        assertThat(HashFunctions.gcd(4, 4)).isEqualTo(4);
    }
}
