package uvs.daemon.health;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import uvs.core.net.IpAddress;
import uvs.core.svc.ServiceKey;
import uvs.ctl.health.HealthCheckConfig;
import uvs.ctl.health.HealthConfig;

/**
 * Health-check counters for monitoring, per real server (in {@link HealthConfig#checks()} order): checks
 * run, failed checks, state changes, and the current state and weight; plus which services have their
 * sorry server in. Readable from any thread.
 */
public final class HealthCounters {
    private final List<HealthCheckConfig> servers;
    private final AtomicLongArray checks;
    private final AtomicLongArray failures;
    private final AtomicLongArray stateChanges;
    private final AtomicReferenceArray<ServerState> states;
    private final AtomicIntegerArray weights;
    private final Set<ServiceKey> sorryActive = ConcurrentHashMap.newKeySet();

    /**
     * One server's numbers at one moment.
     *
     * @param service the virtual service
     * @param address real server address
     * @param port real server port
     * @param state up or down
     * @param weight weight the engine was given (0 when down)
     * @param checks checks run
     * @param failures checks failed
     * @param stateChanges up/down transitions
     */
    public record ServerView(ServiceKey service, IpAddress address, int port, ServerState state, int weight,
                             long checks, long failures, long stateChanges) {
    }

    HealthCounters(List<HealthCheckConfig> servers) {
        this.servers = List.copyOf(servers);
        int n = servers.size();
        checks = new AtomicLongArray(n);
        failures = new AtomicLongArray(n);
        stateChanges = new AtomicLongArray(n);
        states = new AtomicReferenceArray<>(n);
        weights = new AtomicIntegerArray(n);
    }

    /** Number of checked servers. */
    public int size() {
        return servers.size();
    }

    /** Index of a real server, or -1 if it has no check. */
    public int indexOf(ServiceKey service, IpAddress address, int port) {
        for (int i = 0; i < servers.size(); i++) {
            HealthCheckConfig c = servers.get(i);
            if (c.port() == port && c.address().equals(address) && c.service().equals(service)) {
                return i;
            }
        }
        return -1;
    }

    /** Checks run on server {@code i}. */
    public long checks(int i) {
        return checks.get(i);
    }

    /** Failed checks of server {@code i}. */
    public long failures(int i) {
        return failures.get(i);
    }

    /** Up/down transitions of server {@code i}. */
    public long stateChanges(int i) {
        return stateChanges.get(i);
    }

    /** Current state of server {@code i}. */
    public ServerState state(int i) {
        return states.get(i);
    }

    /** Weight server {@code i} was given (0 when down). */
    public int weight(int i) {
        return weights.get(i);
    }

    /** True while {@code service}'s sorry server is in. */
    public boolean sorryActive(ServiceKey service) {
        return sorryActive.contains(service);
    }

    /** Every server's numbers. */
    public List<ServerView> snapshot() {
        List<ServerView> out = new ArrayList<>(servers.size());
        for (int i = 0; i < servers.size(); i++) {
            HealthCheckConfig c = servers.get(i);
            out.add(new ServerView(c.service(), c.address(), c.port(), states.get(i), weights.get(i),
                checks.get(i), failures.get(i), stateChanges.get(i)));
        }
        return out;
    }

    void checkRun(int i, boolean failed) {
        checks.incrementAndGet(i);
        if (failed) {
            failures.incrementAndGet(i);
        }
    }

    void state(int i, ServerState s, int weight, boolean transition) {
        states.set(i, s);
        weights.set(i, weight);
        if (transition) {
            stateChanges.incrementAndGet(i);
        }
    }

    void sorry(ServiceKey service, boolean active) {
        if (active) {
            sorryActive.add(service);
        } else {
            sorryActive.remove(service);
        }
    }
}
