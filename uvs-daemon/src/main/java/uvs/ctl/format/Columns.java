package uvs.ctl.format;

import java.util.Locale;

/** printf-style padding and number forms used by the formats (%-Ns, %Ns, %0NX, %NX, %u). */
final class Columns {
    private static final char[] HEX_UPPER = "0123456789ABCDEF".toCharArray();
    private static final char[] HEX_LOWER = "0123456789abcdef".toCharArray();

    private Columns() {
    }

    /** {@code %-Ns}: left-aligned, padded with spaces to {@code width}, never cut. */
    static StringBuilder left(StringBuilder sb, String s, int width) {
        sb.append(s);
        for (int i = s.length(); i < width; i++) {
            sb.append(' ');
        }
        return sb;
    }

    /** {@code %Ns}: right-aligned, padded with spaces to {@code width}, never cut. */
    static StringBuilder right(StringBuilder sb, String s, int width) {
        for (int i = s.length(); i < width; i++) {
            sb.append(' ');
        }
        return sb.append(s);
    }

    /** {@code %u} of a C unsigned int. */
    static String u32(int v) {
        return Integer.toUnsignedString(v);
    }

    /** {@code %0NX}: {@code digits} upper-case hex digits of the low bits of {@code v}. */
    static StringBuilder hex(StringBuilder sb, long v, int digits) {
        for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
            sb.append(HEX_UPPER[(int) (v >>> shift) & 0xf]);
        }
        return sb;
    }

    /** {@code %NLX}: upper-case hex of an unsigned 64-bit value, right-aligned in {@code width}. */
    static StringBuilder hexPadded(StringBuilder sb, long v, int width) {
        return right(sb, Long.toHexString(v).toUpperCase(Locale.ROOT), width);
    }

    /** The kernel's {@code %pI6}: eight groups of four lower-case hex digits, nothing compressed. */
    static StringBuilder ipv6Full(StringBuilder sb, long hi, long lo) {
        for (int i = 0; i < 8; i++) {
            long half = i < 4 ? hi : lo;
            int group = (int) (half >>> (48 - 16 * (i & 3))) & 0xffff;
            if (i > 0) {
                sb.append(':');
            }
            for (int shift = 12; shift >= 0; shift -= 4) {
                sb.append(HEX_LOWER[(group >>> shift) & 0xf]);
            }
        }
        return sb;
    }
}
