package uvs.sync.master;

import org.agrona.concurrent.Agent;
import uvs.sync.SyncDaemonConfig;
import uvs.sync.ext.UvsSeal;
import uvs.sync.ext.UvsTrailer;
import uvs.sync.transport.SyncTransport;

/**
 * The sending side of a sync master (the kernel's per-port master threads): takes closed messages from
 * each port's queue in order, hands them to a {@link SyncTransport} and gives the buffers back to the
 * engine's pool. A send that would block is retried with the same message on a later call; a send error
 * drops the message. After the master stopped, queued messages are discarded instead of sent. Run it on
 * one thread (any thread, e.g. with an Agrona {@code AgentRunner}); allocation- and lock-free.
 *
 * <p>With the UVS extensions it seals every datagram: the next sequence number of the port, the trailer
 * and, in authenticated mode, the HMAC. In reliable mode it also keeps a copy of each datagram in the port's
 * retransmit ring and serves the backups' NACKs and resync requests ({@link MasterReplies}).
 */
public final class SyncSender implements Agent {
    /** Messages sent per port and call, so one busy port cannot starve the others. */
    static final int BATCH = 16;

    private final SyncMaster master;
    private final MasterPort[] ports;
    private final SyncTransport transport;
    private final SyncMasterCounters counters;
    private final UvsSeal seal;
    private final MasterReplies replies;
    private final int senderId;

    SyncSender(SyncMaster master, MasterPort[] ports, SyncTransport transport, SyncMasterCounters counters) {
        if (transport == null) {
            throw new IllegalArgumentException("transport is null");
        }
        this.master = master;
        this.ports = ports;
        this.transport = transport;
        this.counters = counters;
        SyncDaemonConfig cfg = master.config();
        this.senderId = master.senderId();
        this.seal = cfg.extended() ? new UvsSeal(cfg.reliable(), cfg.authKey()) : null;
        this.replies = cfg.reliable() ? new MasterReplies(master, ports, transport, seal, counters) : null;
    }

    /**
     * Serves waiting backup requests (reliable mode), then sends (or, once the master stopped, discards) up
     * to {@value #BATCH} queued messages per port.
     *
     * @return requests served plus messages taken off the queues
     */
    @Override
    public int doWork() {
        boolean running = master.isRunning();
        int work = running && replies != null ? replies.poll() : 0;
        for (int i = 0; i < ports.length; i++) {
            MasterPort mp = ports[i];
            for (int k = 0; k < BATCH; k++) {
                SyncBuffer b = mp.sendQueue.peek();
                if (b == null) {
                    break;
                }
                if (running) {
                    if (seal != null && !b.sealed) {
                        seal(mp, i, b);
                    }
                    int r = transport.send(b.buffer, 0, b.length, i);
                    if (r == SyncTransport.WOULD_BLOCK) {
                        counters.onSendRetry();
                        break;
                    }
                    if (r < 0) {
                        counters.onSendError();
                    } else if (b.type == UvsTrailer.TYPE_DATA) {
                        counters.onSent(b.entries, b.length);
                    } else {
                        counters.onControlSent();
                    }
                } else {
                    counters.onDiscardedOnStop();
                }
                mp.sendQueue.poll();
                mp.returnQueue.offer(b);
                work++;
            }
        }
        return work;
    }

    /** Numbers and seals a queued datagram once; in reliable mode keeps it for retransmission. */
    private void seal(MasterPort mp, int port, SyncBuffer b) {
        int body = switch (b.type) {
            case UvsTrailer.TYPE_DATA -> b.length;
            case UvsTrailer.TYPE_RESYNC_DONE -> replies.writeDone(b.buffer, b.generation, port);
            default -> 0;
        };
        long seq = mp.nextSeq++;
        b.length = seal.seal(b.buffer, 0, body, b.type, b.resync ? UvsTrailer.FLAG_RESYNC : 0, senderId, seq);
        b.sealed = true;
        if (mp.ring != null) {
            // kept even if the send fails: the backup will see the gap and ask for it
            mp.ring.store(seq, b.buffer, 0, b.length);
        }
    }

    /** Agent role name. */
    @Override
    public String roleName() {
        return "uvs-sync-sender";
    }
}
