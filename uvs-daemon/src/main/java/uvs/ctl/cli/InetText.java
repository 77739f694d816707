package uvs.ctl.cli;

import uvs.core.net.IpAddress;

/**
 * The C library's numeric text parsers exactly as ipvsadm relies on them (glibc {@code strtol},
 * {@code atoi}, {@code inet_aton}, {@code inet_pton}). Only ASCII counts as digit or space, as in the C
 * locale. No name is ever looked up.
 */
final class InetText {
    /** Returned by the parsers that answer -1 for "not a number". */
    static final long INVALID = -1;

    private static final long CUTOFF = Long.MIN_VALUE / 10;
    private static final int CUTLIM = (int) -(Long.MIN_VALUE % 10);

    private InetText() {
    }

    /** Result of {@link #strtol}: the value (saturated on overflow), where parsing stopped, and ERANGE. */
    record Strtol(long value, int end, boolean overflow) {
    }

    /** C {@code isspace} in the C locale. */
    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0b || c == '\f' || c == '\r';
    }

    /** C {@code isdigit}. */
    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** ipvsadm's {@code str_is_digit}: every character a digit (true for the empty text). */
    static boolean isAllDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Base-10 {@code strtol}: leading spaces, an optional sign, digits. With no digits the end is 0 (the
     * start), as C sets {@code endptr = nptr}.
     */
    static Strtol strtol(String s) {
        int n = s.length();
        int i = 0;
        while (i < n && isSpace(s.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        int first = i;
        // accumulate as a negative number so that Long.MIN_VALUE fits
        long acc = 0;
        boolean overflow = false;
        while (i < n && isDigit(s.charAt(i))) {
            int d = s.charAt(i) - '0';
            if (acc < CUTOFF || (acc == CUTOFF && d > CUTLIM)) {
                overflow = true;
            } else if (!overflow) {
                acc = acc * 10 - d;
            }
            i++;
        }
        if (i == first) {
            return new Strtol(0, 0, false);
        }
        if (!negative && acc == Long.MIN_VALUE) {
            overflow = true;
        }
        long value;
        if (overflow) {
            value = negative ? Long.MIN_VALUE : Long.MAX_VALUE;
        } else {
            value = negative ? acc : -acc;
        }
        return new Strtol(value, i, overflow);
    }

    /** ipvsadm's {@code string_to_number}: the whole text is a base-10 number in min..max, else -1. */
    static int stringToNumber(String s, int min, int max) {
        Strtol r = strtol(s);
        if (r.end() != s.length() || r.end() == 0 || r.overflow()) {
            return -1;
        }
        return r.value() >= min && r.value() <= max ? (int) r.value() : -1;
    }

    /** C {@code atoi} as glibc does it: {@code (int) strtol(s, NULL, 10)}, trailing text ignored. */
    static int atoi(String s) {
        return (int) strtol(s).value();
    }

    /**
     * ipvsadm's fwmark rule: the whole text a base-10 number, no overflow, and as an unsigned long in
     * 1..UINT_MAX (so negative numbers fail); returns the mark, or -1.
     */
    static long parseFwmark(String s) {
        Strtol r = strtol(s);
        if (r.end() != s.length() || r.end() == 0 || r.overflow() || r.value() <= 0 || r.value() > 0xffff_ffffL) {
            return INVALID;
        }
        return r.value();
    }

    /**
     * glibc {@code inet_aton}: 1 to 4 parts separated by dots, each decimal, octal (leading 0) or hex
     * (0x); the last part fills the remaining bytes; anything after a space is ignored. Returns the
     * address as an unsigned 32-bit value, or -1.
     */
    static long inetAton(String s) {
        int n = s.length();
        int i = 0;
        long[] parts = new long[4];
        int count = 0;
        long val;
        while (true) {
            if (i >= n || !isDigit(s.charAt(i))) {
                return INVALID;
            }
            int base = 10;
            if (s.charAt(i) == '0') {
                if (i + 2 < n && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X') && hexValue(s.charAt(i + 2)) >= 0) {
                    base = 16;
                    i += 2;
                } else {
                    base = 8;
                }
            }
            val = 0;
            boolean tooBig = false;
            while (i < n) {
                int d = base == 16 ? hexValue(s.charAt(i)) : s.charAt(i) - '0';
                if (d < 0 || d >= base || (base != 16 && !isDigit(s.charAt(i)))) {
                    break;
                }
                val = val * base + d;
                if (val > 0xffff_ffffL) {
                    tooBig = true;
                    val = 0x1_0000_0000L;
                }
                i++;
            }
            if (tooBig) {
                return INVALID;
            }
            if (i < n && s.charAt(i) == '.') {
                if (count > 2 || val > 0xff) {
                    return INVALID;
                }
                parts[count++] = val;
                i++;
            } else {
                break;
            }
        }
        if (i < n && !isSpace(s.charAt(i))) {
            return INVALID;
        }
        long max = 0xffff_ffffL >>> (8 * count);
        if (val > max) {
            return INVALID;
        }
        long word = 0;
        for (int k = 0; k < count; k++) {
            word |= parts[k] << (24 - 8 * k);
        }
        return word | val;
    }

    /** glibc {@code inet_pton(AF_INET)}: exactly four decimal parts 0..255 without leading zeros; or -1. */
    static long inetPton4(String s) {
        return inetPton4(s, 0, s.length());
    }

    private static long inetPton4(String s, int from, int to) {
        long word = 0;
        int octets = 0;
        int cur = 0;
        boolean sawDigit = false;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (isDigit(c)) {
                if (sawDigit && cur == 0) {
                    return INVALID;
                }
                cur = cur * 10 + (c - '0');
                if (cur > 255) {
                    return INVALID;
                }
                if (!sawDigit) {
                    if (++octets > 4) {
                        return INVALID;
                    }
                    sawDigit = true;
                }
            } else if (c == '.' && sawDigit) {
                if (octets == 4) {
                    return INVALID;
                }
                word = word << 8 | cur;
                cur = 0;
                sawDigit = false;
            } else {
                return INVALID;
            }
        }
        if (octets < 4) {
            return INVALID;
        }
        return word << 8 | cur;
    }

    /** glibc {@code inet_pton(AF_INET6)}, including a dotted IPv4 tail; null when not an IPv6 address. */
    static IpAddress inetPton6(String s) {
        int n = s.length();
        byte[] out = new byte[16];
        int tp = 0;
        int colonp = -1;
        int i = 0;
        if (n == 0) {
            return null;
        }
        if (s.charAt(0) == ':') {
            i++;
            if (i == n || s.charAt(i) != ':') {
                return null;
            }
        }
        int curtok = i;
        int digits = 0;
        int val = 0;
        while (i < n) {
            char c = s.charAt(i++);
            int d = hexValue(c);
            if (d >= 0) {
                if (digits == 4) {
                    return null;
                }
                val = val << 4 | d;
                digits++;
                continue;
            }
            if (c == ':') {
                curtok = i;
                if (digits == 0) {
                    if (colonp >= 0) {
                        return null;
                    }
                    colonp = tp;
                    continue;
                } else if (i == n) {
                    return null;
                }
                if (tp + 2 > 16) {
                    return null;
                }
                out[tp++] = (byte) (val >>> 8);
                out[tp++] = (byte) val;
                digits = 0;
                val = 0;
                continue;
            }
            if (c == '.' && tp + 4 <= 16) {
                long v4 = inetPton4(s, curtok, n);
                if (v4 >= 0) {
                    out[tp++] = (byte) (v4 >>> 24);
                    out[tp++] = (byte) (v4 >>> 16);
                    out[tp++] = (byte) (v4 >>> 8);
                    out[tp++] = (byte) v4;
                    digits = 0;
                    break;
                }
            }
            return null;
        }
        if (digits > 0) {
            if (tp + 2 > 16) {
                return null;
            }
            out[tp++] = (byte) (val >>> 8);
            out[tp++] = (byte) val;
        }
        if (colonp >= 0) {
            if (tp == 16) {
                return null;
            }
            int moved = tp - colonp;
            System.arraycopy(out, colonp, out, 16 - moved, moved);
            for (int k = colonp; k < 16 - moved; k++) {
                out[k] = 0;
            }
            tp = 16;
        }
        return tp == 16 ? IpAddress.fromBytes(out) : null;
    }

    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
