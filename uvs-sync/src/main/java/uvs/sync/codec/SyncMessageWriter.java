package uvs.sync.codec;

import java.nio.ByteOrder;
import org.agrona.MutableDirectBuffer;
import uvs.core.conn.ConnFlags;
import uvs.core.net.Af;

/**
 * The master's side of the codec (ip_vs_sync_conn / ip_vs_sync_conn_v0): fills one sync message of a
 * given {@code sync_maxlen} with entries. Usage: {@link #wrap} once, then per message {@link #start},
 * {@link #tryAppend} until it answers {@link SyncAppendResult#FULL}, {@link #finish}, send
 * {@link #length()} bytes from {@link #offset()}. Allocation-free.
 *
 * <p>Layout rules (reference §1.2–1.5, §1.7):
 * <pre>
 * v1:  | header 8 | entry 1 | pad 0..3 | entry 2 | pad 0..3 | ... | entry n |     (no pad after the last)
 * v0:  | header 4 | entry 1 (24 or 48) | entry 2 | ... | entry n |                (packed)
 * </pre>
 * An entry is added only when it, plus the v1 padding placed before it, fits in the message's capacity.
 * The capacity is {@code max(maxlen, header + first entry)}: a lone entry longer than maxlen still gets
 * its own message and nothing else fits behind it. Unlike the kernel, which lets the u8 nr_conns wrap
 * (possible only for maxlen above ~6 KB), a message is also full at 255 entries, so no entry is lost.
 *
 * <p>Sender rules: flags are sent with HASHED cleared (v1: 32 bits; v0: the low 16 bits only);
 * SEQ_DATA (v1, big-endian) or the 24 sequence bytes (v0, little-endian) are present iff the flags have
 * IN_SEQ or OUT_SEQ; PE_DATA is sent iff PE data is present and is followed by PE_NAME when a name is
 * present (v1 only; v0 has no options); options in the order SEQ_DATA, PE_DATA, PE_NAME.
 */
public final class SyncMessageWriter {
    /** Default master sync_maxlen for IPv4 multicast: 1500 - 20 - 8. */
    public static final int DEFAULT_MAXLEN = 1472;
    /** Largest number of entries in one message (nr_conns is a u8). */
    public static final int MAX_ENTRIES = 255;
    /** Largest message size (the size field is a u16). */
    public static final int MAX_MAXLEN = 0xffff;

    private final SyncMessageHeader header = new SyncMessageHeader();
    private final SyncConnV1 v1 = new SyncConnV1();
    private final SyncConnV0 v0 = new SyncConnV0();

    private MutableDirectBuffer buffer;
    private int offset;
    private int maxlen;
    private int version = -1;
    private int syncid;
    /** Bytes written so far, relative to {@link #offset}. */
    private int length;
    private int count;
    /** Capacity of the current message, fixed by its first entry. */
    private int limit;
    /** Buffer offset of the EXPIRES data of the last appended entry, or -1. */
    private int expiresAt = -1;

    /** Bytes the buffer must offer from the wrap offset: room for maxlen and for any lone entry. */
    public static int requiredCapacity(int maxlen) {
        return Math.max(maxlen, SyncMessageHeader.V1_LENGTH + SyncConnV1.MAX_LENGTH);
    }

    /**
     * Sets the buffer the messages are written to.
     *
     * @throws IllegalArgumentException when maxlen is outside 1..65535 or the buffer is smaller than
     *                                  {@link #requiredCapacity(int)}
     */
    public SyncMessageWriter wrap(MutableDirectBuffer buffer, int offset, int maxlen) {
        if (maxlen < 1 || maxlen > MAX_MAXLEN) {
            throw new IllegalArgumentException("sync maxlen " + maxlen + " outside 1.." + MAX_MAXLEN);
        }
        if (offset < 0 || (long) offset + requiredCapacity(maxlen) > buffer.capacity()) {
            throw new IllegalArgumentException("buffer capacity " + buffer.capacity() + " from offset " + offset
                + " is below the " + requiredCapacity(maxlen) + " bytes needed for maxlen " + maxlen);
        }
        this.buffer = buffer;
        this.offset = offset;
        this.maxlen = maxlen;
        this.version = -1;
        return this;
    }

