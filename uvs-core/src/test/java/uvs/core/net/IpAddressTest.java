package uvs.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IpAddressTest {
    @Test
    void shouldParseAndFormatIpv4() {
        IpAddress a = IpAddress.parse("10.1.2.3");
        assertThat(a.v4()).isEqualTo(0x0a010203);
        assertThat(a.toString()).isEqualTo("10.1.2.3");
        assertThat(a.fold()).isEqualTo(0x0a010203);
    }

    @Test
    void shouldFormatIpv6AsInetNtop() {
        assertThat(IpAddress.parse("2001:db8:0:0:0:0:0:1").toString()).isEqualTo("2001:db8::1");
        assertThat(IpAddress.parse("[::1]").toString()).isEqualTo("::1");
        assertThat(IpAddress.parse("2001:db8:0:1:0:0:0:0").toString()).isEqualTo("2001:db8:0:1::");
        assertThat(IpAddress.parse("::ffff:10.0.0.1").toString()).isEqualTo("::ffff:10.0.0.1");
        assertThat(IpAddress.parse("1:0:1:0:1:0:1:0").toString()).isEqualTo("1:0:1:0:1:0:1:0");
    }

    @Test
    void shouldFoldIpv6AsXorOfWords() {
        IpAddress a = IpAddress.parse("2001:db8::1");
        assertThat(a.fold()).isEqualTo(0x20010db8 ^ 1);
    }

    @Test
    void shouldRejectNames() {
        assertThatThrownBy(() -> IpAddress.parse("www.example.com")).hasMessageContaining("invalid address");
        assertThatThrownBy(() -> IpAddress.parse("10.0.0.256")).hasMessageContaining("invalid address");
    }

    @Test
    void withAPortIPv6GoesInBrackets() {
        assertThat(IpAddress.parse("10.2.2.1").withPort(80)).isEqualTo("10.2.2.1:80");
        assertThat(IpAddress.parse("2001:db8::1").withPort(0)).isEqualTo("[2001:db8::1]:0");
        assertThat(IpAddress.parse("::ffff:10.0.0.1").withPort(65535)).isEqualTo("[::ffff:10.0.0.1]:65535");
    }
}
