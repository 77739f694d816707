package uvs.sim;

/** Active/standby: every flow goes to the active director (A until it fails, then B, A again after the preempt). */
final class StandbyRouter implements TrafficRouter {
    private int active;

    @Override
    public int route(FlowPopulation flows, int i) {
        return active;
    }

    @Override
    public void moved(int to, boolean aInGroup) {
        active = to;
    }
}