    /**
     * Starts a new, empty message.
     *
     * @param version 0 or 1
     * @param syncid  master's syncid 0..255
     * @throws IllegalArgumentException on a bad version or syncid
     */
    public SyncMessageWriter start(int version, int syncid) {
        if (buffer == null) {
            throw new IllegalStateException("writer not wrapped");
        }
        if (version != 0 && version != 1) {
            throw new IllegalArgumentException("sync version " + version + " is not 0 or 1");
        }
        if (syncid < 0 || syncid > 255) {
            throw new IllegalArgumentException("syncid " + syncid + " outside 0..255");
        }
        this.version = version;
        this.syncid = syncid;
        this.count = 0;
        this.length = version == 1 ? SyncMessageHeader.V1_LENGTH : SyncMessageHeader.V0_LENGTH;
        this.limit = maxlen;
        writeHeader();
        return this;
    }

    /**
     * Appends one entry if it fits.
     *
     * @throws IllegalArgumentException when a field is out of its wire range (family, protocol, state,
     *                                  ports, IPv4 address, PE lengths)
     */
    public SyncAppendResult tryAppend(SyncEntry e) {
        if (version < 0) {
            throw new IllegalStateException("start() not called");
        }
        validate(e);
        expiresAt = -1;
        if (version == 0 && e.af == Af.INET6) {
            return SyncAppendResult.IPV6_NOT_IN_V0;
        }
        int len = entryLength(version, e);
        int pad = version == 1 ? -length & 3 : 0;
        if (count > 0 && (count == MAX_ENTRIES || length + pad + len > limit)) {
            return SyncAppendResult.FULL;
        }
        if (count == 0) {
            limit = Math.max(maxlen, length + len);
        }
        int at = offset + length;
        for (int i = 0; i < pad; i++) {
            buffer.putByte(at + i, (byte) 0);
        }
        if (version == 1) {
            putV1(at + pad, len, e);
        } else {
            putV0(at, e);
        }
        length += pad + len;
        count++;
        return SyncAppendResult.APPENDED;
    }

    /** Writes size and nr_conns into the header; returns the message length. */
    public int finish() {
        writeHeader();
        return length;
    }

    /** Bytes of the message so far (header included). */
    public int length() {
        return length;
    }

    /** Entries in the message so far. */
    public int entryCount() {
        return count;
    }

    /** Version of the current message, or -1 before the first {@link #start}. */
    public int version() {
        return version;
    }

    /**
     * Buffer offset of the 4 data bytes of the EXPIRES option of the entry the last {@link #tryAppend} wrote,
     * or -1 (none, or nothing appended), so that the value can be brought up to date when the message leaves.
     */
    public int lastExpiresOffset() {
        return expiresAt;
    }

    /** Offset of the message in the buffer. */
    public int offset() {
        return offset;
    }

    /** The buffer the message is written to. */
    public MutableDirectBuffer buffer() {
        return buffer;
    }

    /**
     * Length of an entry on the wire, without padding: v1 36/72 + 26 with seq + 2+data with PE data
     * (+ 2+name when it has a name) + 6 with the UVS expiry; v0 24, or 48 with seq.
     */
    public static int entryLength(int version, SyncEntry e) {
        boolean seq = (e.flags & ConnFlags.SEQ_MASK) != 0;
        if (version == 0) {
            return seq ? SyncConnV0.FULL_LENGTH : SyncConnV0.SIMPLE_LENGTH;
        }
        int len = e.af == Af.INET6 ? SyncConnV1.V6_LENGTH : SyncConnV1.V4_LENGTH;
        if (seq) {
            len += SyncConnV1.OPT_DATA_OFFSET + SyncConnV1.SEQ_DATA_LENGTH;
        }
        if (e.peDataLength > 0) {
            len += SyncConnV1.OPT_DATA_OFFSET + e.peDataLength;
            if (e.peNameLength > 0) {
                len += SyncConnV1.OPT_DATA_OFFSET + e.peNameLength;
            }
        }
        if (e.expiresInMillis >= 0) {
            len += SyncConnV1.OPT_DATA_OFFSET + SyncConnV1.EXPIRES_LENGTH;
        }
        return len;
    }

    private void writeHeader() {
        header.wrap(buffer, offset);
        if (version == 1) {
            header.putV1(syncid, length, count);
        } else {
            header.putV0(syncid, length, count);
        }
    }

