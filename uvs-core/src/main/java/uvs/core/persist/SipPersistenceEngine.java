package uvs.core.persist;

import uvs.core.PacketHeader;
import uvs.core.net.IpProto;

/**
 * The SIP persistence engine ({@code --pe sip}): PE data is the value of the Call-ID header (long form
 * {@code Call-ID} or compact {@code i}, case-insensitive) of a UDP SIP message. The value must be
 * 1..255 bytes and be followed by CR or LF; otherwise the packet has no key.
 */
public final class SipPersistenceEngine implements PersistenceEngine {
    /** The engine's name. */
    public static final String NAME = "sip";
    private static final byte[] LONG_NAME = {'c', 'a', 'l', 'l', '-', 'i', 'd'};

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int extract(PacketHeader p, byte[] out) {
        if (p.protocol != IpProto.UDP || p.payload == null) {
            return -1;
        }
        byte[] b = p.payload;
        int end = Math.min(b.length, p.payloadOffset + p.payloadLength);
        // header lines start after a line terminator; the first line is the request/status line
        for (int i = p.payloadOffset; i < end; i++) {
            if (b[i] != '\n') {
                continue;
            }
            int line = i + 1;
            int colon = headerValueStart(b, line, end);
            if (colon < 0) {
                continue;
            }
            return value(b, colon, end, out);
        }
        return -1;
    }

    /** If the line is a Call-ID header, the index of the first byte of its value, else -1. */
    private static int headerValueStart(byte[] b, int line, int end) {
        int j = line;
        if (matchesIgnoreCase(b, j, end, LONG_NAME)) {
            j += LONG_NAME.length;
        } else if (j < end && (b[j] == 'i' || b[j] == 'I')) {
            j++;
        } else {
            return -1;
        }
        while (j < end && (b[j] == ' ' || b[j] == '\t')) {
            j++;
        }
        if (j >= end || b[j] != ':') {
            return -1;
        }
        j++;
        while (j < end && (b[j] == ' ' || b[j] == '\t')) {
            j++;
        }
        return j;
    }

    private static int value(byte[] b, int start, int end, byte[] out) {
        int j = start;
        while (j < end && b[j] != '\r' && b[j] != '\n') {
            j++;
        }
        if (j == end) {
            // SIP headers always end with a line terminator
            return -1;
        }
        int stop = j;
        while (stop > start && (b[stop - 1] == ' ' || b[stop - 1] == '\t')) {
            stop--;
        }
        int len = stop - start;
        if (len < 1 || len > MAX_DATA) {
            return -1;
        }
        System.arraycopy(b, start, out, 0, len);
        return len;
    }

    private static boolean matchesIgnoreCase(byte[] b, int at, int end, byte[] lower) {
        if (end - at < lower.length) {
            return false;
        }
        for (int k = 0; k < lower.length; k++) {
            int c = b[at + k];
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != lower[k]) {
                return false;
            }
        }
        return true;
    }
}
