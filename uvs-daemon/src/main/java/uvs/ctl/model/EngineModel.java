package uvs.ctl.model;

import java.util.ArrayList;
import java.util.List;
import uvs.core.Engine;
import uvs.core.IpvsException;
import uvs.core.svc.RealServer;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceKey;
import uvs.core.svc.VirtualService;

/**
 * The bridge between an engine and the model, run on the engine's own thread: a snapshot of what it runs
 * (to diff against on a control thread) and the application of changes the control thread ordered.
 */
public final class EngineModel {
    private EngineModel() {
    }

    /** What {@code engine} runs now: its services, their real servers oldest first, and its timeouts. */
    public static DirectorConfig of(Engine engine) {
        List<VirtualService> services = engine.services();
        List<ServiceSpec> out = new ArrayList<>(services.size());
        for (VirtualService s : services) {
            out.add(spec(s));
        }
        int[] t = engine.timeouts().tcpTcpfinUdpSeconds();
        return new DirectorConfig(out, new Timeouts(t[0], t[1], t[2]), false, List.of());
    }

    /** The service of {@code key} as {@code engine} runs it, or null. */
    public static ServiceSpec service(Engine engine, ServiceKey key) {
        VirtualService s = engine.service(key);
        return s == null ? null : spec(s);
    }

    /** A real server's configuration as the engine holds it. */
    public static RealServerConfig configOf(RealServer d) {
        return new RealServerConfig(d.weight(), d.forward(), d.tunnelType(), d.tunnelPort(), d.tunnelChecksum(),
            d.upperThreshold(), d.lowerThreshold());
    }

    private static ServiceSpec spec(VirtualService s) {
        RealServer[] dests = s.dests();
        List<RealServerSpec> rs = new ArrayList<>(dests.length);
        // the engine lists the newest first
        for (int i = dests.length - 1; i >= 0; i--) {
            RealServer d = dests[i];
            rs.add(new RealServerSpec(d.address(), d.port(), configOf(d), null));
        }
        return new ServiceSpec(s.key(), s.config(), rs, null);
    }

    /**
     * Applies {@code changes} in order, checked beforehand against this engine's configuration.
     *
     * @throws IllegalStateException when the engine refuses one anyway (the configuration changed in between,
     *     or a limit of the engine such as its number of real servers); the changes before it stay applied
     */
    public static void apply(Engine engine, List<Change> changes) {
        for (Change c : changes) {
            try {
                c.applyTo(engine);
            } catch (IpvsException e) {
                throw new IllegalStateException("engine refused " + c + ": " + e.getMessage(), e);
            }
        }
    }
}
