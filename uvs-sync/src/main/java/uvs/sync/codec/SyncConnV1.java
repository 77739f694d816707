package uvs.sync.codec;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Flyweight over one version 1 sync connection entry (union ip_vs_sync_conn), all fields big-endian.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     type      |   protocol    |  ver  |   size (incl. opts)   |  0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  flags (all 32 bits, HASHED cleared)          |  4
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            state              |            cport              |  8
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            vport              |            dport              | 12
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                            fwmark                             | 16
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        timeout (seconds)                      | 20
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  caddr  (IPv4: 4 bytes at 24 | IPv6: 16 bytes at 24)          | 24
 * |  vaddr  (IPv4: 4 bytes at 28 | IPv6: 16 bytes at 40)          |
 * |  daddr  (IPv4: 4 bytes at 32 | IPv6: 16 bytes at 56)          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | options (TLV) from 36 (IPv4) / 72 (IPv6) up to size           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * type: bit 0 (TYPE_F_INET6, value 1) = IPv6; 0 = IPv4; anything else is an error.
 * ver_size: bits 15..12 entry format version (0), bits 11..0 entry length without padding.
 *
 * Option TLV (no padding between options):
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  param type   | length L 1..255 |  L data bytes ...           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * type 1 SEQ_DATA (L = 24), 2 PE_DATA (1..255), 3 PE_NAME (1..16); bit 0x40 = "optional, ignore if unknown".
 * UVS masters in reliable mode add 0x7e EXPIRES (optional, L = 4): u32 BE milliseconds until the entry's timer
 * fires on the master, as of when the message leaves it.
 *
 * SEQ_DATA payload, 24 bytes, each u32 BE:
 * | in init_seq | in delta | in previous_delta | out init_seq | out delta | out previous_delta |
 * </pre>
 *
 * <p>Entries are placed at 4-byte-aligned offsets of the message: the sender inserts 0..3 zero bytes
 * before an entry, never after the last one.
 */
public final class SyncConnV1 {
    /** Entry type byte. */
    public static final int TYPE_OFFSET = 0;
    /** IP protocol. */
    public static final int PROTOCOL_OFFSET = 1;
    /** Format version (high 4 bits) and entry length (low 12 bits), u16 BE. */
    public static final int VER_SIZE_OFFSET = 2;
    /** Connection flags, u32 BE. */
    public static final int FLAGS_OFFSET = 4;
    /** Protocol state, u16 BE. */
    public static final int STATE_OFFSET = 8;
    /** Client port. */
    public static final int CPORT_OFFSET = 10;
    /** Virtual port. */
    public static final int VPORT_OFFSET = 12;
    /** Real-server port. */
    public static final int DPORT_OFFSET = 14;
    /** Firewall mark, u32 BE. */
    public static final int FWMARK_OFFSET = 16;
    /** Current full state timeout in seconds, u32 BE. */
    public static final int TIMEOUT_OFFSET = 20;
    /** Client address (both families). */
    public static final int CADDR_OFFSET = 24;
    /** IPv4 virtual address. */
    public static final int VADDR_V4_OFFSET = 28;
    /** IPv4 real-server address. */
    public static final int DADDR_V4_OFFSET = 32;
    /** Length of the fixed IPv4 part; options start here. */
    public static final int V4_LENGTH = 36;
    /** IPv6 virtual address. */
    public static final int VADDR_V6_OFFSET = 40;
    /** IPv6 real-server address. */
    public static final int DADDR_V6_OFFSET = 56;
    /** Length of the fixed IPv6 part; options start here. */
    public static final int V6_LENGTH = 72;

    /** Type bit for IPv6 entries (STYPE_F_INET6). */
    public static final int TYPE_F_INET6 = 1;
    /** Shift of the format version in ver_size. */
    public static final int SVER_SHIFT = 12;
    /** Mask of the entry length in ver_size. */
    public static final int SVER_MASK = 0x0fff;

