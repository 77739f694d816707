package uvs.sync.ext;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The bodies of the UVS control datagrams (the bytes before the trailer), big-endian:
 * <ul>
 *   <li>NACK: {@code count (u16), reserved (u16)}, then {@code count} ranges {@code from (u64), to (u64)}
 *       of sequence numbers, inclusive;</li>
 *   <li>RESYNC_DONE: {@code count (u16), reserved (u16)}, then {@code count} backup sender ids (u32): the
 *       backups whose resync requests this walk of the table answers;</li>
 *   <li>RESYNC_REQUEST and HEARTBEAT: empty.</li>
 * </ul>
 */
public final class UvsControl {
    /** Length of the count and reserved fields. */
    public static final int HEADER_LENGTH = 4;
    /** Length of one NACK range. */
    public static final int RANGE_LENGTH = 16;
    /** Length of one sender id in RESYNC_DONE. */
    public static final int ID_LENGTH = 4;

    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;

    private UvsControl() {
    }

    /** Writes the count and a zero reserved field at {@code at}. */
    public static void putCount(MutableDirectBuffer b, int at, int count) {
        b.putShort(at, (short) count, BE);
        b.putShort(at + 2, (short) 0, BE);
    }

    /** The item count of the body at {@code at}. */
    public static int count(DirectBuffer b, int at) {
        return b.getShort(at, BE) & 0xffff;
    }

    /**
     * True if the body at {@code at} of {@code bodyLength} bytes holds exactly its count of items of
     * {@code itemLength} bytes and a zero reserved field.
     */
    public static boolean wellFormed(DirectBuffer b, int at, int bodyLength, int itemLength) {
        return bodyLength >= HEADER_LENGTH && b.getShort(at + 2, BE) == 0
            && bodyLength == HEADER_LENGTH + count(b, at) * itemLength;
    }

    /** Writes NACK range {@code index} of the body at {@code at}. */
    public static void putRange(MutableDirectBuffer b, int at, int index, long from, long to) {
        int o = at + HEADER_LENGTH + index * RANGE_LENGTH;
        b.putLong(o, from, BE);
        b.putLong(o + 8, to, BE);
    }

    /** First number of NACK range {@code index}. */
    public static long rangeFrom(DirectBuffer b, int at, int index) {
        return b.getLong(at + HEADER_LENGTH + index * RANGE_LENGTH, BE);
    }

    /** Last number of NACK range {@code index}. */
    public static long rangeTo(DirectBuffer b, int at, int index) {
        return b.getLong(at + HEADER_LENGTH + index * RANGE_LENGTH + 8, BE);
    }

    /** Writes sender id {@code index} of a RESYNC_DONE body at {@code at}. */
    public static void putId(MutableDirectBuffer b, int at, int index, int id) {
        b.putInt(at + HEADER_LENGTH + index * ID_LENGTH, id, BE);
    }

    /** Sender id {@code index} of a RESYNC_DONE body. */
    public static int id(DirectBuffer b, int at, int index) {
        return b.getInt(at + HEADER_LENGTH + index * ID_LENGTH, BE);
    }
}
