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
    private long heartbeats;
    private long resyncsStarted;
    private long resyncsCompleted;
    private long resyncEntries;
    private long controlSent;
    private long nacksReceived;
    private long retransmitted;
    private long gone;
    private long resyncRequests;
    private long badReplies;
    private long replyAuthFailures;
    private long replyReplays;

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

    /** Reliable mode: HEARTBEATs queued on idle ports (engine thread). */
    public long heartbeats() {
        return heartbeats;
    }

    /** Reliable mode: resync walks started, including restarts by a further request (engine thread). */
    public long resyncsStarted() {
        return resyncsStarted;
    }

    /** Reliable mode: resync walks finished, RESYNC_DONE queued on every port (engine thread). */
    public long resyncsCompleted() {
        return resyncsCompleted;
    }

    /** Reliable mode: entries written by resync walks (engine thread). */
    public long resyncEntries() {
        return resyncEntries;
    }

    /** Extensions: HEARTBEAT, RESYNC_DONE and "gone" NACK datagrams the transport accepted (sender thread). */
    public long controlSent() {
        return controlSent;
    }

    /** Reliable mode: NACKs received from backups (sender thread). */
    public long nacksReceived() {
        return nacksReceived;
    }

    /** Reliable mode: datagrams sent again from the retransmit ring (sender thread). */
    public long retransmitted() {
        return retransmitted;
    }

    /** Reliable mode: sequence numbers asked for that the ring no longer held, answered as gone (sender thread). */
    public long gone() {
        return gone;
    }

    /** Reliable mode: RESYNC_REQUESTs received, repeats included (sender thread). */
    public long resyncRequests() {
        return resyncRequests;
    }

    /**
     * Backup datagrams dropped: no or garbled trailer, another mode, or a type a master does not take (sender
     * thread).
     */
    public long badReplies() {
        return badReplies;
    }

    /** Backup datagrams whose HMAC did not verify (sender thread). */
    public long replyAuthFailures() {
        return replyAuthFailures;
    }

    /** Backup datagrams refused by the replay window (sender thread). */
    public long replyReplays() {
        return replyReplays;
    }

    /**
     * Adds {@code o}'s counters to these (a daemon of several engine shards reports one master). Reads
     * {@code o} without locks, so its newest increments may be missing.
     */
    public void add(SyncMasterCounters o) {
        entries += o.entries;
        messagesQueued += o.messagesQueued;
        queueDrops += o.queueDrops;
        entriesDropped += o.entriesDropped;
        noBuffer += o.noBuffer;
        peDataInvalid += o.peDataInvalid;
        partialFlushes += o.partialFlushes;
        discardedOnStop += o.discardedOnStop;
        partialsDiscarded += o.partialsDiscarded;
        messagesSent += o.messagesSent;
        entriesSent += o.entriesSent;
        bytesSent += o.bytesSent;
        sendErrors += o.sendErrors;
        sendRetries += o.sendRetries;
        heartbeats += o.heartbeats;
        resyncsStarted += o.resyncsStarted;
        resyncsCompleted += o.resyncsCompleted;
        resyncEntries += o.resyncEntries;
        controlSent += o.controlSent;
        nacksReceived += o.nacksReceived;
        retransmitted += o.retransmitted;
        gone += o.gone;
        resyncRequests += o.resyncRequests;
        badReplies += o.badReplies;
        replyAuthFailures += o.replyAuthFailures;
        replyReplays += o.replyReplays;
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

    void onHeartbeat() {
        heartbeats++;
    }

    void onResyncStarted() {
        resyncsStarted++;
    }

    void onResyncCompleted() {
        resyncsCompleted++;
    }

    void onResyncEntry() {
        resyncEntries++;
    }

    void onControlSent() {
        controlSent++;
    }

    void onNackReceived() {
        nacksReceived++;
    }

    void onRetransmitted() {
        retransmitted++;
    }

    void onGone(long n) {
        gone += n;
    }

    void onResyncRequest() {
        resyncRequests++;
    }

    void onBadReply() {
        badReplies++;
    }

    void onReplyAuthFailure() {
        replyAuthFailures++;
    }

    void onReplyReplay() {
        replyReplays++;
    }

    @Override
    public String toString() {
        return "SyncMasterCounters{entries=" + entries + ", messagesQueued=" + messagesQueued + ", queueDrops="
            + queueDrops + ", entriesDropped=" + entriesDropped + ", noBuffer=" + noBuffer + ", peDataInvalid="
            + peDataInvalid + ", partialFlushes=" + partialFlushes + ", discardedOnStop=" + discardedOnStop
            + ", partialsDiscarded=" + partialsDiscarded
            + ", messagesSent=" + messagesSent + ", entriesSent=" + entriesSent + ", bytesSent=" + bytesSent
            + ", sendErrors=" + sendErrors + ", sendRetries=" + sendRetries + ", heartbeats=" + heartbeats
            + ", resyncsStarted=" + resyncsStarted + ", resyncsCompleted=" + resyncsCompleted + ", resyncEntries="
            + resyncEntries + ", controlSent=" + controlSent + ", nacksReceived=" + nacksReceived + ", retransmitted="
            + retransmitted + ", gone=" + gone + ", resyncRequests=" + resyncRequests + ", badReplies=" + badReplies
            + ", replyAuthFailures=" + replyAuthFailures + ", replyReplays=" + replyReplays + "}";
    }
}
