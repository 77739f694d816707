package uvs.ctl.model;

import uvs.core.Engine;
import uvs.core.net.IpAddress;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceKey;

/**
 * One small, immutable change to an engine's services, real servers or timeouts: what the
 * {@link Reconciler} orders, what a health check's action is, and the only thing a configuration change
 * sends to an engine's thread. Applying one does no I/O and allocates only what the engine keeps.
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

    /** {@code --set}. */
    record SetTimeouts(Timeouts timeouts) implements Change {
        @Override
        public void applyTo(Engine engine) {
            engine.setTimeouts(timeouts.tcp(), timeouts.tcpfin(), timeouts.udp());
        }
    }
}
