package uvs.core;

import uvs.core.IpvsException.Errno;
import uvs.core.net.Af;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.persist.PersistenceEngines;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceKey;
import uvs.core.svc.TunnelType;

/**
 * The checks the kernel's IPVS makes of a service's and a real server's values before it takes them, in the
 * kernel's order. The engine refuses with them, and the configuration validator reports with them before
 * anything reaches the engine, so the two cannot disagree.
 */
public final class IpvsChecks {
    /** A refusal: the kernel's errno and which value was wrong. */
    public record Refusal(int errno, String detail) {
        /** The refusal as {@code op} reports it. */
        public IpvsException of(IpvsException.Op op) {
            return new IpvsException(op, errno, detail);
        }
    }

    private IpvsChecks() {
    }

    /** What the kernel refuses in a service's values (not its scheduler), or null. */
    public static Refusal service(ServiceKey key, ServiceConfig cfg) {
        if (!key.isFwmark() && key.protocol() != IpProto.TCP && key.protocol() != IpProto.UDP
            && key.protocol() != IpProto.SCTP) {
            return new Refusal(Errno.EINVAL, "protocol " + key.protocol() + " not supported");
        }
        if (cfg.peName() != null && PersistenceEngines.get(cfg.peName()) == null) {
            return new Refusal(Errno.ENOENT, "persistence engine " + cfg.peName());
        }
        if (cfg.isPersistent()
            && (cfg.persistTimeout() < 1 || cfg.persistTimeout() > ServiceConfig.MAX_PERSIST_TIMEOUT)) {
            return new Refusal(Errno.EINVAL,
                "persistent timeout " + cfg.persistTimeout() + " is out of range 1.." + ServiceConfig.MAX_PERSIST_TIMEOUT);
        }
        if (key.af() == Af.INET6 && (cfg.netmask() < 1 || cfg.netmask() > 128)) {
            return new Refusal(Errno.EINVAL, "IPv6 prefix length " + cfg.netmask() + " is out of range 1..128");
        }
        return null;
    }

    /** What the kernel refuses in a real server {@code address} of {@code service}, or null. */
    public static Refusal realServer(ServiceKey service, IpAddress address, RealServerConfig cfg) {
        if (cfg.weight() < 0) {
            return new Refusal(Errno.ERANGE, "server weight less than zero");
        }
        if (cfg.upperThreshold() < 0 || cfg.lowerThreshold() < 0) {
            return new Refusal(Errno.EINVAL, "thresholds must not be negative");
        }
        if (cfg.lowerThreshold() > cfg.upperThreshold()) {
            return new Refusal(Errno.ERANGE, "lower threshold is higher than upper threshold");
        }
        if (address.af() != service.af()) {
            return new Refusal(Errno.EAFNOSUPPORT, "real servers of another address family are not supported");
        }
        if (cfg.forward() == ForwardMethod.TUNNEL && cfg.tunnelType() == TunnelType.GUE
            && (cfg.tunnelPort() < 1 || cfg.tunnelPort() > 65535)) {
            return new Refusal(Errno.EINVAL, "GUE tunnel needs a port 1..65535");
        }
        return null;
    }
}
