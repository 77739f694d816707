package uvs.ctl.cli;

import uvs.core.net.IpAddress;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceKey;

/**
 * One ipvsadm invocation, as parsed by {@link IpvsadmParser}: exactly one command with the values ipvsadm
 * would send (defaults filled in, ports forced, names never resolved).
 */
public sealed interface IpvsadmCommand {

    /** {@code -A}: add a virtual service. */
    record AddService(ServiceKey service, ServiceConfig config) implements IpvsadmCommand {
    }

    /** {@code -E}: replace a virtual service's scheduler, flags, timeout, netmask and PE. */
    record EditService(ServiceKey service, ServiceConfig config) implements IpvsadmCommand {
    }

    /** {@code -D}: delete a virtual service. */
    record DeleteService(ServiceKey service) implements IpvsadmCommand {
    }

    /** {@code -C}: delete every virtual service. */
    record Clear() implements IpvsadmCommand {
    }

    /**
     * {@code -R}: the commands read from stdin. Parsing the command line gives no lines; the caller reads
     * them with {@link IpvsadmParser#parseRestore} and applies {@code new Restore(lines)}.
     */
    record Restore(java.util.List<RestoreLine> lines) implements IpvsadmCommand {
        /** Keeps an immutable copy. */
        public Restore {
            lines = java.util.List.copyOf(lines);
        }
    }

    /** {@code -S [-n]}: print the rules in {@code -R} format. */
    record Save(boolean numeric) implements IpvsadmCommand {
    }

    /** {@code -a}: add a real server; {@code port} is already forced to the service port for DR/TUN. */
    record AddDest(ServiceKey service, IpAddress address, int port, RealServerConfig config)
        implements IpvsadmCommand {
    }

    /** {@code -e}: replace a real server's parameters (omitted ones take ipvsadm's defaults again). */
    record EditDest(ServiceKey service, IpAddress address, int port, RealServerConfig config)
        implements IpvsadmCommand {
    }

    /** {@code -d}: delete a real server (the port is used as given). */
    record DeleteDest(ServiceKey service, IpAddress address, int port) implements IpvsadmCommand {
    }

    /** {@code -L} / {@code -l}: list one service (or all when {@code service} is null) in a format. */
    record List(ServiceKey service, ListOptions options) implements IpvsadmCommand {
    }

    /** {@code -Z}: zero the counters of one service, or of everything when {@code service} is null. */
    record Zero(ServiceKey service) implements IpvsadmCommand {
    }

    /** {@code --set tcp tcpfin udp}: timeouts in seconds, 0 = unchanged. */
    record SetTimeouts(int tcp, int tcpfin, int udp) implements IpvsadmCommand {
    }

    /** {@code --start-daemon master|backup}. */
    record StartDaemon(DaemonState state, DaemonOptions options) implements IpvsadmCommand {
    }

    /** {@code --stop-daemon master|backup} (a {@code --syncid} given with it is ignored, as by the kernel). */
    record StopDaemon(DaemonState state) implements IpvsadmCommand {
    }

    /** {@code -h}: print {@link IpvsadmUsage#usage} to stdout, exit 0. */
    record Help() implements IpvsadmCommand {
    }

    /** {@code -v}: print {@link IpvsadmUsage#VERSION} to stdout, exit 0. */
    record Version() implements IpvsadmCommand {
    }
}
