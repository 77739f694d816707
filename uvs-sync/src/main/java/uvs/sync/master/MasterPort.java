package uvs.sync.master;

import org.agrona.concurrent.OneToOneConcurrentArrayQueue;
import uvs.sync.codec.SyncMessageWriter;
import uvs.sync.ext.RetransmitRing;

/**
 * The state of one master sync port (one kernel master thread): the message being filled, a pool of free
 * buffers, and the two single-producer single-consumer queues between the engine's thread and the
 * sender's thread: full messages one way, sent (or discarded) buffers back the other way. With the UVS
 * extensions the sender also numbers the port's datagrams and, in reliable mode, keeps copies of them.
 */
final class MasterPort {
    final SyncMessageWriter writer = new SyncMessageWriter();
    /** Engine thread to sender thread: closed messages in send order. */
    final OneToOneConcurrentArrayQueue<SyncBuffer> sendQueue;
    /** Sender thread to engine thread: buffers to reuse. */
    final OneToOneConcurrentArrayQueue<SyncBuffer> returnQueue;
    /** Engine thread only: free buffers. */
    private final SyncBuffer[] free;
    private int freeCount;
    /** Engine thread only: the message being filled, or null. */
    SyncBuffer current;
    /** Engine thread only: where the current message's EXPIRES values are, and the expiry each stands for. */
    final int[] expiryOffsets = new int[SyncMessageWriter.MAX_ENTRIES];
    final int[] expiryJiffies = new int[SyncMessageWriter.MAX_ENTRIES];
    int expiries;
    /** Engine thread only: when a datagram was last queued (jiffies), for the heartbeat. */
    int lastQueued;
    /** Sender thread only: the sequence number of the next new datagram. */
    long nextSeq;
    /** Sender thread only: the newest resync generation whose RESYNC_DONE went out on this port. */
    long doneGeneration;
    /** Sender thread only: copies of the last datagrams sent (reliable mode), else null. */
    final RetransmitRing ring;

    /**
     * A port with {@code buffers} pooled buffers of {@code bufferCapacity} bytes and, when
     * {@code ringCapacity} is above 0, a retransmit ring of that many datagrams.
     */
    MasterPort(int buffers, int bufferCapacity, int ringCapacity) {
        ring = ringCapacity > 0 ? new RetransmitRing(ringCapacity, bufferCapacity) : null;
        free = new SyncBuffer[buffers];
        for (int i = 0; i < buffers; i++) {
            free[i] = new SyncBuffer(bufferCapacity);
        }
        freeCount = buffers;
        sendQueue = new OneToOneConcurrentArrayQueue<>(buffers);
        returnQueue = new OneToOneConcurrentArrayQueue<>(buffers);
    }

    /** A free buffer, or null when every buffer is queued or being sent. Engine thread. */
    SyncBuffer acquire() {
        if (freeCount == 0) {
            SyncBuffer b;
            while (freeCount < free.length && (b = returnQueue.poll()) != null) {
                free[freeCount++] = b;
            }
            if (freeCount == 0) {
                return null;
            }
        }
        SyncBuffer b = free[--freeCount];
        free[freeCount] = null;
        return b;
    }

    /** Size of the pool. */
    int buffers() {
        return free.length;
    }

    /** Puts back a buffer that was never queued. Engine thread. */
    void release(SyncBuffer b) {
        free[freeCount++] = b;
    }
}
