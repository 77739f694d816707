package uvs.net.dataplane;

import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import uvs.core.PacketHeader;

/**
 * The hand-off between workers: passes a frame this worker received but another shard owns to that shard's
 * {@link ShardInbox} (an IP packet of another shard's client when the ports cannot steer by client, an ICMP
 * error about another shard's connection, ARP/ND for worker 0, which keeps the neighbour caches), wakes the
 * owners once per burst, and drains this shard's own inbox. Never blocks: a full inbox refuses and counts.
 */
final class ShardHandOff {
    private static final int INBOX_BATCH = 64;

    private final Shard shard;
    /** Hand IP packets of other shards' clients over ({@link #handOffByClient}). */
    private boolean byClient;
    /** Shards handed packets in this burst, one bit each (at most 64 workers). */
    private long handedTo;

    ShardHandOff(Shard shard) {
        this.shard = shard;
    }

    /** Whether IP packets are passed to the shard of their client (AF_XDP ports with several workers). */
    void handOffByClient(boolean on) {
        byClient = on;
    }

    /** True when IP packets may be handed over. */
    boolean byClient() {
        return byClient;
    }

    /** This worker's shard. */
    Shard shard() {
        return shard;
    }

    /** True (and the frame passed on) when IP packet {@code h} belongs to another shard's client. */
    boolean passPacket(PacketHeader h, UnsafeBuffer b, int length, int port) {
        if (!byClient) {
            return false;
        }
        // the owner is the shard of the client: the destination of a NAT reply, else the source
        int owner = h.direction == PacketHeader.DIR_OUTPUT
            ? shard.ownerOfClient(h.af, h.dstHi, h.dstLo)
            : shard.ownerOfClient(h.af, h.srcHi, h.srcLo);
        if (owner == shard.index()) {
            return false;
        }
        shard.inbox(owner).offerFrame(b, length, port); // a full inbox counts a refusal
        handedTo |= 1L << owner;
        return true;
    }

    /** True (and the frame passed on) when the connection an ICMP error quotes belongs to another shard. */
    boolean passQuoted(PacketHeader embedded, int direction, UnsafeBuffer b, int length, int port) {
        int owner = shard.ownerOfQuoted(embedded, direction);
        if (owner == shard.index()) {
            return false;
        }
        shard.inbox(owner).offerFrame(b, length, port);
        return true;
    }

    /** True (and the frame passed to worker 0) when this worker does not keep the neighbour caches. */
    boolean passNeighbour(UnsafeBuffer b, int length, int port) {
        if (shard.keepsNeighbours()) {
            return false;
        }
        shard.inbox(0).offerFrame(b, length, port);
        return true;
    }

    /** Wakes the shards handed packets since the last call: once per burst, not per packet. */
    void wakeHanded() {
        if (handedTo == 0) {
            return;
        }
        for (int j = 0; j < shard.count(); j++) {
            if ((handedTo & 1L << j) != 0) {
                shard.inbox(j).wake();
            }
        }
        handedTo = 0;
    }

    /** Gives up to a batch of this shard's inbox messages to {@code handler}; returns how many. */
    int drain(MessageHandler handler) {
        return shard.inbox(shard.index()).drain(handler, INBOX_BATCH);
    }

    /** This shard's inbox. */
    ShardInbox own() {
        return shard.inbox(shard.index());
    }
}
