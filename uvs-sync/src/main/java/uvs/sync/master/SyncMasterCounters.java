package uvs.sync.master;

/**
 * Counters of a sync master: plain longs, each written by one thread only. The engine's thread writes the
 * batching side (entries, queueing, drops, flushes); the sender's thread writes the sending side (messages,
 * entries and bytes sent, send errors and retries). Another thread reading them may see slightly stale
 * values.
 */
public final class SyncMasterCounters {
    private long entries;
    private long messagesQueued;
    private long queueDrops;
    private long entriesDropped;
    private long noBuffer;
    private long peDataInvalid;
    private long partialFlushes;
    private long discardedOnStop;
    private long partialsDiscarded;
    private long messagesSent;
    private long entriesSent;
    private long bytesSent;
    private long sendErrors;
    private long sendRetries;

    /** Entries written into a message buffer (engine thread). */
    public long entries() {
        return entries;
    }

    /** Messages handed to a port's send queue (engine thread). */
    public long messagesQueued() {
        return messagesQueued;
    }

    /** Finished messages dropped because the port's queue already held sync_qlen_max (engine thread). */
    public long queueDrops() {
        return queueDrops;
    }

    /** Entries lost with those dropped messages (engine thread). */
    public long entriesDropped() {
        return entriesDropped;
    }

    /**
     * Entries not sent because every buffer of the port's pool was in use (the kernel's failed buffer
     * allocation; engine thread).
     */
    public long noBuffer() {
        return noBuffer;
    }

    /** Templates with PE data but no persistence engine or real server: not sent, loop stopped (engine thread). */
    public long peDataInvalid() {
        return peDataInvalid;
    }

    /** Partly filled messages closed because they were 2 s old (engine thread). */
    public long partialFlushes() {
        return partialFlushes;
    }

    /** Queued messages the sender discarded unsent because the master had stopped (sender thread). */
    public long discardedOnStop() {
        return discardedOnStop;
    }

    /** Partly filled messages discarded when the master stopped (engine thread). */
    public long partialsDiscarded() {
        return partialsDiscarded;
    }

    /** Messages the transport accepted (sender thread). */
    public long messagesSent() {
        return messagesSent;
    }

    /** Entries in those messages (sender thread). */
    public long entriesSent() {
        return entriesSent;
    }

    /** Bytes of those messages, UDP payload only (sender thread). */
    public long bytesSent() {
        return bytesSent;
    }

    /** Messages the transport refused with an error: dropped (sender thread). */
    public long sendErrors() {
        return sendErrors;
    }

    /** Sends that would have blocked and were retried later (sender thread). */
    public long sendRetries() {
        return sendRetries;
    }

    void onEntry() {
        entries++;
    }

    void onQueued() {
        messagesQueued++;
    }

    void onQueueDrop(int entryCount) {
        queueDrops++;
        entriesDropped += entryCount;
    }

    void onNoBuffer() {
        noBuffer++;
    }

    void onPeDataInvalid() {
        peDataInvalid++;
    }

    void onPartialFlush() {
        partialFlushes++;
    }

    void onDiscardedOnStop() {
        discardedOnStop++;
    }

    void onPartialDiscarded() {
        partialsDiscarded++;
    }

    void onSent(int entryCount, int length) {
        messagesSent++;
        entriesSent += entryCount;
        bytesSent += length;
    }

    void onSendError() {
        sendErrors++;
    }

    void onSendRetry() {
        sendRetries++;
    }

    @Override
    public String toString() {
        return "SyncMasterCounters{entries=" + entries + ", messagesQueued=" + messagesQueued + ", queueDrops="
            + queueDrops + ", entriesDropped=" + entriesDropped + ", noBuffer=" + noBuffer + ", peDataInvalid="
            + peDataInvalid + ", partialFlushes=" + partialFlushes + ", discardedOnStop=" + discardedOnStop
            + ", partialsDiscarded=" + partialsDiscarded
            + ", messagesSent=" + messagesSent + ", entriesSent=" + entriesSent + ", bytesSent=" + bytesSent
            + ", sendErrors=" + sendErrors + ", sendRetries=" + sendRetries + "}";
    }
}
