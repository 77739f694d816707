package uvs.daemon.health;

import uvs.core.Engine;
import uvs.core.net.IpAddress;
import uvs.core.svc.RealServer;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceKey;
import uvs.core.svc.VirtualService;

/**
 * Engine changes made by health checks, run on the engine's thread. Each one brings a real server to a
 * wanted configuration (or absence) from whatever the engine has, so repeating it is harmless and an
 * operator's {@code ipvsadm} change in between does not make it fail.
 */
final class DestActions {
    /** What {@link #ensure} did. */
    enum Outcome {
        /** The server was added. */
        ADDED,
        /** The server's configuration was changed. */
        EDITED,
        /** The server was deleted. */
        REMOVED,
        /** It already was as wanted. */
        UNCHANGED,
        /** The virtual service does not exist (yet): nothing done. */
        NO_SERVICE
    }

    private DestActions() {
    }

    /** Makes real server {@code addr:port} of {@code key} have {@code cfg}, or removes it when {@code cfg} is null. */
    static Outcome ensure(Engine engine, ServiceKey key, IpAddress addr, int port, RealServerConfig cfg) {
        VirtualService s = engine.service(key);
        if (s == null) {
            return Outcome.NO_SERVICE;
        }
        RealServer d = s.findDest(addr, port);
        if (cfg == null) {
            if (d == null) {
                return Outcome.UNCHANGED;
            }
            engine.deleteDest(key, addr, port);
            return Outcome.REMOVED;
        }
        if (d == null) {
            engine.addDest(key, addr, port, cfg);
            return Outcome.ADDED;
        }
        if (has(d, cfg)) {
            return Outcome.UNCHANGED;
        }
        engine.editDest(key, addr, port, cfg);
        return Outcome.EDITED;
    }

    private static boolean has(RealServer d, RealServerConfig c) {
        return d.weight() == c.weight() && d.forward() == c.forward() && d.tunnelType() == c.tunnelType()
            && d.tunnelPort() == c.tunnelPort() && d.tunnelChecksum() == c.tunnelChecksum()
            && d.upperThreshold() == c.upperThreshold() && d.lowerThreshold() == c.lowerThreshold();
    }
}
