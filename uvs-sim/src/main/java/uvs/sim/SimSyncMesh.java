package uvs.sim;

import java.util.function.ToLongFunction;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import uvs.sync.transport.SyncTransport;
import uvs.time.NanoClock;

/**
 * The sync multicast group of N directors, as one simulated link per ordered pair (sender's master to
 * receiver's backup, with the receiver's replies back): IPVS sync is multicast, so every datagram a master sends
 * reaches every other director, each copy lost, delayed or reordered independently. Each director's master
 * sends through {@link #masterSide} and its backup receives through {@link #backupSide}.
 */
final class SimSyncMesh {
    private static final long PAIR_SEED_MIX = 0x9E37_79B9_7F4A_7C15L;

    private final int n;
    /** {@code links[from][to]}, null on the diagonal. */
    private final SimSyncChannel[][] links;

    /**
     * A mesh of {@code n} directors whose links all have {@code link}'s properties. The links between directors
     * 0 and 1 draw from the seeds {@code seed} (0 to 1) and {@code ~seed} (1 to 0), as the two-director
     * simulator always did; the others from seeds derived from {@code seed} and the pair.
     */
    SimSyncMesh(NanoClock clock, int n, long seed, Scenario.SyncLink link) {
        this.n = n;
        this.links = new SimSyncChannel[n][n];
        for (int from = 0; from < n; from++) {
            for (int to = 0; to < n; to++) {
                if (from != to) {
                    links[from][to] = new SimSyncChannel(clock, 1, pairSeed(seed, from, to), link.lossPercent(),
                        link.latencyMs(), link.bandwidthMbit(), link.reorderPercent());
                }
            }
        }
    }

    private static long pairSeed(long seed, int from, int to) {
        if (from + to == 1) {
            return from == 0 ? seed : ~seed;
        }
        long x = seed + PAIR_SEED_MIX * (from * Scenario.MAX_DIRECTORS + to + 1);
        x = (x ^ (x >>> 30)) * 0xbf58_476d_1ce4_e5b9L;
        x = (x ^ (x >>> 27)) * 0x94d0_49bb_1331_11ebL;
        return x ^ (x >>> 31);
    }

    /** Director {@code d}'s master's sockets: sends to every other director, takes their backups' replies. */
    SyncTransport masterSide(int d) {
        SimSyncChannel[] out = new SimSyncChannel[n - 1];
        for (int to = 0, k = 0; to < n; to++) {
            if (to != d) {
                out[k++] = links[d][to];
            }
        }
        return new MasterSide(out);
    }

    /** Director {@code d}'s backup's sockets: receives from every other director, replies to the sender. */
    SyncTransport backupSide(int d) {
        SimSyncChannel[] in = new SimSyncChannel[n - 1];
        for (int from = 0, k = 0; from < n; from++) {
            if (from != d) {
                in[k++] = links[from][d];
            }
        }
        return new BackupSide(in);
    }

    /** Director {@code d} is down (true: what is sent to it from now on is lost) or up again. */
    void receiverDown(int d, boolean down) {
        for (int from = 0; from < n; from++) {
            if (from != d) {
                links[from][d].receiverDown(down);
            }
        }
    }

    /** What was on its way to director {@code d} is gone (it restarted or died). */
    void dropInFlightTo(int d) {
        for (int from = 0; from < n; from++) {
            if (from != d) {
                links[from][d].dropInFlight();
            }
        }
    }

    /** Datagrams the masters sent: each multicast datagram once (every link from a sender carries all of them). */
    long sent() {
        long sum = 0;
        for (int from = 0; from < n; from++) {
            sum += links[from][from == 0 ? 1 : 0].sent();
        }
        return sum;
    }

    /** Wire bytes (payload + IPv4/UDP headers) the masters sent, each multicast datagram once. */
    long sentBytes() {
        long sum = 0;
        for (int from = 0; from < n; from++) {
            sum += links[from][from == 0 ? 1 : 0].sentBytes();
        }
        return sum;
    }

    /** Datagram copies lost on their way to a receiver (by the loss rate or at a receiver's restart). */
    long lost() {
        return sum(SimSyncChannel::lost);
    }

    /** Datagram copies dropped by a full link queue (bandwidth cap). */
    long overflowed() {
        return sum(SimSyncChannel::overflowed);
    }

    /** Datagram copies held back to arrive after later ones. */
    long reordered() {
        return sum(SimSyncChannel::reordered);
    }

    /** Replies (NACKs, resync requests) lost. */
    long repliesLost() {
        return sum(SimSyncChannel::repliesLost);
    }

    private long sum(ToLongFunction<SimSyncChannel> counter) {
        long sum = 0;
        for (int from = 0; from < n; from++) {
            for (int to = 0; to < n; to++) {
                if (from != to) {
                    sum += counter.applyAsLong(links[from][to]);
                }
            }
        }
        return sum;
    }

    /**
     * One daemon's view of its links; closing it closes only the view, since the links outlive a director's
     * restart.
     */
    private abstract static class Side implements SyncTransport {
        final SimSyncChannel[] links;
        /** The link to look at first next time, so that no sender starves the others. */
        int next;
        boolean closed;

        Side(SimSyncChannel[] links) {
            this.links = links;
        }

        @Override
        public int receive(MutableDirectBuffer buffer, int portIndex) {
            return NONE;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** A master's sockets: one send reaches every link. */
    private static final class MasterSide extends Side {
        MasterSide(SimSyncChannel[] links) {
            super(links);
        }

        @Override
        public int send(DirectBuffer buffer, int offset, int length, int portIndex) {
            if (closed) {
                return ERROR;
            }
            for (SimSyncChannel l : links) {
                l.send(buffer, offset, length, portIndex);
            }
            return length;
        }

        @Override
        public int receiveReply(MutableDirectBuffer buffer, int portIndex) {
            if (closed) {
                return NONE;
            }
            for (int k = 0; k < links.length; k++) {
                int i = (next + k) % links.length;
                int got = links[i].receiveReply(buffer, portIndex);
                if (got != NONE) {
                    next = (i + 1) % links.length;
                    return got;
                }
            }
            return NONE;
        }
    }

    /** A backup's sockets: receives from every sender, answers the one a datagram came from. */
    private static final class BackupSide extends Side {
        /** Per port: index of the link the last datagram came from (the {@link #source} handle). */
        private final int[] source = new int[1];

        BackupSide(SimSyncChannel[] links) {
            super(links);
        }

        @Override
        public int send(DirectBuffer buffer, int offset, int length, int portIndex) {
            return ERROR;
        }

        @Override
        public int receive(MutableDirectBuffer buffer, int portIndex) {
            if (closed) {
                return NONE;
            }
            for (int k = 0; k < links.length; k++) {
                int i = (next + k) % links.length;
                int got = links[i].receive(buffer, portIndex);
                if (got != NONE) {
                    next = (i + 1) % links.length;
                    source[portIndex] = i;
                    return got;
                }
            }
            return NONE;
        }

        @Override
        public int source(int portIndex) {
            return source[portIndex];
        }

        @Override
        public int reply(DirectBuffer buffer, int offset, int length, int portIndex, int peer) {
            return closed ? ERROR : links[peer].reply(buffer, offset, length, portIndex, peer);
        }
    }
}
