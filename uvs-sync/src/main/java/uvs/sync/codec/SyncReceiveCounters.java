package uvs.sync.codec;

import java.util.Arrays;

/**
 * Counters of a backup's sync receiver, updated by {@link SyncMessageReader}: plain longs, one instance
 * per receiving thread (not thread-safe).
 */
public final class SyncReceiveCounters {
    private long messages;
    private long bytes;
    private long v1Messages;
    private long v0Messages;
    private long entriesAccepted;
    private long templatesWithBadState;
    private final long[] dropped = new long[SyncDropReason.COUNT];
    private final long[] skipped = new long[SyncSkipReason.COUNT];

    /** Datagrams given to the reader. */
    public long messages() {
        return messages;
    }

    /** Bytes of those datagrams. */
    public long bytes() {
        return bytes;
    }

    /** Messages that passed the header checks and were parsed as version 1. */
    public long v1Messages() {
        return v1Messages;
    }

    /** Messages that passed the header checks and were parsed as version 0. */
    public long v0Messages() {
        return v0Messages;
    }

    /** Entries delivered to the handler. */
    public long entriesAccepted() {
        return entriesAccepted;
    }

    /** Template entries seen with a state outside NONE/ASSURED: not rejected, the kernel only logs them. */
    public long templatesWithBadState() {
        return templatesWithBadState;
    }

    /** Messages dropped (whole, or their remaining entries) for one reason. */
    public long dropped(SyncDropReason reason) {
        return dropped[reason.ordinal()];
    }

    /** Messages dropped for any reason. */
    public long droppedTotal() {
        long sum = 0;
        for (int i = 0; i < dropped.length; i++) {
            sum += dropped[i];
        }
        return sum;
    }

    /** Entries skipped for one reason. */
    public long skipped(SyncSkipReason reason) {
        return skipped[reason.ordinal()];
    }

    /** Entries skipped for any reason. */
    public long skippedTotal() {
        long sum = 0;
        for (int i = 0; i < skipped.length; i++) {
            sum += skipped[i];
        }
        return sum;
    }

    /** Sets every counter to 0. */
    public void reset() {
        messages = 0;
        bytes = 0;
        v1Messages = 0;
        v0Messages = 0;
        entriesAccepted = 0;
        templatesWithBadState = 0;
        Arrays.fill(dropped, 0);
        Arrays.fill(skipped, 0);
    }

    void onMessage(int length) {
        messages++;
        bytes += length;
    }

    void onV1() {
        v1Messages++;
    }

    void onV0() {
        v0Messages++;
    }

    void onAccepted() {
        entriesAccepted++;
    }

    void onTemplateBadState() {
        templatesWithBadState++;
    }

    void onDrop(SyncDropReason reason) {
        dropped[reason.ordinal()]++;
    }

    void onSkip(SyncSkipReason reason) {
        skipped[reason.ordinal()]++;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("SyncReceiveCounters{messages=").append(messages)
            .append(", bytes=").append(bytes).append(", v1=").append(v1Messages).append(", v0=").append(v0Messages)
            .append(", accepted=").append(entriesAccepted).append(", templatesWithBadState=")
            .append(templatesWithBadState);
        for (SyncDropReason r : SyncDropReason.values()) {
            if (dropped[r.ordinal()] != 0) {
                sb.append(", dropped.").append(r).append('=').append(dropped[r.ordinal()]);
            }
        }
        for (SyncSkipReason r : SyncSkipReason.values()) {
            if (skipped[r.ordinal()] != 0) {
                sb.append(", skipped.").append(r).append('=').append(skipped[r.ordinal()]);
            }
        }
        return sb.append('}').toString();
    }
}
