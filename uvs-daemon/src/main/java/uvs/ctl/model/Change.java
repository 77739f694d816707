package uvs.ctl.model;

import uvs.core.Engine;
import uvs.core.net.IpAddress;
import uvs.core.svc.RealServer;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceKey;
import uvs.core.svc.VirtualService;

/**
 * One small, immutable change to an engine's services, real servers, timeouts or counters: what the
 * {@link Reconciler} orders, what an ipvsadm command is, what a health check's action is, and the only way
 * a configuration change reaches an engine. Applying one does no I/O and allocates only what the engine keeps.
 */
public sealed interface Change {
    /**
     * Applies this change to {@code engine}, on the engine's own thread.
     *
     * @throws uvs.core.IpvsException when the engine refuses it
     */
    void applyTo(Engine engine);

    /** {@code -A}. */
    record AddService(ServiceKey service, ServiceConfig config) implements Change {
        @Override
        public void applyTo(Engine engine) {
            engine.addService(service, config);
        }
    }

    /** {@code -E}. */
    record EditService(ServiceKey service, ServiceConfig config) implements Change {
        @Override
        public void applyTo(Engine engine) {
            engine.editService(service, config);
        }
    }

    /** {@code -D}. */
    record DeleteService(ServiceKey service) implements Change {
        @Override
        public void applyTo(Engine engine) {
            engine.deleteService(service);
        }
    }

    /** {@code -a}. */
    record AddRealServer(ServiceKey service, IpAddress address, int port, RealServerConfig config) implements Change {
        @Override
        public void applyTo(Engine engine) {
            engine.addDest(service, address, port, config);
        }
    }

    /** {@code -e}: also a health check's weight change (quiesce, restore). */
    record EditRealServer(ServiceKey service, IpAddress address, int port, RealServerConfig config) implements Change {
        @Override
        public void applyTo(Engine engine) {
            engine.editDest(service, address, port, config);
        }
    }

    /** {@code -d}. */
    record DeleteRealServer(ServiceKey service, IpAddress address, int port) implements Change {
        @Override
        public void applyTo(Engine engine) {
            engine.deleteDest(service, address, port);
        }
    }

    /** {@code -C}. */
    record Clear() implements Change {
        @Override
        public void applyTo(Engine engine) {
            engine.clear();
        }
    }

    /** {@code -Z [service]}: statistics of one service (or, with a null service, of everything) zeroed. */
    record ZeroCounters(ServiceKey service) implements Change {
        @Override
        public void applyTo(Engine engine) {
            engine.zero(service);
        }
    }

    /** {@code --set}. */
    record SetTimeouts(Timeouts timeouts) implements Change {
        @Override
        public void applyTo(Engine engine) {
            engine.setTimeouts(timeouts.tcp(), timeouts.tcpfin(), timeouts.udp());
        }
    }

    /**
     * A health check's action: brings real server {@code address:port} of {@code service} to {@code config}
     * (added, edited, or left as it is), or removes it when {@code config} is null, from whatever the engine
     * has; so repeating it is harmless and an operator's {@code ipvsadm} change in between does not make it
     * fail. A sorry server coming in or going out is one too.
     */
    record EnsureRealServer(ServiceKey service, IpAddress address, int port, RealServerConfig config)
            implements Change {
        /** What {@link #ensure} did. */
        public enum Outcome {
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

        @Override
        public void applyTo(Engine engine) {
            ensure(engine);
        }

        /** Applies this change and says what it did. */
        public Outcome ensure(Engine engine) {
            VirtualService s = engine.service(service);
            if (s == null) {
                return Outcome.NO_SERVICE;
            }
            RealServer d = s.findDest(address, port);
            if (config == null) {
                if (d == null) {
                    return Outcome.UNCHANGED;
                }
                engine.deleteDest(service, address, port);
                return Outcome.REMOVED;
            }
            if (d == null) {
                engine.addDest(service, address, port, config);
                return Outcome.ADDED;
            }
            if (EngineModel.configOf(d).equals(config)) {
                return Outcome.UNCHANGED;
            }
            engine.editDest(service, address, port, config);
            return Outcome.EDITED;
        }
    }
}
