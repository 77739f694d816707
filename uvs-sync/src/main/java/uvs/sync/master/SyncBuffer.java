package uvs.sync.master;

import org.agrona.concurrent.UnsafeBuffer;
import uvs.sync.ext.UvsTrailer;

/**
 * One preallocated message buffer of a master port (the kernel's ip_vs_sync_buff). Owned by the engine's
 * thread while it is being filled and by the sender's thread from queueing until it is handed back; the
 * port's queues publish its fields between the two.
 */
final class SyncBuffer {
    final UnsafeBuffer buffer;
    /** Message length once closed; the datagram length once the sender sealed it. */
    int length;
    /** Entries in the message once closed. */
    int entries;
    /** Engine time (jiffies) when the message was started, for the 2 s flush. */
    int created;
    /** Trailer type: DATA, or a HEARTBEAT / RESYNC_DONE queued by the engine's thread (extensions only). */
    int type = UvsTrailer.TYPE_DATA;
    /** A DATA message of resync entries only. */
    boolean resync;
    /** RESYNC_DONE: the resync generation whose walk it ends. */
    long generation;
    /** Sender thread: the trailer is written (a send that would block is retried with the same bytes). */
    boolean sealed;

    SyncBuffer(int capacity) {
        this.buffer = new UnsafeBuffer(new byte[capacity]);
    }

    /** Resets the extension fields for a new use of the buffer as {@code type}. Engine thread. */
    void reset(int newType, boolean resyncEntries) {
        type = newType;
        resync = resyncEntries;
        generation = 0;
        sealed = false;
        length = 0;
        entries = 0;
    }
}