    private void putV1(int at, int len, SyncEntry e) {
        int flags = e.flags & ~ConnFlags.HASHED;
        v1.wrap(buffer, at)
            .type(e.af == Af.INET6 ? SyncConnV1.TYPE_F_INET6 : 0)
            .protocol(e.protocol)
            .verSize(0, len)
            .flags(flags)
            .state(e.state)
            .ports(e.cport, e.vport, e.dport)
            .fwmark(e.fwmark)
            .timeout(e.timeout)
            .addresses(e.caddrHi, e.caddrLo, e.vaddrHi, e.vaddrLo, e.daddrHi, e.daddrLo);
        int p = at + v1.fixedLength();
        if ((flags & ConnFlags.SEQ_MASK) != 0) {
            p = putOptionHeader(p, SyncConnV1.OPT_SEQ_DATA, SyncConnV1.SEQ_DATA_LENGTH);
            SyncConnV1.putSeqData(buffer, p, e);
            p += SyncConnV1.SEQ_DATA_LENGTH;
        }
        if (e.peDataLength > 0) {
            p = putOptionHeader(p, SyncConnV1.OPT_PE_DATA, e.peDataLength);
            buffer.putBytes(p, e.peData, 0, e.peDataLength);
            p += e.peDataLength;
            if (e.peNameLength > 0) {
                p = putOptionHeader(p, SyncConnV1.OPT_PE_NAME, e.peNameLength);
                buffer.putBytes(p, e.peName, 0, e.peNameLength);
                p += e.peNameLength;
            }
        }
        if (e.expiresInMillis >= 0) {
            p = putOptionHeader(p, SyncConnV1.OPT_F_PARAM | SyncConnV1.OPT_UVS_EXPIRES, SyncConnV1.EXPIRES_LENGTH);
            buffer.putInt(p, e.expiresInMillis, ByteOrder.BIG_ENDIAN);
            expiresAt = p;
        }
    }

    private int putOptionHeader(int p, int type, int length) {
        buffer.putByte(p + SyncConnV1.OPT_TYPE_OFFSET, (byte) type);
        buffer.putByte(p + SyncConnV1.OPT_LENGTH_OFFSET, (byte) length);
        return p + SyncConnV1.OPT_DATA_OFFSET;
    }

    private void putV0(int at, SyncEntry e) {
        int flags = e.flags & ~ConnFlags.HASHED;
        v0.wrap(buffer, at).put(e.protocol, e.cport, e.vport, e.dport, (int) e.caddrLo, (int) e.vaddrLo,
            (int) e.daddrLo, flags & 0xffff, e.state);
        if ((flags & ConnFlags.SEQ_MASK) != 0) {
            v0.seq(0, e.inSeqInit).seq(1, e.inSeqDelta).seq(2, e.inSeqPreviousDelta)
                .seq(3, e.outSeqInit).seq(4, e.outSeqDelta).seq(5, e.outSeqPreviousDelta);
        }
    }

    private static void validate(SyncEntry e) {
        if (e.af != Af.INET && e.af != Af.INET6) {
            throw new IllegalArgumentException("sync entry: unknown address family " + e.af);
        }
        if ((e.protocol & ~0xff) != 0) {
            throw new IllegalArgumentException("sync entry: protocol " + e.protocol + " outside 0..255");
        }
        if ((e.state & ~0xffff) != 0) {
            throw new IllegalArgumentException("sync entry: state " + e.state + " outside 0..65535");
        }
        if (((e.cport | e.vport | e.dport) & ~0xffff) != 0) {
            throw new IllegalArgumentException("sync entry: port outside 0..65535 (cport " + e.cport + ", vport "
                + e.vport + ", dport " + e.dport + ")");
        }
        if (e.af == Af.INET && ((e.caddrHi | e.vaddrHi | e.daddrHi) != 0
            || ((e.caddrLo | e.vaddrLo | e.daddrLo) >>> 32) != 0)) {
            throw new IllegalArgumentException("sync entry: IPv4 address out of 32 bits");
        }
        if (e.peDataLength < 0 || e.peDataLength > SyncConnV1.PE_DATA_MAXLEN) {
            throw new IllegalArgumentException("sync entry: PE data length " + e.peDataLength + " outside 0.."
                + SyncConnV1.PE_DATA_MAXLEN);
        }
        if (e.peNameLength < 0 || e.peNameLength > SyncConnV1.PE_NAME_MAXLEN) {
            throw new IllegalArgumentException("sync entry: PE name length " + e.peNameLength + " outside 0.."
                + SyncConnV1.PE_NAME_MAXLEN);
        }
        if (e.expiresInMillis < -1) {
            throw new IllegalArgumentException("sync entry: expiry " + e.expiresInMillis + " ms is negative");
        }
    }
}
