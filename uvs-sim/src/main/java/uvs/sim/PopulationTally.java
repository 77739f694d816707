package uvs.sim;

/** What the client population came to: connections opened, where they went, how they ended. */
final class PopulationTally {
    long opened;
    /** New connections per real server (index 1..N). */
    final long[] toServer;
    /** Connections ended per close kind ({@link CloseMix#FIN}, {@link CloseMix#RST}, {@link CloseMix#ABANDON}). */
    final long[] ended = new long[3];
    long endedPackets;
    long endedTicks;
    long toPersistentService;
    long idlePauses;
    long idleResumed;
    long idleResumedDropped;

    PopulationTally(int realServers) {
        this.toServer = new long[realServers + 1];
    }
}
