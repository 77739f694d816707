package uvs.lab.net;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Consecutive IP addresses: a first address and a count, counting up in the address's own family. */
public final class AddressRange {
    private AddressRange() {}

    /** {@code count} addresses from {@code first} (an IPv4 or IPv6 literal) upwards. */
    public static List<InetAddress> of(String first, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("address count " + count + ": expected at least 1");
        }
        byte[] start = literal(first).getAddress();
        BigInteger base = new BigInteger(1, start);
        BigInteger last = base.add(BigInteger.valueOf(count - 1L));
        if (last.bitLength() > start.length * 8) {
            throw new IllegalArgumentException(count + " addresses from " + first + " pass the end of the family");
        }
        List<InetAddress> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(fromNumber(base.add(BigInteger.valueOf(i)), start.length));
        }
        return List.copyOf(out);
    }

    /** Parses an IPv4 or IPv6 literal without any name lookup. */
    public static InetAddress literal(String s) {
        String t = s.strip();
        boolean looksLiteral = t.indexOf(':') >= 0 || t.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        if (!looksLiteral) {
            throw new IllegalArgumentException("address '" + s + "': expected an IPv4 or IPv6 literal");
        }
        try {
            return InetAddress.getByName(t);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("address '" + s + "': expected an IPv4 or IPv6 literal", e);
        }
    }

    /** The address as text, IPv6 in the short form {@code ip} prints (RFC 5952: longest zero run as ::). */
    public static String text(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length == 4) {
            return a.getHostAddress();
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (b[2 * i] & 0xff) << 8 | b[2 * i + 1] & 0xff;
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder t = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                t.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!t.isEmpty() && t.charAt(t.length() - 1) != ':') {
                t.append(':');
            }
            t.append(Integer.toHexString(groups[i]));
        }
        return t.toString();
    }

    private static InetAddress fromNumber(BigInteger n, int length) {
        byte[] raw = n.toByteArray();
        byte[] bytes = new byte[length];
        // toByteArray may carry a leading sign byte or be shorter: right-align into the address width
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, bytes, length - copy, copy);
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("address of length " + length + ": " + Arrays.toString(bytes), e);
        }
    }
}
