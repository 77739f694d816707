package uvs.ctl.health;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import uvs.core.net.IpAddress;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceKey;

/**
 * The health check of one real server of one virtual service, as a keepalived {@code real_server} block
 * or an ldirectord {@code real=} line describes it.
 *
 * @param service the virtual service
 * @param address real server address
 * @param port real server port (0 is allowed for firewall-mark services; network checks then need
 *     {@code connectPort})
 * @param realServer the configuration the server has while up (weight, method, thresholds)
 * @param kind the check and its kind's fields
 * @param timing interval, timeout, retries, retry delay, warm-up
 * @param onFailure quiesce (weight 0) or remove when down
 * @param startDown start in the down state until the first success (keepalived {@code alpha})
 * @param connectAddress address the check talks to (keepalived {@code connect_ip}); null = {@code address}
 * @param connectPort port the check talks to (keepalived {@code connect_port}, ldirectord
 *     {@code checkport}); 0 = {@code port}
 * @param bindAddress source address of the check's connections (keepalived {@code bindto}); null = chosen
 *     by the routing table
 */
public record HealthCheckConfig(ServiceKey service, IpAddress address, int port, RealServerConfig realServer,
                                CheckKind kind, CheckTiming timing, FailureAction onFailure, boolean startDown,
                                IpAddress connectAddress, int connectPort, IpAddress bindAddress) {
    /** Validates the fields. */
    public HealthCheckConfig {
        if (service == null || address == null || realServer == null || kind == null || timing == null
            || onFailure == null) {
            throw new IllegalArgumentException("service, address, realServer, kind, timing and onFailure are required");
        }
        port("port", port);
        port("connectPort", connectPort);
        if (realServer.weight() < 0 || realServer.weight() > RealServerConfig.MAX_WEIGHT) {
            throw new IllegalArgumentException("weight " + realServer.weight() + " out of range 0.."
                + RealServerConfig.MAX_WEIGHT + " for " + address.withPort(port));
        }
        if (bindAddress != null && connectAddress != null && bindAddress.af() != connectAddress.af()
            || bindAddress != null && connectAddress == null && bindAddress.af() != address.af()) {
            throw new IllegalArgumentException("bindto " + bindAddress + " is not of the address family of the checked"
                + " address for " + address.withPort(port));
        }
        if (kind.isNetwork() && port == 0 && connectPort == 0) {
            throw new IllegalArgumentException("check of " + address.withPort(port) + " in " + service
                + " needs a port: set connectPort");
        }
    }

    /** A check with {@link CheckTiming#defaults()}, quiescent on failure, starting up, at the server's own address. */
    public static HealthCheckConfig of(ServiceKey service, IpAddress address, int port, RealServerConfig realServer,
                                       CheckKind kind) {
        return new HealthCheckConfig(service, address, port, realServer, kind, CheckTiming.defaults(),
            FailureAction.QUIESCE, false, null, 0, null);
    }

    /** Copy with other timing. */
    public HealthCheckConfig withTiming(CheckTiming t) {
        return new HealthCheckConfig(service, address, port, realServer, kind, t, onFailure, startDown,
            connectAddress, connectPort, bindAddress);
    }

    /** Copy with another kind of check. */
    public HealthCheckConfig withKind(CheckKind k) {
        return new HealthCheckConfig(service, address, port, realServer, k, timing, onFailure, startDown,
            connectAddress, connectPort, bindAddress);
    }

    /** Copy with another failure action. */
    public HealthCheckConfig withFailureAction(FailureAction a) {
        return new HealthCheckConfig(service, address, port, realServer, kind, timing, a, startDown,
            connectAddress, connectPort, bindAddress);
    }

    /** Copy starting down (keepalived {@code alpha}) or up. */
    public HealthCheckConfig withStartDown(boolean down) {
        return new HealthCheckConfig(service, address, port, realServer, kind, timing, onFailure, down,
            connectAddress, connectPort, bindAddress);
    }

    /** Copy checking another address and/or port (null / 0 = the server's own). */
    public HealthCheckConfig withConnectTo(IpAddress addr, int p) {
        return new HealthCheckConfig(service, address, port, realServer, kind, timing, onFailure, startDown,
            addr, p, bindAddress);
    }

    /** Copy whose connections leave from {@code source} (keepalived {@code bindto}); null = any. */
    public HealthCheckConfig withBindTo(IpAddress source) {
        return new HealthCheckConfig(service, address, port, realServer, kind, timing, onFailure, startDown,
            connectAddress, connectPort, source);
    }

    /** The configuration of one part of an {@link CheckKind.AllOf} check: its kind, target and timeout. */
    public HealthCheckConfig part(CheckKind.Part p) {
        CheckTiming t = new CheckTiming(timing.interval(), p.timeout(), timing.retries(), timing.delayBeforeRetry(),
            timing.warmup());
        return new HealthCheckConfig(service, address, port, realServer, p.kind(), t, onFailure, startDown,
            p.connectAddress(), p.connectPort(), p.bindAddress());
    }

    /** The socket address network checks talk to. */
    public InetSocketAddress target() {
        IpAddress a = connectAddress != null ? connectAddress : address;
        try {
            return new InetSocketAddress(InetAddress.getByAddress(a.toBytes()), connectPort != 0 ? connectPort : port);
        } catch (UnknownHostException e) {
            // getByAddress fails only on a wrong length, which IpAddress rules out
            throw new IllegalStateException(e);
        }
    }

    /** The local address network checks bind to before connecting, or null for any. */
    public InetSocketAddress source() {
        if (bindAddress == null) {
            return null;
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(bindAddress.toBytes()), 0);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code TCP 10.0.0.1:80 -> 10.0.1.1:80}: the service and the real server, for logs. */
    public String label() {
        return service + " -> " + address.withPort(port);
    }

    private static void port(String name, int p) {
        if (p < 0 || p > 65535) {
            throw new IllegalArgumentException(name + " " + p + " out of range 0..65535");
        }
    }
}
