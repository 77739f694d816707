package uvs.sync.codec;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Flyweight over one version 0 sync connection entry (struct ip_vs_sync_conn_v0): IPv4 only, packed
 * without padding, header fields big-endian.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  reserved = 0 |   protocol    |            cport              |  0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            vport              |            dport              |  4
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                             caddr                             |  8
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                             vaddr                             | 12
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                             daddr                             | 16
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   flags (low 16 bits, HASHED cleared)|        state           | 20
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | only if flags &amp; 0x0600: in_seq{init,delta,prev_delta},     | 24
 * | out_seq{init,delta,prev_delta}, 6 x u32 in the SENDER'S HOST  |
 * | byte order (little-endian, as an x86 kernel writes them)      | 48
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>UVS behaves as an x86 (little-endian) kernel: it writes and reads the v0 sequence data
 * little-endian, which is what every x86 IPVS peer sends and expects.
 */
public final class SyncConnV0 {
    /** Reserved byte, 0. */
    public static final int RESERVED_OFFSET = 0;
    /** IP protocol. */
    public static final int PROTOCOL_OFFSET = 1;
    /** Client port. */
    public static final int CPORT_OFFSET = 2;
    /** Virtual port. */
    public static final int VPORT_OFFSET = 4;
    /** Real-server port. */
    public static final int DPORT_OFFSET = 6;
    /** Client IPv4 address. */
    public static final int CADDR_OFFSET = 8;
    /** Virtual IPv4 address. */
    public static final int VADDR_OFFSET = 12;
    /** Real-server IPv4 address. */
    public static final int DADDR_OFFSET = 16;
    /** Low 16 bits of the connection flags, u16 BE. */
    public static final int FLAGS_OFFSET = 20;
    /** Protocol state, u16 BE. */
    public static final int STATE_OFFSET = 22;
    /** Entry length without sequence data (SIMPLE_CONN_SIZE). */
    public static final int SIMPLE_LENGTH = 24;
    /** Start of the sequence data. */
    public static final int SEQ_OFFSET = 24;
    /** Entry length with sequence data (FULL_CONN_SIZE). */
    public static final int FULL_LENGTH = 48;
    /** Byte order of the sequence data: the sender's host order, little-endian for x86. */
    public static final ByteOrder SEQ_ORDER = ByteOrder.LITTLE_ENDIAN;

    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;

    private DirectBuffer buffer;
    private MutableDirectBuffer mutableBuffer;
    private int offset;

    /** Wraps an entry for reading. */
    public SyncConnV0 wrap(DirectBuffer buffer, int offset) {
        this.buffer = buffer;
        this.mutableBuffer = null;
        this.offset = offset;
        return this;
    }

    /** Wraps an entry for reading and writing. */
    public SyncConnV0 wrap(MutableDirectBuffer buffer, int offset) {
        this.buffer = buffer;
        this.mutableBuffer = buffer;
        this.offset = offset;
        return this;
    }

    /** IP protocol. */
    public int protocol() {
        return buffer.getByte(offset + PROTOCOL_OFFSET) & 0xff;
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

    /** Client address (u32 bits). */
    public int caddr() {
        return buffer.getInt(offset + CADDR_OFFSET, BE);
    }

    /** Virtual address. */
    public int vaddr() {
        return buffer.getInt(offset + VADDR_OFFSET, BE);
    }

    /** Real-server address. */
    public int daddr() {
        return buffer.getInt(offset + DADDR_OFFSET, BE);
    }

    /** The 16 flag bits as sent. */
    public int flags() {
        return buffer.getShort(offset + FLAGS_OFFSET, BE) & 0xffff;
    }

    /** Protocol state. */
    public int state() {
        return buffer.getShort(offset + STATE_OFFSET, BE) & 0xffff;
    }

    /**
     * One of the six sequence words (index 0..2 = in_seq init/delta/previous_delta, 3..5 = out_seq),
     * little-endian. Valid only when the entry has sequence data.
     */
    public int seq(int index) {
        return buffer.getInt(offset + SEQ_OFFSET + 4 * index, SEQ_ORDER);
    }

    /** Writes the fixed 24 bytes; flags are written as their low 16 bits, exactly as given. */
    public SyncConnV0 put(int protocol, int cport, int vport, int dport, int caddr, int vaddr, int daddr,
                          int flags, int state) {
        MutableDirectBuffer b = mutable();
        b.putByte(offset + RESERVED_OFFSET, (byte) 0);
        b.putByte(offset + PROTOCOL_OFFSET, (byte) protocol);
        b.putShort(offset + CPORT_OFFSET, (short) cport, BE);
        b.putShort(offset + VPORT_OFFSET, (short) vport, BE);
        b.putShort(offset + DPORT_OFFSET, (short) dport, BE);
        b.putInt(offset + CADDR_OFFSET, caddr, BE);
        b.putInt(offset + VADDR_OFFSET, vaddr, BE);
        b.putInt(offset + DADDR_OFFSET, daddr, BE);
        b.putShort(offset + FLAGS_OFFSET, (short) flags, BE);
        b.putShort(offset + STATE_OFFSET, (short) state, BE);
        return this;
    }

    /** Writes one of the six sequence words (see {@link #seq(int)}), little-endian. */
    public SyncConnV0 seq(int index, int value) {
        mutable().putInt(offset + SEQ_OFFSET + 4 * index, value, SEQ_ORDER);
        return this;
    }

    private MutableDirectBuffer mutable() {
        if (mutableBuffer == null) {
            throw new IllegalStateException("entry wrapped read-only");
        }
        return mutableBuffer;
    }
}
