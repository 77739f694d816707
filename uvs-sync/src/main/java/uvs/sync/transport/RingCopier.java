package uvs.sync.transport;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * Takes one datagram out of a ring into a receiver's buffer, truncating it to the buffer as recvmsg does, and
 * remembers the message type it was written with.
 */
final class RingCopier implements MessageHandler {
    private MutableDirectBuffer target;
    private int length;
    private int type;

    /** Reads the next message of {@code ring} into {@code buffer}; returns its (truncated) length or NONE. */
    int take(RingBuffer ring, MutableDirectBuffer buffer) {
        target = buffer;
        length = SyncTransport.NONE;
        ring.read(this, 1);
        target = null;
        return length;
    }

    @Override
    public void onMessage(int msgTypeId, MutableDirectBuffer buffer, int index, int len) {
        int n = Math.min(len, target.capacity());
        target.putBytes(0, buffer, index, n);
        length = n;
        type = msgTypeId;
    }

    /** The message type of the last datagram taken. */
    int lastType() {
        return type;
    }
}
