package uvs.sync.codec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Test-side, hand-driven byte builder for sync datagrams: appends big-endian fields and hex text, so
 * that test inputs are written from the spec's tables, independently of the code under test.
 */
final class RawDatagram {
    private byte[] bytes = new byte[64];
    private int length;

    /** Bytes of a hex string; spaces, newlines and '|' are ignored. */
    static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replaceAll("[\\s|\\[\\]]", ""));
    }

    /** Hex of a byte range, space-separated, for readable assertion messages. */
    static String toHex(byte[] b, int offset, int length) {
        return HexFormat.ofDelimiter(" ").formatHex(b, offset, offset + length);
    }

    /** IPv4 text to the low 32 bits of a long, e.g. "10.0.0.1" = 0x0a000001. */
    static long ip4(String text) {
        String[] p = text.split("\\.");
        long v = 0;
        for (String s : p) {
            v = v << 8 | Integer.parseInt(s);
        }
        return v;
    }

    RawDatagram u8(int v) {
        ensure(1);
        bytes[length++] = (byte) v;
        return this;
    }

    RawDatagram u16(int v) {
        return u8(v >>> 8).u8(v);
    }

    RawDatagram u32(int v) {
        return u16(v >>> 16).u16(v);
    }

    RawDatagram hexBytes(String text) {
        for (byte b : hex(text)) {
            u8(b);
        }
        return this;
    }

    RawDatagram ascii(String s) {
        for (int i = 0; i < s.length(); i++) {
            u8(s.charAt(i));
        }
        return this;
    }

    /** Overwrites a u16 at an absolute position (e.g. the header size). */
    RawDatagram putU16(int at, int v) {
        bytes[at] = (byte) (v >>> 8);
        bytes[at + 1] = (byte) v;
        return this;
    }

    /** Overwrites a byte at an absolute position. */
    RawDatagram putU8(int at, int v) {
        bytes[at] = (byte) v;
        return this;
    }

    /** Sets the header's size field (offset 2) to the current length. */
    RawDatagram fixSize() {
        return putU16(2, length);
    }

    int length() {
        return length;
    }

    byte[] toArray() {
        return Arrays.copyOf(bytes, length);
    }

    /** A buffer holding exactly the datagram, so any read past its end would fail. */
    UnsafeBuffer toBuffer() {
        return new UnsafeBuffer(toArray());
    }

    private void ensure(int n) {
        if (length + n > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + n));
        }
    }

    /** A v1 IPv4 entry's fixed 36 bytes, fields in the order of the reference table §1.3. */
    RawDatagram v1Entry4(int type, int protocol, int verSize, int flags, int state, int cport, int vport, int dport,
                         int fwmark, int timeout, String caddr, String vaddr, String daddr) {
        return u8(type).u8(protocol).u16(verSize).u32(flags).u16(state).u16(cport).u16(vport).u16(dport)
            .u32(fwmark).u32(timeout).u32((int) ip4(caddr)).u32((int) ip4(vaddr)).u32((int) ip4(daddr));
    }

    /** Handler that records copies of every delivered entry. */
    static final class Recorder implements SyncEntryHandler {
        final List<SyncEntry> entries = new ArrayList<>();

        @Override
        public void onEntry(SyncEntry entry) {
            entries.add(new SyncEntry().copyFrom(entry));
        }
    }
}
