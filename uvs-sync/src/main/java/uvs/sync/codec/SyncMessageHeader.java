package uvs.sync.codec;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Flyweight over the header of an IPVS sync message (struct ip_vs_sync_mesg / ip_vs_sync_mesg_v0).
 *
 * <pre>
 * Version 1 header, 8 bytes:
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  reserved = 0 |    syncid     |        size (BE, incl. hdr)   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   nr_conns    |  version = 1  |          spare = 0            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Version 0 header, 4 bytes:
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   nr_conns    |    syncid     |        size (BE, incl. hdr)   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Byte 0 is {@code reserved} in v1 and {@code nr_conns} in v0, so a v0-only receiver sees 0 entries in
 * a v1 message. Which parser applies is decided by {@link #isV1(int)}.
 */
public final class SyncMessageHeader {
    /** v1: reserved byte, must be 0. */
    public static final int RESERVED_OFFSET = 0;
    /** v0: number of entries (same byte as v1's reserved). */
    public static final int NR_CONNS_V0_OFFSET = 0;
    /** Master's sync id. */
    public static final int SYNCID_OFFSET = 1;
    /** Total message length including the header, u16 BE. */
    public static final int SIZE_OFFSET = 2;
    /** v1: number of entries, u8. */
    public static final int NR_CONNS_OFFSET = 4;
    /** v1: protocol version (signed char), 1. */
    public static final int VERSION_OFFSET = 5;
    /** v1: spare, u16, 0. */
    public static final int SPARE_OFFSET = 6;
    /** Length of the v1 header. */
    public static final int V1_LENGTH = 8;
    /** Length of the v0 header. */
    public static final int V0_LENGTH = 4;
    /** Value of the version byte in a v1 header (SYNC_PROTO_VER). */
    public static final int SYNC_PROTO_VER = 1;

    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;

    private DirectBuffer buffer;
    private MutableDirectBuffer mutableBuffer;
    private int offset;

    /** Wraps a header for reading. */
    public SyncMessageHeader wrap(DirectBuffer buffer, int offset) {
        this.buffer = buffer;
        this.mutableBuffer = null;
        this.offset = offset;
        return this;
    }

    /** Wraps a header for reading and writing. */
    public SyncMessageHeader wrap(MutableDirectBuffer buffer, int offset) {
        this.buffer = buffer;
        this.mutableBuffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * The receiver's rule (ip_vs_process_message step 4): v1 iff version == 1, reserved == 0 and spare == 0.
     * A message shorter than the v1 header is parsed as v0, since those bytes are not part of it.
     *
     * @param length datagram length
     */
    public boolean isV1(int length) {
        return length >= V1_LENGTH && version() == SYNC_PROTO_VER && reserved() == 0 && spare() == 0;
    }

    /** v1 reserved byte. */
    public int reserved() {
        return buffer.getByte(offset + RESERVED_OFFSET) & 0xff;
    }

    /** v0 entry count (byte 0). */
    public int nrConnsV0() {
        return buffer.getByte(offset + NR_CONNS_V0_OFFSET) & 0xff;
    }

    /** Sync id. */
    public int syncid() {
        return buffer.getByte(offset + SYNCID_OFFSET) & 0xff;
    }

    /** Declared total length. */
    public int size() {
        return buffer.getShort(offset + SIZE_OFFSET, BE) & 0xffff;
    }

    /** v1 entry count. */
    public int nrConns() {
        return buffer.getByte(offset + NR_CONNS_OFFSET) & 0xff;
    }

    /** v1 version byte, signed as in the kernel struct. */
    public int version() {
        return buffer.getByte(offset + VERSION_OFFSET);
    }

    /** v1 spare field. */
    public int spare() {
        return buffer.getShort(offset + SPARE_OFFSET, BE) & 0xffff;
    }

    /** Writes a complete v1 header. */
    public SyncMessageHeader putV1(int syncid, int size, int nrConns) {
        MutableDirectBuffer b = mutable();
        b.putByte(offset + RESERVED_OFFSET, (byte) 0);
        b.putByte(offset + SYNCID_OFFSET, (byte) syncid);
        b.putShort(offset + SIZE_OFFSET, (short) size, BE);
        b.putByte(offset + NR_CONNS_OFFSET, (byte) nrConns);
        b.putByte(offset + VERSION_OFFSET, (byte) SYNC_PROTO_VER);
        b.putShort(offset + SPARE_OFFSET, (short) 0, BE);
        return this;
    }

    /** Writes a complete v0 header. */
    public SyncMessageHeader putV0(int syncid, int size, int nrConns) {
        MutableDirectBuffer b = mutable();
        b.putByte(offset + NR_CONNS_V0_OFFSET, (byte) nrConns);
        b.putByte(offset + SYNCID_OFFSET, (byte) syncid);
        b.putShort(offset + SIZE_OFFSET, (short) size, BE);
        return this;
    }

    private MutableDirectBuffer mutable() {
        if (mutableBuffer == null) {
            throw new IllegalStateException("header wrapped read-only");
        }
        return mutableBuffer;
    }
}
