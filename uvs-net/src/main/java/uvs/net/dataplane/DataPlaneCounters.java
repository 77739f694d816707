package uvs.net.dataplane;

/** What a data-plane worker did with the frames it saw; written by the worker only, read as gauges. */
public final class DataPlaneCounters {
    /** IP packets handed to the engine. */
    public long packets;
    /** Packets forwarded to a real server (DR, NAT, tunnel). */
    public long forwarded;
    /** NAT replies translated back to the virtual address. */
    public long replies;
    /** ICMP errors translated for a connection. */
    public long icmpRelayed;
    /** ICMP errors the director sent itself (port unreachable, time exceeded, fragmentation needed). */
    public long icmpSent;
    /** Packets whose next hop's MAC was not known yet: a request was sent and they wait for the answer. */
    public long neighbourMisses;
    /** Waiting packets dropped because their neighbour's queue (or all queue slots) was full. */
    public long neighbourQueueDrops;
    /** Waiting packets given up because their next hop did not answer (ICMP host unreachable sent). */
    public long neighbourFailures;
    /** Packets dropped because no route leads to the destination. */
    public long noRoute;
    /** Packets dropped because the TTL / hop limit ran out. */
    public long ttlExpired;
    /** Packets too big for the interface that could not be sent (no fragmentation in the data plane). */
    public long tooBig;
    /** Non-first IP fragments: without ports they match no connection (IPVS sees reassembled packets). */
    public long fragments;
    /** Frames that could not be parsed (truncated or malformed). */
    public long malformed;
    /** ARP replies and neighbour advertisements sent for announced addresses. */
    public long announcements;
    /** ARP requests and neighbour solicitations sent. */
    public long neighbourRequests;
    /** Next hops a worker that keeps no neighbour cache passed to worker 0 to ask for. */
    public long neighbourPassed;
    /** Sync entries another thread handed to this worker's shard and applied here. */
    public long syncApplied;
    /** Packets the engine dropped. */
    public long dropped;
    /** Frames whose handling threw: reported to the worker's error handler, the frame dropped, the loop went on. */
    public long errors;
    /** Flow directions in the XDP fast path's map now (a gauge). */
    public long fastPathFlows;
    /** Flow directions installed into the XDP fast path. */
    public long fastPathInstalls;
    /** Flow directions removed from the XDP fast path. */
    public long fastPathRemovals;
    /** Packets of established flows UVS forwarded itself because the fast path's map was full. */
    public long fastPathFull;
    /** Packets the XDP fast path forwarded, folded into the connection table. */
    public long fastPathFolded;
    /** Fold rounds over every offloaded flow (one at most every 500 ms). */
    public long fastPathFoldRounds;

    /** Adds {@code o}'s counts to these (monitoring's sum over workers). */
    public void add(DataPlaneCounters o) {
        packets += o.packets;
        forwarded += o.forwarded;
        replies += o.replies;
        icmpRelayed += o.icmpRelayed;
        icmpSent += o.icmpSent;
        neighbourMisses += o.neighbourMisses;
        neighbourQueueDrops += o.neighbourQueueDrops;
        neighbourFailures += o.neighbourFailures;
        noRoute += o.noRoute;
        ttlExpired += o.ttlExpired;
        tooBig += o.tooBig;
        fragments += o.fragments;
        malformed += o.malformed;
        announcements += o.announcements;
        neighbourRequests += o.neighbourRequests;
        neighbourPassed += o.neighbourPassed;
        syncApplied += o.syncApplied;
        dropped += o.dropped;
        errors += o.errors;
        fastPathFlows += o.fastPathFlows;
        fastPathInstalls += o.fastPathInstalls;
        fastPathRemovals += o.fastPathRemovals;
        fastPathFull += o.fastPathFull;
        fastPathFolded += o.fastPathFolded;
        fastPathFoldRounds += o.fastPathFoldRounds;
    }
}
