package uvs.sim;

/**
 * Sync traffic of a whole run, over every director (those that died or were replaced included).
 *
 * @param datagrams    datagrams all masters sent
 * @param bytes        their wire bytes (payload + IPv4/UDP headers)
 * @param entries      entries all masters sent
 * @param queueDrops   entries dropped because a master's queue was full or it had no buffer
 * @param lost         datagrams the link lost
 * @param repliesLost  reliable mode's replies the link lost
 * @param overBandwidth datagrams dropped over the link's bandwidth
 * @param reordered    datagrams the link reordered
 */
record SyncTally(long datagrams, long bytes, long entries, long queueDrops, long lost, long repliesLost,
                 long overBandwidth, long reordered) {
}