    /** Option: sequence-adjust data. */
    public static final int OPT_SEQ_DATA = 1;
    /** Option: persistence-engine data. */
    public static final int OPT_PE_DATA = 2;
    /** Option: persistence-engine name. */
    public static final int OPT_PE_NAME = 3;
    /** Option type bit: optional, ignore when unknown (IPVS_OPT_F_PARAM). */
    public static final int OPT_F_PARAM = 0x40;
    /**
     * UVS option (always sent with {@link #OPT_F_PARAM}, so Linux backups skip it): milliseconds until the
     * entry's timer fires on the master. The timeout field keeps the full state timeout.
     */
    public static final int OPT_UVS_EXPIRES = 0x3e;
    /** Exact data length of {@link #OPT_UVS_EXPIRES}. */
    public static final int EXPIRES_LENGTH = 4;
    /** Offset of the option type inside a TLV. */
    public static final int OPT_TYPE_OFFSET = 0;
    /** Offset of the option length inside a TLV. */
    public static final int OPT_LENGTH_OFFSET = 1;
    /** Offset of the option data inside a TLV. */
    public static final int OPT_DATA_OFFSET = 2;
    /** Exact data length of SEQ_DATA. */
    public static final int SEQ_DATA_LENGTH = 24;
    /** Offset of in_seq inside the SEQ_DATA payload. */
    public static final int IN_SEQ_OFFSET = 0;
    /** Offset of out_seq inside the SEQ_DATA payload. */
    public static final int OUT_SEQ_OFFSET = 12;
    /** Offset of init_seq inside one ip_vs_seq. */
    public static final int INIT_SEQ_OFFSET = 0;
    /** Offset of delta inside one ip_vs_seq. */
    public static final int DELTA_OFFSET = 4;
    /** Offset of previous_delta inside one ip_vs_seq. */
    public static final int PREVIOUS_DELTA_OFFSET = 8;
    /** Longest PE data (IP_VS_PEDATA_MAXLEN). */
    public static final int PE_DATA_MAXLEN = 255;
    /** Longest PE name (IP_VS_PENAME_MAXLEN). */
    public static final int PE_NAME_MAXLEN = 16;
    /** Longest possible entry: IPv6 + SEQ_DATA + 255 bytes PE data + 16 bytes PE name + EXPIRES. */
    public static final int MAX_LENGTH = V6_LENGTH + 2 + SEQ_DATA_LENGTH + 2 + PE_DATA_MAXLEN + 2 + PE_NAME_MAXLEN
        + 2 + EXPIRES_LENGTH;

    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;

    private DirectBuffer buffer;
    private MutableDirectBuffer mutableBuffer;
    private int offset;

    /** Wraps an entry for reading. */
    public SyncConnV1 wrap(DirectBuffer buffer, int offset) {
        this.buffer = buffer;
        this.mutableBuffer = null;
        this.offset = offset;
        return this;
    }

    /** Wraps an entry for reading and writing. */
    public SyncConnV1 wrap(MutableDirectBuffer buffer, int offset) {
        this.buffer = buffer;
        this.mutableBuffer = buffer;
        this.offset = offset;
        return this;
    }

    /** Raw type byte. */
    public int type() {
        return buffer.getByte(offset + TYPE_OFFSET) & 0xff;
    }

    /** True when the type byte has the IPv6 bit. */
    public boolean isIpv6() {
        return (type() & TYPE_F_INET6) != 0;
    }

    /** Length of the fixed part for the entry's type (72 for IPv6, else 36). */
    public int fixedLength() {
        return isIpv6() ? V6_LENGTH : V4_LENGTH;
    }

    /** IP protocol. */
    public int protocol() {
        return buffer.getByte(offset + PROTOCOL_OFFSET) & 0xff;
    }

    /** Raw ver_size field. */
    public int verSize() {
        return buffer.getShort(offset + VER_SIZE_OFFSET, BE) & 0xffff;
    }

    /** Entry format version (bits 15..12 of ver_size). */
    public int formatVersion() {
        return verSize() >>> SVER_SHIFT;
    }

    /** Entry length including options, excluding padding (bits 11..0 of ver_size). */
    public int size() {
        return verSize() & SVER_MASK;
    }

    /** Connection flags as sent. */
    public int flags() {
        return buffer.getInt(offset + FLAGS_OFFSET, BE);
    }

    /** Protocol state. */
    public int state() {
        return buffer.getShort(offset + STATE_OFFSET, BE) & 0xffff;
    }

    /** Client port. */
    public int cport() {
        return buffer.getShort(offset + CPORT_OFFSET, BE) & 0xffff;
    }

    /** Virtual port. */
    public int vport() {
        return buffer.getShort(offset + VPORT_OFFSET, BE) & 0xffff;
    }

    /** Real-server port. */
    public int dport() {
        return buffer.getShort(offset + DPORT_OFFSET, BE) & 0xffff;
    }

    /** Firewall mark (u32 bits). */
    public int fwmark() {
        return buffer.getInt(offset + FWMARK_OFFSET, BE);
    }

    /** Timeout in seconds (u32 bits). */
    public int timeout() {
        return buffer.getInt(offset + TIMEOUT_OFFSET, BE);
    }

    /** Client address, high 64 bits (0 for IPv4). */
    public long caddrHi() {
        return addrHi(CADDR_OFFSET);
    }

    /** Client address, low 64 bits (IPv4 in the low 32 bits). */
    public long caddrLo() {
        return addrLo(CADDR_OFFSET, CADDR_OFFSET);
    }

    /** Virtual address, high 64 bits. */
    public long vaddrHi() {
        return addrHi(VADDR_V6_OFFSET);
    }

    /** Virtual address, low 64 bits. */
    public long vaddrLo() {
        return addrLo(VADDR_V4_OFFSET, VADDR_V6_OFFSET);
    }

    /** Real-server address, high 64 bits. */
    public long daddrHi() {
        return addrHi(DADDR_V6_OFFSET);
    }

    /** Real-server address, low 64 bits. */
    public long daddrLo() {
        return addrLo(DADDR_V4_OFFSET, DADDR_V6_OFFSET);
    }

    /** Sets the type byte; set it before the addresses, whose layout depends on it. */
    public SyncConnV1 type(int type) {
        mutable().putByte(offset + TYPE_OFFSET, (byte) type);
        return this;
    }

