package uvs.ctl.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import uvs.core.IpvsException;
import uvs.core.IpvsException.Errno;
import uvs.core.IpvsException.Op;
import uvs.core.net.Af;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.persist.PersistenceEngines;
import uvs.core.sched.SchedulerRegistry;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceFlags;
import uvs.core.svc.ServiceKey;
import uvs.core.svc.TunnelType;

/**
 * The one check of a configuration, pure (no engine, no file): the rules ipvsadm applies before it asks the
 * kernel, then those the kernel (and so the engine) applies to each service and real server, and no
 * service or real server twice. Every problem is reported, each at the line that set the value, in the
 * words ipvsadm prints for it.
 */
public final class ConfigValidator {
    /** Problems without a location first, then by file and line. */
    public static final Comparator<Problem> BY_PLACE = Comparator.comparing(
        (Problem p) -> p.at() == null ? "" : p.at().file()).thenComparingInt(Problem::line);

    private final Predicate<String> schedulers;

    /** A validator that knows the schedulers {@code schedulerExists} accepts. */
    public ConfigValidator(Predicate<String> schedulerExists) {
        this.schedulers = schedulerExists;
    }

    /** A validator for the engine's default schedulers. */
    public static ConfigValidator standard() {
        SchedulerRegistry registry = SchedulerRegistry.defaultRegistry();
        return new ConfigValidator(registry::contains);
    }

    /** Every problem of {@code config}, by file and line (problems without a location first). */
    public List<Problem> validate(DirectorConfig config) {
        List<Problem> out = new ArrayList<>();
        Map<ServiceKey, ServiceSpec> seen = HashMap.newHashMap(config.services().size());
        for (ServiceSpec s : config.services()) {
            if (seen.putIfAbsent(s.key(), s) != null) {
                out.add(new Problem(s.at(), IpvsException.message(Op.ADD_SERVICE, Errno.EEXIST)));
                continue;
            }
            String p = serviceProblem(s.key(), s.config(), false);
            if (p != null) {
                out.add(new Problem(s.at(), p));
            }
            Set<Endpoint> dests = HashSet.newHashSet(s.realServers().size());
            for (RealServerSpec r : s.realServers()) {
                if (!dests.add(new Endpoint(r.address(), r.port()))) {
                    out.add(new Problem(r.at(), IpvsException.message(Op.ADD_DEST, Errno.EEXIST)));
                    continue;
                }
                String rp = realServerProblem(s.key(), r.address(), r.config(), false);
                if (rp != null) {
                    out.add(new Problem(r.at(), rp));
                }
            }
        }
        out.sort(BY_PLACE);
        return out;
    }

    /**
     * What is wrong with a service, or null: ipvsadm's own checks, then the kernel's.
     *
     * @param edit true for {@code -E}, which the kernel words differently from {@code -A}
     */
    public String serviceProblem(ServiceKey key, ServiceConfig cfg, boolean edit) {
        Op op = edit ? Op.EDIT_SERVICE : Op.ADD_SERVICE;
        boolean persistent = (cfg.flags() & ServiceFlags.PERSISTENT) != 0;
        if (!key.isFwmark() && key.port() == 0 && !persistent) {
            return "Zero port specified for non-persistent service";
        }
        if (cfg.isOnePacket() && !key.isFwmark() && key.protocol() != IpProto.UDP) {
            return "One-Packet Scheduling is only for UDP virtual services";
        }
        if (!key.isFwmark() && key.protocol() != IpProto.TCP && key.protocol() != IpProto.UDP
            && key.protocol() != IpProto.SCTP) {
            return IpvsException.message(op, Errno.EINVAL);
        }
        if (cfg.peName() != null && PersistenceEngines.get(cfg.peName()) == null) {
            return IpvsException.message(op, Errno.ENOENT);
        }
        if (cfg.isPersistent() && (cfg.persistTimeout() < 1 || cfg.persistTimeout() > ServiceConfig.MAX_PERSIST_TIMEOUT)) {
            return IpvsException.message(op, Errno.EINVAL);
        }
        if (key.af() == Af.INET6 && (cfg.netmask() < 1 || cfg.netmask() > 128)) {
            return IpvsException.message(op, Errno.EINVAL);
        }
        if (!schedulers.test(cfg.scheduler())) {
            return IpvsException.message(op, Errno.ENOENT);
        }
        return null;
    }

    /**
     * What is wrong with a real server of {@code service}, or null: the kernel's checks.
     *
     * @param edit true for {@code -e}
     */
    public String realServerProblem(ServiceKey service, IpAddress address, RealServerConfig cfg, boolean edit) {
        Op op = edit ? Op.EDIT_DEST : Op.ADD_DEST;
        if (address.af() != service.af() && cfg.forward() != ForwardMethod.TUNNEL) {
            return "Different address family is allowed only for tunneling servers";
        }
        if (cfg.weight() < 0) {
            return IpvsException.message(op, Errno.ERANGE);
        }
        if (cfg.upperThreshold() < 0 || cfg.lowerThreshold() < 0) {
            return IpvsException.message(op, Errno.EINVAL);
        }
        if (cfg.lowerThreshold() > cfg.upperThreshold()) {
            return IpvsException.message(op, Errno.ERANGE);
        }
        if (address.af() != service.af()) {
            return IpvsException.message(op, Errno.EAFNOSUPPORT);
        }
        if (cfg.forward() == ForwardMethod.TUNNEL && cfg.tunnelType() == TunnelType.GUE
            && (cfg.tunnelPort() < 1 || cfg.tunnelPort() > 65535)) {
            return IpvsException.message(op, Errno.EINVAL);
        }
        return null;
    }

    /** A real server's address and port: what makes it one server of its service. */
    record Endpoint(IpAddress address, int port) {
    }
}
