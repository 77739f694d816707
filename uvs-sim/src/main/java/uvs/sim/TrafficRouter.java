package uvs.sim;

/** The router in front of the directors: which director (index 0 = A, 1 = B, ...) receives a flow's packets now. */
interface TrafficRouter {
    /** The index of the director that receives flow {@code i} of {@code flows} now. */
    int route(FlowPopulation flows, int i);

    /**
     * Traffic moved: to director {@code to} (active/standby), and director A left or rejoined the next-hop group
     * ({@code aInGroup}, ECMP).
     */
    void moved(int to, boolean aInGroup);
}