    /** Sets the protocol. */
    public SyncConnV1 protocol(int protocol) {
        mutable().putByte(offset + PROTOCOL_OFFSET, (byte) protocol);
        return this;
    }

    /** Sets ver_size from a format version (0..15) and a length (0..4095). */
    public SyncConnV1 verSize(int formatVersion, int size) {
        mutable().putShort(offset + VER_SIZE_OFFSET, (short) (formatVersion << SVER_SHIFT | size & SVER_MASK), BE);
        return this;
    }

    /** Sets the flags exactly as given. */
    public SyncConnV1 flags(int flags) {
        mutable().putInt(offset + FLAGS_OFFSET, flags, BE);
        return this;
    }

    /** Sets the state. */
    public SyncConnV1 state(int state) {
        mutable().putShort(offset + STATE_OFFSET, (short) state, BE);
        return this;
    }

    /** Sets client, virtual and real-server ports. */
    public SyncConnV1 ports(int cport, int vport, int dport) {
        MutableDirectBuffer b = mutable();
        b.putShort(offset + CPORT_OFFSET, (short) cport, BE);
        b.putShort(offset + VPORT_OFFSET, (short) vport, BE);
        b.putShort(offset + DPORT_OFFSET, (short) dport, BE);
        return this;
    }

    /** Sets the firewall mark. */
    public SyncConnV1 fwmark(int fwmark) {
        mutable().putInt(offset + FWMARK_OFFSET, fwmark, BE);
        return this;
    }

    /** Sets the timeout in seconds. */
    public SyncConnV1 timeout(int seconds) {
        mutable().putInt(offset + TIMEOUT_OFFSET, seconds, BE);
        return this;
    }

    /** Sets the three addresses in the layout of the current type byte. */
    public SyncConnV1 addresses(long caddrHi, long caddrLo, long vaddrHi, long vaddrLo, long daddrHi, long daddrLo) {
        if (isIpv6()) {
            putAddr6(CADDR_OFFSET, caddrHi, caddrLo);
            putAddr6(VADDR_V6_OFFSET, vaddrHi, vaddrLo);
            putAddr6(DADDR_V6_OFFSET, daddrHi, daddrLo);
        } else {
            MutableDirectBuffer b = mutable();
            b.putInt(offset + CADDR_OFFSET, (int) caddrLo, BE);
            b.putInt(offset + VADDR_V4_OFFSET, (int) vaddrLo, BE);
            b.putInt(offset + DADDR_V4_OFFSET, (int) daddrLo, BE);
        }
        return this;
    }

    /** Reads a 24-byte SEQ_DATA payload at {@code at} into the entry's six sequence words. */
    public static void getSeqData(DirectBuffer buffer, int at, SyncEntry e) {
        int in = at + IN_SEQ_OFFSET;
        int out = at + OUT_SEQ_OFFSET;
        e.seq(buffer.getInt(in + INIT_SEQ_OFFSET, BE), buffer.getInt(in + DELTA_OFFSET, BE),
            buffer.getInt(in + PREVIOUS_DELTA_OFFSET, BE), buffer.getInt(out + INIT_SEQ_OFFSET, BE),
            buffer.getInt(out + DELTA_OFFSET, BE), buffer.getInt(out + PREVIOUS_DELTA_OFFSET, BE));
    }

    /** Writes the entry's six sequence words as a 24-byte SEQ_DATA payload at {@code at}. */
    public static void putSeqData(MutableDirectBuffer buffer, int at, SyncEntry e) {
        int in = at + IN_SEQ_OFFSET;
        int out = at + OUT_SEQ_OFFSET;
        buffer.putInt(in + INIT_SEQ_OFFSET, e.inSeqInit, BE);
        buffer.putInt(in + DELTA_OFFSET, e.inSeqDelta, BE);
        buffer.putInt(in + PREVIOUS_DELTA_OFFSET, e.inSeqPreviousDelta, BE);
        buffer.putInt(out + INIT_SEQ_OFFSET, e.outSeqInit, BE);
        buffer.putInt(out + DELTA_OFFSET, e.outSeqDelta, BE);
        buffer.putInt(out + PREVIOUS_DELTA_OFFSET, e.outSeqPreviousDelta, BE);
    }

    private long addrHi(int v6Offset) {
        return isIpv6() ? buffer.getLong(offset + v6Offset, BE) : 0L;
    }

    private long addrLo(int v4Offset, int v6Offset) {
        return isIpv6()
            ? buffer.getLong(offset + v6Offset + 8, BE)
            : buffer.getInt(offset + v4Offset, BE) & 0xffff_ffffL;
    }

    private void putAddr6(int at, long hi, long lo) {
        MutableDirectBuffer b = mutable();
        b.putLong(offset + at, hi, BE);
        b.putLong(offset + at + 8, lo, BE);
    }

    private MutableDirectBuffer mutable() {
        if (mutableBuffer == null) {
            throw new IllegalStateException("entry wrapped read-only");
        }
        return mutableBuffer;
    }
}
