package uvs.sim;

/** New connections scheduled to the quiesced real server after its weight went to 0. */
final class QuiesceTally {
    /** Tick of the quiesce, 0 = none in the scenario. */
    final int tick;
    long total;
    long sinceSample;
    /** Tick of the latest one, -1 = none. */
    int lastTick = -1;

    QuiesceTally(int tick) {
        this.tick = tick;
    }
}
