package uvs.ctl.importer;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import uvs.core.net.IpAddress;

/** Strict parsers for the values of imported files; each answers null or -1 for text it refuses. */
final class ConfValues {
    private static final BigDecimal NANOS_PER_SECOND = BigDecimal.valueOf(1_000_000_000L);
    private static final int TIMER_DECIMALS = 6;

    private ConfValues() {
    }

    /** A numeric IPv4 (dotted quad) or IPv6 address, or null; names are never resolved. */
    static IpAddress address(String text) {
        if (text.isEmpty() || text.startsWith("[") || text.indexOf('%') >= 0) {
            return null;
        }
        try {
            return IpAddress.parse(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** A decimal number of at most 10 digits in min..max, or -1. */
    static long number(String text, long min, long max) {
        if (text.isEmpty() || text.length() > 10) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v >= min && v <= max ? v : -1;
    }

    /** A port 0..65535, or -1. */
    static int port(String text) {
        return (int) number(text, 0, 65_535);
    }

    /** keepalived's BOOL (on|off|true|false|yes|no), or null. */
    static Boolean bool(String text) {
        return switch (text) {
            case "on", "true", "yes" -> Boolean.TRUE;
            case "off", "false", "no" -> Boolean.FALSE;
            default -> null;
        };
    }

    /** keepalived's TIMER: seconds with up to 6 decimals (microsecond resolution), or null. */
    static Duration timer(String text) {
        if (text.isEmpty() || !text.matches("[0-9]{1,9}(\\.[0-9]*)?")) {
            return null;
        }
        BigDecimal seconds = new BigDecimal(text);
        if (seconds.scale() > TIMER_DECIMALS) {
            seconds = seconds.setScale(TIMER_DECIMALS, RoundingMode.DOWN);
        }
        return Duration.ofNanos(seconds.multiply(NANOS_PER_SECOND).longValueExact());
    }

    /** An IPv4 netmask whose ones are contiguous ("solid"), as a 32-bit value, or -1. */
    static long solidNetmask(String text) {
        IpAddress a = address(text);
        if (a == null || a.isV6()) {
            return -1;
        }
        int m = a.v4();
        // a solid mask inverted is one less than a power of two
        int inv = ~m;
        return (inv & (inv + 1)) == 0 ? Integer.toUnsignedLong(m) : -1;
    }

    /** Seconds as text without a trailing ".0" for whole seconds (for check fields). */
    static String seconds(Duration d) {
        BigDecimal s = BigDecimal.valueOf(d.toNanos()).divide(NANOS_PER_SECOND).stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0).toPlainString() : s.toPlainString();
    }
}
