package uvs.ctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import uvs.core.net.IpAddress;

class InetTextTest {

    // inet_aton: parts are C integers (0x = hex, leading 0 = octal), the last fills the remaining bytes
    @ParameterizedTest
    @CsvSource({
        "10.0.0.1, 167772161",            // 0x0a000001
        "10.1, 167772161",                // 10 . 24-bit 1
        "10.1.2, 167837698",              // 10.1 . 16-bit 2 = 0x0a010002
        "0x0a000001, 167772161",
        "012.0.0.1, 167772161",           // octal 012 = 10
        "0x7f.1, 2130706433",             // 0x7f000001
        "4294967295, 4294967295",
        "24, 24",                         // 0.0.0.24
        "'1.2.3.4 junk', 16909060",       // text after a space is ignored
    })
    void shouldReadInetAtonForms(String text, long expected) {
        assertThat(InetText.inetAton(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"1.2.3.256", "256.1.1.1", "4294967296", "1.2.3.4.5", "09.1.1.1", "''", "a.b.c.d", "1..2",
        "1.2.3.", "0x", "1.2.3.4x", "1.65536.1", "-1", "' 1.2.3.4'"})
    void shouldRejectWhatInetAtonRejects(String text) {
        assertThat(InetText.inetAton(text)).isEqualTo(-1);
    }

    @Test
    void shouldReadOnlyStrictDottedQuadsWithInetPton4() {
        assertThat(InetText.inetPton4("224.0.0.81")).isEqualTo(0xe000_0051L);
        assertThat(InetText.inetPton4("0.0.0.0")).isZero();
        assertThat(InetText.inetPton4("01.2.3.4")).isEqualTo(-1);
        assertThat(InetText.inetPton4("1.2.3")).isEqualTo(-1);
        assertThat(InetText.inetPton4("1.2.3.4.")).isEqualTo(-1);
        assertThat(InetText.inetPton4("1.2.3.256")).isEqualTo(-1);
        assertThat(InetText.inetPton4("0x1.2.3.4")).isEqualTo(-1);
    }

    @Test
    void shouldReadIpv6LikeInetPton6() {
        assertThat(InetText.inetPton6("::1")).isEqualTo(IpAddress.v6(0, 1));
        assertThat(InetText.inetPton6("::")).isEqualTo(IpAddress.v6(0, 0));
        assertThat(InetText.inetPton6("2001:db8::1")).isEqualTo(IpAddress.v6(0x2001_0db8_0000_0000L, 1));
        assertThat(InetText.inetPton6("1:2:3:4:5:6:7:8"))
            .isEqualTo(IpAddress.v6(0x0001_0002_0003_0004L, 0x0005_0006_0007_0008L));
        // a trailing "::" stands for the one missing group
        assertThat(InetText.inetPton6("1:2:3:4:5:6:7::"))
            .isEqualTo(IpAddress.v6(0x0001_0002_0003_0004L, 0x0005_0006_0007_0000L));
        assertThat(InetText.inetPton6("::ffff:1.2.3.4")).isEqualTo(IpAddress.v6(0, 0xffff_0102_0304L));
        assertThat(InetText.inetPton6("FF02::1")).isEqualTo(IpAddress.v6(0xff02_0000_0000_0000L, 1));
    }

    @ParameterizedTest
    @CsvSource({"1::2::3", "12345::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7:8::", ":1", "1:", "''", "1.2.3.4",
        "::1.2.3", "g::1", "::1%eth0", "[::1]"})
    void shouldRejectWhatInetPton6Rejects(String text) {
        assertThat(InetText.inetPton6(text)).isNull();
    }

    @Test
    void shouldConvertNumbersLikeStringToNumber() {
        assertThat(InetText.stringToNumber(" 42", 0, 100)).isEqualTo(42);
        assertThat(InetText.stringToNumber("+7", 0, 100)).isEqualTo(7);
        assertThat(InetText.stringToNumber("-0", 0, 100)).isZero();
        assertThat(InetText.stringToNumber("42x", 0, 100)).isEqualTo(-1);
        assertThat(InetText.stringToNumber("42 ", 0, 100)).isEqualTo(-1);
        assertThat(InetText.stringToNumber("", 0, 100)).isEqualTo(-1);
        assertThat(InetText.stringToNumber("+", 0, 100)).isEqualTo(-1);
        assertThat(InetText.stringToNumber("101", 0, 100)).isEqualTo(-1);
        assertThat(InetText.stringToNumber("-1", 0, 100)).isEqualTo(-1);
        assertThat(InetText.stringToNumber("2147483647", 0, Integer.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
        assertThat(InetText.stringToNumber("99999999999999999999", 0, Integer.MAX_VALUE)).isEqualTo(-1);
    }

    @Test
    void shouldSaturateStrtolOnOverflow() {
        assertThat(InetText.strtol("9223372036854775807").value()).isEqualTo(Long.MAX_VALUE);
        assertThat(InetText.strtol("9223372036854775807").overflow()).isFalse();
        assertThat(InetText.strtol("9223372036854775808").overflow()).isTrue();
        assertThat(InetText.strtol("-9223372036854775808").value()).isEqualTo(Long.MIN_VALUE);
        assertThat(InetText.strtol("-9223372036854775808").overflow()).isFalse();
        assertThat(InetText.strtol("-9223372036854775809").value()).isEqualTo(Long.MIN_VALUE);
        assertThat(InetText.strtol("-9223372036854775809").overflow()).isTrue();
        assertThat(InetText.strtol("x").end()).isZero();
    }

    @Test
    void shouldTruncateLikeAtoi() {
        assertThat(InetText.atoi("64abc")).isEqualTo(64);
        assertThat(InetText.atoi(" -3")).isEqualTo(-3);
        assertThat(InetText.atoi("abc")).isZero();
        // strtol gives 2^32 + 64, the int cast keeps the low 32 bits
        assertThat(InetText.atoi("4294967360")).isEqualTo(64);
    }

    @Test
    void shouldAcceptFwmarksFromOneToUintMax() {
        assertThat(InetText.parseFwmark("1")).isEqualTo(1);
        assertThat(InetText.parseFwmark("4294967295")).isEqualTo(4_294_967_295L);
        assertThat(InetText.parseFwmark("0")).isEqualTo(-1);
        assertThat(InetText.parseFwmark("-1")).isEqualTo(-1);
        assertThat(InetText.parseFwmark("4294967296")).isEqualTo(-1);
        assertThat(InetText.parseFwmark("1x")).isEqualTo(-1);
        assertThat(InetText.parseFwmark("")).isEqualTo(-1);
    }

    @Test
    void shouldTreatOnlyAsciiDigitsAsDigits() {
        assertThat(InetText.isAllDigits("")).isTrue();
        assertThat(InetText.isAllDigits("8080")).isTrue();
        assertThat(InetText.isAllDigits("\u0661")).isFalse();
        assertThat(InetText.stringToNumber("\u0661", 0, 9)).isEqualTo(-1);
    }
}
