package uvs.sim;

import java.util.List;
import uvs.core.proto.ProtocolTimeouts;

/**
 * One failover scenario: the workload, the service, the sync setup and the events, as read from a scenario file.
 *
 * @param name                 label shown in the report
 * @param clients              size of the client population (returning clients make persistence matter)
 * @param newConnsPerSecond    new connections per virtual second
 * @param persistent           persistence timeout in seconds, 0 = not persistent
 * @param scheduler            scheduler name (wlc, wrr, rr, sh, mh, ...)
 * @param schedFlags           scheduler flag bits ({@code uvs.core.svc.ServiceFlags.SCHED1..3})
 * @param realServers          number of real servers, direct routing
 * @param duration             virtual seconds to run
 * @param traffic              how client traffic is split across the directors
 * @param failDirectorAt       second at which director 1 (A) dies and its traffic moves to the others, 0 = never
 * @param directorReturnsAt    second at which director 1 restarts (empty table) as a backup, 0 = never
 * @param preemptDelay         seconds after A's return until traffic moves back to A (keepalived's
 *                             preempt_delay)
 * @param backupRestartsAt     second at which the standby director 2 (B) restarts with an empty table, 0 = never
 * @param sync                 connection sync between the directors (master + backup daemons on each)
 * @param link                 the simulated sync channel
 * @param syncReliable         UVS reliable sync (sequence numbers, NACKs, retransmission, startup resync)
 * @param connectionPackets    packets per connection from the client: SYN, ACKs, the close (at least 2)
 * @param packetGapMs          virtual milliseconds between two packets of one connection (drawn per connection)
 * @param serverChanges        real-server health changes in time order (applied on every living director)
 * @param sampleEvery          seconds between two measurement rows
 * @param tickMs               virtual milliseconds per simulation step
 * @param tunables             sysctl tunables set on both engines, in file order
 * @param persistentShare      with {@code persistent > 0}: share of new connections to the persistent service
 *                             (port 80); the others go to a non-persistent one (port 443), added only when
 *                             the share is below 1
 * @param idleGapMs            length of the idle pause in the middle of a connection (drawn per connection)
 * @param idleGapProbability   share of connections that pause once, 0..1
 * @param close                how clients end their connections
 * @param weights              configured weight of real servers 1..N (index 0 unused); empty: all 1
 * @param directors            number of directors, 2..{@link #MAX_DIRECTORS}
 * @param timeouts             {@code ipvsadm --set tcp tcpfin udp} on every director ({@link Timeouts#UNCHANGED}:
 *                             the defaults)
 * @param handshakeMs          virtual ms from a connection's SYN to its 2nd packet (the client's ACK), or
 *                             {@link #HANDSHAKE_AS_GAP}: the connection's packet gap
 * @param referenceRatios      backup/master ActiveConn, InActConn, PersistConn in % from elsewhere (a field
 *                             report) to print beside the simulated ones; empty: none
 */
