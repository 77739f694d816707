package uvs.sync.master;

import org.agrona.concurrent.Agent;
import uvs.sync.transport.SyncTransport;

/**
 * The sending side of a sync master (the kernel's per-port master threads): takes closed messages from
 * each port's queue in order, hands them to a {@link SyncTransport} and gives the buffers back to the
 * engine's pool. A send that would block is retried with the same message on a later call; a send error
 * drops the message. After the master stopped, queued messages are discarded instead of sent. Run it on
 * one thread (any thread, e.g. with an Agrona {@code AgentRunner}); allocation- and lock-free.
 */
public final class SyncSender implements Agent {
    /** Messages sent per port and call, so one busy port cannot starve the others. */
    static final int BATCH = 16;

    private final SyncMaster master;
    private final MasterPort[] ports;
    private final SyncTransport transport;
    private final SyncMasterCounters counters;

    SyncSender(SyncMaster master, MasterPort[] ports, SyncTransport transport, SyncMasterCounters counters) {
        if (transport == null) {
            throw new IllegalArgumentException("transport is null");
        }
        this.master = master;
        this.ports = ports;
        this.transport = transport;
        this.counters = counters;
    }

    /**
     * Sends (or, once the master stopped, discards) up to {@value #BATCH} queued messages per port.
     *
     * @return messages taken off the queues
     */
    @Override
    public int doWork() {
        boolean running = master.isRunning();
        int work = 0;
        for (int i = 0; i < ports.length; i++) {
            MasterPort mp = ports[i];
            for (int k = 0; k < BATCH; k++) {
                SyncBuffer b = mp.sendQueue.peek();
                if (b == null) {
                    break;
                }
                if (running) {
                    int r = transport.send(b.buffer, 0, b.length, i);
                    if (r == SyncTransport.WOULD_BLOCK) {
                        counters.onSendRetry();
                        break;
                    }
                    if (r < 0) {
                        counters.onSendError();
                    } else {
                        counters.onSent(b.entries, b.length);
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

    /** Agent role name. */
    @Override
    public String roleName() {
        return "uvs-sync-master";
    }
}
