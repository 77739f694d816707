package uvs.sync.ext;

import java.util.Arrays;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Reliable mode, master side: copies of the last {@code capacity} datagrams sent, by sequence number,
 * so that a backup's NACK can be answered. Owned by the sending thread; no allocation after creation.
 */
public final class RetransmitRing {
    private final int capacity;
    private final int slotSize;
    private final UnsafeBuffer data;
    private final long[] seqs;
    private final int[] lengths;

    /** A ring of {@code capacity} datagrams of at most {@code maxDatagram} bytes. */
    public RetransmitRing(int capacity, int maxDatagram) {
        if (capacity < 1 || maxDatagram < 1) {
            throw new IllegalArgumentException("retransmit ring needs a capacity and a datagram size");
        }
        this.capacity = capacity;
        this.slotSize = maxDatagram;
        this.data = new UnsafeBuffer(new byte[capacity * maxDatagram]);
        this.seqs = new long[capacity];
        this.lengths = new int[capacity];
        Arrays.fill(seqs, -1);
    }

    /** Keeps a copy of datagram {@code seq}. */
    public void store(long seq, DirectBuffer src, int offset, int length) {
        if (length > slotSize) {
            throw new IllegalArgumentException("datagram of " + length + " bytes exceeds the ring's " + slotSize);
        }
        int slot = (int) Long.remainderUnsigned(seq, capacity);
        data.putBytes(slot * slotSize, src, offset, length);
        seqs[slot] = seq;
        lengths[slot] = length;
    }

    /**
     * Copies datagram {@code seq} into {@code dst} and returns its length, or -1 if it is no longer kept.
     */
    public int copy(long seq, MutableDirectBuffer dst, int offset) {
        int slot = (int) Long.remainderUnsigned(seq, capacity);
        if (seqs[slot] != seq) {
            return -1;
        }
        dst.putBytes(offset, data, slot * slotSize, lengths[slot]);
        return lengths[slot];
    }

    /** Datagrams kept. */
    public int capacity() {
        return capacity;
    }
}
