package uvs.ctl.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import uvs.core.IpvsChecks;
import uvs.core.IpvsException;
import uvs.core.IpvsException.Errno;
import uvs.core.IpvsException.Op;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.sched.SchedulerRegistry;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceFlags;
import uvs.core.svc.ServiceKey;
import uvs.ctl.health.ServiceQuorum;
import uvs.ctl.health.SorryServer;

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
        out.addAll(checkProblems(config));
        out.sort(BY_PLACE);
        return out;
    }

    /**
     * Every problem of {@code config}'s health checks: a real server checked twice, a check that talks to a
     * port of a real server with port 0 (a firewall-mark service's) without a port of its own.
     */
    public static List<Problem> checkProblems(DirectorConfig config) {
        List<Problem> out = new ArrayList<>();
        Map<Checked, CheckSpec> checked = HashMap.newHashMap(config.checks().size());
        for (CheckSpec c : config.checks()) {
            if (c.kind().isNetwork() && c.port() == 0 && c.connectPort() == 0) {
                out.add(new Problem(c.at(), "real server " + c.address().withPort(c.port()) + " of " + c.service()
                    + " has port 0: its check needs connect_port (ldirectord: checkport)"));
            }
            CheckSpec before = checked.putIfAbsent(new Checked(c.service(), c.address(), c.port()), c);
            if (before != null) {
                out.add(new Problem(c.at(), "real server " + c.address().withPort(c.port()) + " of " + c.service()
                    + " has a health check already (" + before.at() + "): one check per real server"));
            }
        }
        return out;
    }

    /**
     * What in the health checks of {@code config} is allowed but does not do what it seems to, by file and
     * line: a check of a real server the rules do not have (the check adds it once it passes), a sorry server
     * that is also one of its service's real servers, and a quorum the service's checked real servers can
     * never reach (its sorry server, if any, then stays in).
     */
    public static List<Problem> checkWarnings(DirectorConfig config) {
        List<Problem> out = new ArrayList<>();
        Map<ServiceKey, ServiceSpec> services = config.byKey();
        Map<ServiceKey, Long> weights = new HashMap<>();
        Map<ServiceKey, CheckSpec> firstOf = new LinkedHashMap<>();
        Map<ServiceKey, ServiceQuorum> quorums = new HashMap<>();
        Map<ServiceKey, SorryServer> sorries = config.sorryServers();
        for (CheckSpec c : config.checks()) {
            ServiceSpec s = services.get(c.service());
            if (s == null || s.realServers().stream().noneMatch(r -> r.address().equals(c.address())
                && r.port() == c.port())) {
                out.add(new Problem(c.at(), "real server " + c.address().withPort(c.port()) + " of " + c.service()
                    + " is checked but not in the rules: the check adds it when it passes"));
            }
            weights.merge(c.service(), (long) c.weight(), Long::sum);
            firstOf.putIfAbsent(c.service(), c);
            if (c.quorum() != null) {
                quorums.putIfAbsent(c.service(), c.quorum());
            }
        }
        for (CheckSpec c : firstOf.values()) {
            ServiceKey key = c.service();
            SorryServer sorry = sorries.get(key);
            ServiceSpec s = services.get(key);
            if (sorry != null && s != null && s.realServers().stream().anyMatch(r -> r.address().equals(sorry.address())
                && r.port() == sorry.port())) {
                out.add(new Problem(c.at(), "sorry server " + sorry.address().withPort(sorry.port()) + " of " + key
                    + " is also one of its real servers: its health check and the quorum both set its weight"));
            }
            ServiceQuorum q = quorums.get(key);
            long total = weights.getOrDefault(key, 0L);
            if (q != null && q.quorum() + q.hysteresis() > total) {
                out.add(new Problem(c.at(), "quorum " + q.quorum() + (q.hysteresis() == 0 ? ""
                    : " + hysteresis " + q.hysteresis()) + " of " + key + " is more than the total weight " + total
                    + " of its checked real servers: the quorum is never gained"
                    + (sorry == null ? "" : " and the sorry server stays in")));
            }
        }
        out.sort(BY_PLACE);
        return out;
    }

    /**
     * What is wrong with a service, or null: ipvsadm's own checks, then the kernel's, the scheduler last.
     *
     * @param edit true for {@code -E}, which the kernel words differently from {@code -A}
     */
    public String serviceProblem(ServiceKey key, ServiceConfig cfg, boolean edit) {
        String p = serviceValuesProblem(key, cfg, edit);
        return p != null ? p : schedulerProblem(cfg, edit);
    }

    /** {@link #serviceProblem} without the scheduler: what the kernel checks before it looks the service up. */
    public String serviceValuesProblem(ServiceKey key, ServiceConfig cfg, boolean edit) {
        Op op = edit ? Op.EDIT_SERVICE : Op.ADD_SERVICE;
        boolean persistent = (cfg.flags() & ServiceFlags.PERSISTENT) != 0;
        if (!key.isFwmark() && key.port() == 0 && !persistent) {
            return "Zero port specified for non-persistent service";
        }
        if (cfg.isOnePacket() && !key.isFwmark() && key.protocol() != IpProto.UDP) {
            return "One-Packet Scheduling is only for UDP virtual services";
        }
        IpvsChecks.Refusal r = IpvsChecks.service(key, cfg);
        return r == null ? null : IpvsException.message(op, r.errno());
    }

    /**
     * What is wrong with the scheduler of a service, or null. The kernel looks the scheduler up after the
     * service's other values and, for {@code -A}, after finding that the service does not exist yet.
     */
    public String schedulerProblem(ServiceConfig cfg, boolean edit) {
        return schedulers.test(cfg.scheduler()) ? null
            : IpvsException.message(edit ? Op.EDIT_SERVICE : Op.ADD_SERVICE, Errno.ENOENT);
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
        IpvsChecks.Refusal r = IpvsChecks.realServer(service, address, cfg);
        return r == null ? null : IpvsException.message(op, r.errno());
    }

    /** A real server's address and port: what makes it one server of its service. */
    record Endpoint(IpAddress address, int port) {
    }

    // a real server of one service: what one health check is for
    private record Checked(ServiceKey service, IpAddress address, int port) {
    }
}
