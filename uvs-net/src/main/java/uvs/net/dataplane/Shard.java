package uvs.net.dataplane;

import java.util.List;
import uvs.core.PacketHeader;
import uvs.core.SyncUpdate;
import uvs.net.io.ShardSteering;

/**
 * One worker's place among the workers of an interface: its index, the steering that the kernel's fanout
 * program applies (so the worker can tell which shard owns a client), every worker's inbox, and the
 * neighbour caches they share, one per interface (written by worker 0, which receives all ARP and neighbour
 * discovery).
 */
public final class Shard {
    private final int index;
    private final List<ShardInbox> inboxes;
    private final List<NeighbourTable> neighbours;
    private volatile ShardSteering steering;

    /**
     * Worker {@code index} of {@code inboxes.size()}.
     *
     * @param steering the steering the fanout program implements (null with a single worker)
     */
    public Shard(int index, List<ShardInbox> inboxes, NeighbourTable neighbours, ShardSteering steering) {
        this(index, inboxes, List.of(neighbours), steering);
    }

    /**
     * Worker {@code index} of {@code inboxes.size()} on several interfaces, with one neighbour cache per
     * interface ({@code neighbours.get(port)}).
     */
    public Shard(int index, List<ShardInbox> inboxes, List<NeighbourTable> neighbours, ShardSteering steering) {
        if (index < 0 || index >= inboxes.size()) {
            throw new IllegalArgumentException("worker " + index + " of " + inboxes.size());
        }
        this.index = index;
        this.inboxes = List.copyOf(inboxes);
        this.neighbours = List.copyOf(neighbours);
        this.steering = steering;
    }

    /** The only worker of an interface. */
    public static Shard single(int neighbourCapacity) {
        return new Shard(0, List.of(new ShardInbox(ShardInbox.DEFAULT_CAPACITY)), new NeighbourTable(neighbourCapacity),
            null);
    }

    /** This worker's index. */
    public int index() {
        return index;
    }

    /** How many workers share the interface. */
    public int count() {
        return inboxes.size();
    }

    /** True for the worker that keeps the neighbour cache and answers ARP/ND (worker 0). */
    public boolean keepsNeighbours() {
        return index == 0;
    }

    /** The shared neighbour cache of the first interface. */
    public NeighbourTable neighbours() {
        return neighbours.get(0);
    }

    /** The shared neighbour cache of interface {@code port}. */
    public NeighbourTable neighbours(int port) {
        return neighbours.get(port);
    }

    /** How many interfaces (neighbour caches) the workers serve. */
    public int interfaces() {
        return neighbours.size();
    }

    /** Worker {@code i}'s inbox. */
    public ShardInbox inbox(int i) {
        return inboxes.get(i);
    }

    /** Replaces the steering after the fanout program changed (control thread). */
    public void steering(ShardSteering s) {
        steering = s;
    }

    /** The worker owning client {@code <af, hi, lo>}. Allocation-free. */
    public int ownerOfClient(int af, long hi, long lo) {
        ShardSteering s = steering;
        return s == null ? 0 : s.shardOfClient(af, hi, lo);
    }

    /**
     * The worker owning the connection an ICMP error quotes: the quoted packet went toward the client
     * ({@code DIR_INPUT}: client = its destination) or came from it ({@code DIR_OUTPUT}: its source).
     */
    public int ownerOfQuoted(PacketHeader quoted, int direction) {
        return direction == PacketHeader.DIR_OUTPUT
            ? ownerOfClient(quoted.af, quoted.srcHi, quoted.srcLo)
            : ownerOfClient(quoted.af, quoted.dstHi, quoted.dstLo);
    }

    /** The worker owning a synced connection (its client). */
    public int ownerOf(SyncUpdate u) {
        return ownerOfClient(u.af, u.caddrHi, u.caddrLo);
    }
}
