package uvs.sync.backup;

import java.util.Arrays;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import uvs.sync.ext.GapTracker;

/**
 * Reliable mode, backup side: one master's datagrams on one port. The {@link GapTracker} follows the
 * sequence numbers and keeps the missing ranges; the hold-back keeps datagrams that arrived after a
 * missing one, so that they are applied only once the missing one arrived (or was given up) and entries
 * are never applied out of the master's order (a late copy of an older state must not overwrite a newer
 * one). The hold-back's buffer is allocated on first use. Engine thread only.
 */
final class OrderedStream {
    final GapTracker gaps = new GapTracker();
    /** Transport handle of the master's socket of this port, for NACKs. */
    int peer;
    /** The lowest sequence number not yet applied nor skipped, or -1 before the first datagram. */
    long nextApply = -1;
    /** Gap tracker totals already added to the backup's counters. */
    long countedLost;
    long countedRecovered;
    long countedGivenUp;

    private final int capacity;
    private final int slotSize;
    private UnsafeBuffer slots;
    private long[] heldSeq;
    private int[] heldLength;
    private int held;

    OrderedStream(int capacity, int slotSize) {
        this.capacity = capacity;
        this.slotSize = slotSize;
    }

    /** Forgets the master's numbering (a new or silent master) and drops what was held. */
    void reset() {
        gaps.reset();
        nextApply = -1;
        if (held > 0) {
            Arrays.fill(heldSeq, -1);
            held = 0;
        }
    }

    /** Datagrams a stream can hold. */
    int capacity() {
        return capacity;
    }

    /** Datagrams held now. */
    int held() {
        return held;
    }

    /** True if datagram {@code seq} is held. */
    boolean isHeld(long seq) {
        return held > 0 && heldSeq[slot(seq)] == seq;
    }

    /** Keeps a copy of datagram {@code seq}; it must lie within {@code capacity} of {@link #nextApply}. */
    void hold(long seq, DirectBuffer b, int offset, int length) {
        if (slots == null) {
            slots = new UnsafeBuffer(new byte[capacity * slotSize]);
            heldSeq = new long[capacity];
            heldLength = new int[capacity];
            Arrays.fill(heldSeq, -1);
        }
        int s = slot(seq);
        slots.putBytes(s * slotSize, b, offset, length);
        heldSeq[s] = seq;
        heldLength[s] = length;
        held++;
    }

    /** The buffer that holds the datagrams. */
    UnsafeBuffer slots() {
        return slots;
    }

    /** Offset of held datagram {@code seq} in {@link #slots()}. */
    int offset(long seq) {
        return slot(seq) * slotSize;
    }

    /** Length of held datagram {@code seq}. */
    int length(long seq) {
        return heldLength[slot(seq)];
    }

    /** Frees the slot of held datagram {@code seq}. */
    void release(long seq) {
        heldSeq[slot(seq)] = -1;
        held--;
    }

    /** The lowest held sequence number, or {@link Long#MAX_VALUE} when nothing is held. */
    long lowestHeld() {
        long min = Long.MAX_VALUE;
        for (int i = 0; held > 0 && i < capacity; i++) {
            if (heldSeq[i] >= 0 && heldSeq[i] < min) {
                min = heldSeq[i];
            }
        }
        return min;
    }

    private int slot(long seq) {
        return (int) (seq % capacity);
    }
}
