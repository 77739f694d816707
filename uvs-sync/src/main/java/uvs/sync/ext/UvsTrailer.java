package uvs.sync.ext;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The trailer UVS appends to a sync datagram in reliable and/or authenticated mode, after the IPVS
 * message (whose own size field still covers only the IPVS part, so the trailer never changes how the
 * message itself parses). Linux IPVS backups drop such datagrams (their size check fails), which is why
 * both modes are off by default.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     magic "UVS1" (0x55565331)                 |
 * +---------------+---------------+-------------------------------+
 * |    flags      |     type      |        reserved (0)           |
 * +---------------+---------------+-------------------------------+
 * |                      sender id (random per start)             |
 * +---------------------------------------------------------------+
 * |                                                               |
 * +                  sequence number (64 bits)                    +
 * |                                                               |
 * +---------------------------------------------------------------+
 * |        HMAC-SHA256 (32 bytes), present when flags has AUTH    |
 * |  over every byte of the datagram before this field            |
 * +---------------------------------------------------------------+
 * </pre>
 * All fields big-endian. A receiver configured for these modes finds the trailer at the end of the
 * datagram: the last {@value #BASE_LENGTH} bytes, or {@code BASE_LENGTH + MAC_LENGTH} with authentication.
 */
public final class UvsTrailer {
    /** "UVS1". */
    public static final int MAGIC = 0x5556_5331;
    /** Flag: the sequence number is meaningful (reliable mode). */
    public static final int FLAG_SEQ = 0x01;
    /** Flag: an HMAC follows. */
    public static final int FLAG_AUTH = 0x02;
    /** Flag (DATA only): the entries are part of a resync, sent because a backup asked for the whole table. */
    public static final int FLAG_RESYNC = 0x04;
    /** Type: connection entries (the IPVS message before the trailer). */
    public static final int TYPE_DATA = 0;
    /**
     * Type: from a backup, a retransmission request; from a master, the ranges it no longer holds. The body
     * lists the ranges ({@link UvsControl}).
     */
    public static final int TYPE_NACK = 1;
    /** Type: a backup asks for the master's whole table. */
    public static final int TYPE_RESYNC_REQUEST = 2;
    /** Type: the master finished sending its table. */
    public static final int TYPE_RESYNC_DONE = 3;
    /** Type: no data, only the current sequence number (so a backup notices a lost tail). */
    public static final int TYPE_HEARTBEAT = 4;

    /** Offset of the magic. */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of the flags byte. */
    public static final int FLAGS_OFFSET = 4;
    /** Offset of the type byte. */
    public static final int TYPE_OFFSET = 5;
    /** Offset of the reserved 16 bits. */
    public static final int RESERVED_OFFSET = 6;
    /** Offset of the sender id. */
    public static final int SENDER_OFFSET = 8;
    /** Offset of the sequence number. */
    public static final int SEQ_OFFSET = 12;
    /** Length without the HMAC. */
    public static final int BASE_LENGTH = 20;
    /** HMAC-SHA256 length. */
    public static final int MAC_LENGTH = 32;

    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;

    private UvsTrailer() {
    }

    /** Trailer length for these flags. */
    public static int length(int flags) {
        return BASE_LENGTH + ((flags & FLAG_AUTH) != 0 ? MAC_LENGTH : 0);
    }

    /** Writes a trailer (without its HMAC) at {@code at}; returns the offset where the HMAC goes. */
    public static int write(MutableDirectBuffer b, int at, int flags, int type, int sender, long seq) {
        b.putInt(at + MAGIC_OFFSET, MAGIC, BE);
        b.putByte(at + FLAGS_OFFSET, (byte) flags);
        b.putByte(at + TYPE_OFFSET, (byte) type);
        b.putShort(at + RESERVED_OFFSET, (short) 0, BE);
        b.putInt(at + SENDER_OFFSET, sender, BE);
        b.putLong(at + SEQ_OFFSET, seq, BE);
        return at + BASE_LENGTH;
    }

    /** True if a trailer with a valid magic starts at {@code at} and fits before {@code end}. */
    public static boolean present(DirectBuffer b, int at, int end) {
        return at >= 0 && at + BASE_LENGTH <= end && b.getInt(at + MAGIC_OFFSET, BE) == MAGIC
            && at + length(flags(b, at)) <= end;
    }

    /** Flags byte. */
    public static int flags(DirectBuffer b, int at) {
        return b.getByte(at + FLAGS_OFFSET) & 0xff;
    }

    /** Type byte. */
    public static int type(DirectBuffer b, int at) {
        return b.getByte(at + TYPE_OFFSET) & 0xff;
    }

    /** Reserved field (0 when well formed). */
    public static int reserved(DirectBuffer b, int at) {
        return b.getShort(at + RESERVED_OFFSET, BE) & 0xffff;
    }

    /** Sender id. */
    public static int sender(DirectBuffer b, int at) {
        return b.getInt(at + SENDER_OFFSET, BE);
    }

    /** Sequence number. */
    public static long seq(DirectBuffer b, int at) {
        return b.getLong(at + SEQ_OFFSET, BE);
    }
}