public record Scenario(String name, int clients, double newConnsPerSecond, int persistent, String scheduler,
                       int schedFlags, int realServers, int duration, Traffic traffic, int failDirectorAt,
                       int directorReturnsAt, int preemptDelay, int backupRestartsAt, boolean sync, SyncLink link,
                       boolean syncReliable, Distribution connectionPackets, Distribution packetGapMs,
                       List<ServerChange> serverChanges, int sampleEvery, int tickMs, List<Tunable> tunables,
                       double persistentShare, Distribution idleGapMs, double idleGapProbability, CloseMix close,
                       List<Integer> weights, int directors, Timeouts timeouts, int handshakeMs,
                       List<Double> referenceRatios) {
    /** {@link #handshakeMs} when the handshake takes one packet gap like the other packets. */
    public static final int HANDSHAKE_AS_GAP = -1;
    /** Most directors a scenario may run. */
    public static final int MAX_DIRECTORS = 8;

    /** How the router splits client traffic across the directors. */
    public enum Traffic {
        /** All traffic to the active director (1, then 2 after 1's failure, 1 again after its return). */
        STANDBY,
        /**
         * ECMP: each flow to a director chosen by a seeded hash of its 5-tuple; a dead director's flows spread
         * over the survivors (resilient next-hop group), the others' stay.
         */
        ECMP
    }

    /**
     * The simulated sync link, the same between every two directors and both ways.
     *
     * @param lossPercent    datagrams lost, each way, 0..100
     * @param latencyMs      one-way latency in ms
     * @param bandwidthMbit  link capacity in Mbit/s, 0 = unlimited
     * @param reorderPercent datagrams delayed so that later ones overtake them, 0..100
     */
    public record SyncLink(double lossPercent, int latencyMs, double bandwidthMbit, double reorderPercent) {
    }

    /** What happens to a real server. */
    public enum ServerAction {
        /** Weight 0 (ldirectord's quiescent=yes): no new connections, existing ones and templates stay. */
        QUIESCE,
        /** Deleted from the service ({@code ipvsadm -d}). */
        REMOVE,
        /** Back in service with weight 1 (re-added if it was removed). */
        RESTORE
    }

    /**
     * A health change of real server {@code server} (1-based) at {@code second}.
     *
     * @param second virtual second
     * @param action what happens
     * @param server 1-based index: address 10.2.0.{server}
     */
    public record ServerChange(int second, ServerAction action, int server) {
    }

    /**
     * The {@code timeouts = TCP TCPFIN UDP} line: seconds as {@code ipvsadm --set} takes them, 0 = unchanged.
     *
     * @param tcp    TCP ESTABLISHED timeout
     * @param tcpfin TCP FIN_WAIT timeout
     * @param udp    UDP timeout
     */
    public record Timeouts(int tcp, int tcpfin, int udp) {
        /** The engine's defaults (900 s, 120 s, 300 s). */
        public static final Timeouts UNCHANGED = new Timeouts(0, 0, 0);

        /** The effective {tcp, tcpfin, udp} seconds on a director. */
        public int[] effectiveSeconds() {
            ProtocolTimeouts t = new ProtocolTimeouts();
            t.setTcpTcpfinUdp(tcp, tcpfin, udp);
            return t.tcpTcpfinUdpSeconds();
        }
    }

    /** A {@code tunable.NAME = VALUE} line. */
    public record Tunable(String name, String value) {
    }

    /**
     * Copies the lists (ranges are checked by {@link ScenarioFile}).
     *
     * @throws IllegalArgumentException if the weights do not match the real servers or directors is out of range
     */
    public Scenario {
        if (directors < 2 || directors > MAX_DIRECTORS) {
            throw new IllegalArgumentException("directors " + directors + " outside 2.." + MAX_DIRECTORS);
        }
        serverChanges = List.copyOf(serverChanges);
        tunables = List.copyOf(tunables);
        weights = List.copyOf(weights);
        referenceRatios = List.copyOf(referenceRatios);
        if (!referenceRatios.isEmpty() && referenceRatios.size() != 3) {
            throw new IllegalArgumentException(referenceRatios.size() + " reference ratios, not 3");
        }
        if (!weights.isEmpty() && weights.size() != realServers) {
            throw new IllegalArgumentException(weights.size() + " weights for " + realServers + " real servers");
        }
    }

    /** The configured weight of real server {@code i} (1-based). */
    public int weight(int i) {
        return weights.isEmpty() ? 1 : weights.get(i - 1);
    }

    /**
     * A scenario of two directors with the uniform population: one service, no idle pause, every connection
     * closed by FIN.
     */
    public Scenario(String name, int clients, double newConnsPerSecond, int persistent, String scheduler,
                    int schedFlags, int realServers, int duration, Traffic traffic, int failDirectorAt,
                    int directorReturnsAt, int preemptDelay, int backupRestartsAt, boolean sync, SyncLink link,
                    boolean syncReliable, Distribution connectionPackets, Distribution packetGapMs,
                    List<ServerChange> serverChanges, int sampleEvery, int tickMs, List<Tunable> tunables) {
        this(name, clients, newConnsPerSecond, persistent, scheduler, schedFlags, realServers, duration, traffic,
            failDirectorAt, directorReturnsAt, preemptDelay, backupRestartsAt, sync, link, syncReliable,
            connectionPackets, packetGapMs, serverChanges, sampleEvery, tickMs, tunables, 1, Distribution.fixed(0),
            0, CloseMix.ALL_FIN, List.of(), 2, Timeouts.UNCHANGED, HANDSHAKE_AS_GAP, List.of());
    }

    /** True when the directors carry a persistent and a non-persistent service (persistent, share below 1). */
    public boolean twoServices() {
        return persistent > 0 && persistentShare < 1;
    }

    /** True when every connection has the same shape and close and goes to one service (the original model). */
    public boolean uniformPopulation() {
        return !twoServices() && connectionPackets.isFixed() && packetGapMs.isFixed() && idleGapProbability == 0
            && close.equals(CloseMix.ALL_FIN);
    }

    /** Sync channel loss in %, each way. */
    public double syncLossPercent() {
        return link.lossPercent();
    }

    /**
     * The same scenario with the client population and connection rate multiplied by {@code scale}; times,
     * timeouts and connection shapes stay, so the table shapes (ratios) stay while the work shrinks. A sync
     * bandwidth cap is scaled too, so that the link stays as loaded as at full size.
     *
     * @throws IllegalArgumentException if scale is not in (0, 100]
     */
    public Scenario scaled(double scale) {
        if (!(scale > 0 && scale <= 100)) {
            throw new IllegalArgumentException("scale " + scale + " outside (0, 100]");
        }
        return new Scenario(name, Math.max(1, (int) Math.round(clients * scale)), newConnsPerSecond * scale,
            persistent, scheduler, schedFlags, realServers, duration, traffic, failDirectorAt, directorReturnsAt,
            preemptDelay, backupRestartsAt, sync,
            new SyncLink(link.lossPercent(), link.latencyMs(), link.bandwidthMbit() * scale, link.reorderPercent()),
            syncReliable, connectionPackets, packetGapMs, serverChanges,
            sampleEvery, tickMs, tunables, persistentShare, idleGapMs, idleGapProbability, close, weights, directors,
            timeouts, handshakeMs, referenceRatios);
    }
}
