package uvs.lab.sim;

import java.util.List;

/**
 * One failover scenario: the workload, the service, the sync setup and the events, as read from a scenario file.
 *
 * @param name                 label shown in the report
 * @param clients              size of the client population (returning clients make persistence matter)
 * @param newConnsPerSecond    new connections per virtual second
 * @param persistent           persistence timeout in seconds, 0 = not persistent
 * @param scheduler            scheduler name (wlc, wrr, rr, ...)
 * @param realServers          number of real servers, all weight 1, direct routing
 * @param duration             virtual seconds to run
 * @param failDirectorAt       second at which director A dies and traffic moves to B, 0 = never
 * @param syncLossPercent      datagrams lost on the sync channel, each way, 0..100
 * @param syncReliable         UVS reliable sync (sequence numbers, NACKs, retransmission) on both daemons
 * @param connectionPackets    packets per connection from the client: SYN, ACKs, FIN (at least 2)
 * @param packetGapMs          virtual milliseconds between two packets of one connection
 * @param quiesceServerAt      second at which real server 1 gets weight 0 on both directors, 0 = never
 * @param sampleEvery          seconds between two measurement rows
 * @param tickMs               virtual milliseconds per simulation step
 * @param tunables             sysctl tunables set on both engines, in file order
 */
public record Scenario(String name, int clients, double newConnsPerSecond, int persistent, String scheduler,
                       int realServers, int duration, int failDirectorAt, double syncLossPercent,
                       boolean syncReliable, int connectionPackets, int packetGapMs, int quiesceServerAt,
                       int sampleEvery, int tickMs, List<Tunable> tunables) {

    /** A {@code tunable.NAME = VALUE} line. */
    public record Tunable(String name, String value) {
    }

    /** Copies the tunables list (ranges are checked by {@link ScenarioFile}). */
    public Scenario {
        tunables = List.copyOf(tunables);
    }

    /**
     * The same scenario with the client population and connection rate multiplied by {@code scale}; times,
     * timeouts and connection shapes stay, so the table shapes (ratios) stay while the work shrinks.
     *
     * @throws IllegalArgumentException if scale is not in (0, 100]
     */
    public Scenario scaled(double scale) {
        if (!(scale > 0 && scale <= 100)) {
            throw new IllegalArgumentException("scale " + scale + " outside (0, 100]");
        }
        return new Scenario(name, Math.max(1, (int) Math.round(clients * scale)), newConnsPerSecond * scale,
            persistent, scheduler, realServers, duration, failDirectorAt, syncLossPercent, syncReliable,
            connectionPackets, packetGapMs, quiesceServerAt, sampleEvery, tickMs, tunables);
    }
}
