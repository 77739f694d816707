package uvs.sync.master;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * One preallocated message buffer of a master port (the kernel's ip_vs_sync_buff). Owned by the engine's
 * thread while it is being filled and by the sender's thread from queueing until it is handed back; the
 * port's queues publish its fields between the two.
 */
final class SyncBuffer {
    final UnsafeBuffer buffer;
    /** Message length once closed. */
    int length;
    /** Entries in the message once closed. */
    int entries;
    /** Engine time (jiffies) when the message was started, for the 2 s flush. */
    int created;

    SyncBuffer(int capacity) {
        this.buffer = new UnsafeBuffer(new byte[capacity]);
    }
}
