package uvs.net.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import uvs.core.net.IpAddress;

class LinkInfoTest {
    @Test
    void shouldParseIfInet6ForOneInterface() {
        String text = """
                00000000000000000000000000000001 01 80 10 80       lo
                20010db8000000000000000000000007 02 40 00 80     eth0
                fe800000000000000000000000000007 02 40 20 80     eth0
                """;
        // prefix lengths are hex: 0x40 = 64
        assertThat(LinkInfo.parseIfInet6(text, "eth0")).containsExactly(
                new LinkInfo.Address(IpAddress.parse("2001:db8::7"), 64),
                new LinkInfo.Address(IpAddress.parse("fe80::7"), 64));
        assertThat(LinkInfo.parseIfInet6(text, "lo")).containsExactly(
                new LinkInfo.Address(IpAddress.parse("::1"), 128));
    }

    @Test
    void shouldNameMalformedIfInet6Line() {
        assertThatThrownBy(() -> LinkInfo.parseIfInet6("xyz 01\n", "lo")).hasMessageContaining("'xyz 01'");
    }

    @Test
    void shouldDescribeLoopback() {
        LinkInfo lo = LinkInfo.of("lo");
        assertThat(lo.ifindex()).isEqualTo(Libc.ifIndex("lo"));
        assertThat(lo.mac()).isZero();
        assertThat(lo.mtu()).isPositive();
        assertThat(lo.ipv4()).contains(new LinkInfo.Address(IpAddress.parse("127.0.0.1"), 8));
    }

    @Test
    void shouldRejectUnknownInterface() {
        assertThatThrownBy(() -> LinkInfo.of("uvs-nosuch0")).hasMessageStartingWith("no network interface uvs-nosuch0");
    }
}
