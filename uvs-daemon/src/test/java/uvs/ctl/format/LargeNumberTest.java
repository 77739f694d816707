package uvs.ctl.format;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LargeNumberTest {
    private static String fmt(long v, boolean exact) {
        return LargeNumber.append(new StringBuilder(), v, exact).toString();
    }

    @Test
    void shouldPrintNumbersBelowHundredMillionInNineColumns() {
        // %9llu
        assertThat(fmt(0, false)).isEqualTo("        0");
        assertThat(fmt(99_999_999L, false)).isEqualTo(" 99999999");
    }

    @Test
    void shouldScaleToThousandsFromHundredMillion() {
        // %8lluK of v / 1000: 100000 and 999999 right-aligned in 8, then K
        assertThat(fmt(100_000_000L, false)).isEqualTo("  100000K");
        assertThat(fmt(999_999_999L, false)).isEqualTo("  999999K");
        assertThat(fmt(123_456_789L, false)).isEqualTo("  123456K");
    }

    @Test
    void shouldScaleToMillionsFromOneBillion() {
        // %8lluM of v / 10^6: 1000 and 99999
        assertThat(fmt(1_000_000_000L, false)).isEqualTo("    1000M");
        assertThat(fmt(99_999_999_999L, false)).isEqualTo("   99999M");
    }

    @Test
    void shouldScaleToBillionsFromHundredBillion() {
        // %8lluG of v / 10^9: 100 and 99999
        assertThat(fmt(100_000_000_000L, false)).isEqualTo("     100G");
        assertThat(fmt(99_999_999_999_999L, false)).isEqualTo("   99999G");
    }

    @Test
    void shouldScaleToTrillionsFromHundredTrillion() {
        // %8lluT of v / 10^12: 100; 2^64-1 / 10^12 = 18446744 (eight digits, no padding)
        assertThat(fmt(100_000_000_000_000L, false)).isEqualTo("     100T");
        assertThat(fmt(-1L, false)).isEqualTo("18446744T");
    }

    @Test
    void shouldPrintExactNumbersInNineColumnsOrLengthPlusOne() {
        // %*llu with width 9 for up to 8 digits, else len + 1
        assertThat(fmt(5, true)).isEqualTo("        5");
        assertThat(fmt(12_345_678L, true)).isEqualTo(" 12345678");
        assertThat(fmt(123_456_789L, true)).isEqualTo(" 123456789");
        assertThat(fmt(100_000_000_000_000L, true)).isEqualTo(" 100000000000000");
        assertThat(fmt(-1L, true)).isEqualTo(" 18446744073709551615");
    }
}
