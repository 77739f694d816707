package uvs.ctl.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import uvs.core.IpvsException;
import uvs.core.IpvsException.Errno;
import uvs.core.IpvsException.Op;
import uvs.core.net.IpAddress;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceKey;
import uvs.ctl.cli.IpvsadmCommand;
import uvs.ctl.cli.RestoreLine;
import uvs.ctl.importer.SourceLocation;
import uvs.ctl.model.ConfigValidator.Endpoint;

/**
 * Builds a {@link DirectorConfig} from ipvsadm commands ({@code -A -E -D -C -a -e -d -Z --set}) as the
 * kernel would apply them one after the other, without an engine. A command the kernel would refuse (a
 * service that exists, a real server of a service that does not, a value {@link ConfigValidator} refuses)
 * is a {@link Problem} at its line and changes nothing; the following commands still apply, so every
 * problem of a file is known at once. Linear in the number of commands.
 */
public final class RulesBuilder {
    private final ConfigValidator validator;
    // a key mapped to null is a service of the base deleted here
    private final Map<ServiceKey, Service> services = new LinkedHashMap<>();
    // the services not (yet) looked at, or null
    private Function<ServiceKey, ServiceSpec> base;
    private final List<Problem> problems = new ArrayList<>();
    private Timeouts timeouts;
    private boolean flush;

    /** An empty configuration, checked by {@code validator}. */
    public RulesBuilder(ConfigValidator validator) {
        this.validator = validator;
    }

    /** Starts from {@code base} (its services, timeouts and flush; sync daemons are not kept). */
    public RulesBuilder(ConfigValidator validator, DirectorConfig base) {
        this(validator);
        for (ServiceSpec s : base.services()) {
            services.put(s.key(), new Service(s));
        }
        timeouts = base.timeouts();
        flush = base.flush();
    }

    /**
     * A builder over a configuration it reads only where a command touches it (a live engine's services, on
     * the engine's thread): checking commands costs in proportion to them, not to the table. Only
     * {@link #problems()} is meaningful then; {@link #build()} holds just the services touched.
     */
    public static RulesBuilder over(ConfigValidator validator, Function<ServiceKey, ServiceSpec> services) {
        RulesBuilder b = new RulesBuilder(validator);
        b.base = services;
        return b;
    }

    /** The rules of {@code lines} (from {@code file}) applied to an empty configuration. */
    public static RulesBuilder of(ConfigValidator validator, String file, List<RestoreLine> lines) {
        RulesBuilder b = new RulesBuilder(validator);
        b.applyAll(file, lines);
        return b;
    }

    /** Applies each line in order. */
    public void applyAll(String file, List<RestoreLine> lines) {
        for (RestoreLine l : lines) {
            apply(l.command(), new SourceLocation(file, l.number()));
        }
    }

    /**
     * Applies one command; a refused one is a {@link Problem} at {@code at}.
     *
     * @throws IllegalArgumentException for a command that does not change the table (-L, -S, -R, daemons)
     */
    public void apply(IpvsadmCommand cmd, SourceLocation at) {
        String problem = switch (cmd) {
            case IpvsadmCommand.AddService a -> addService(a.service(), a.config(), at);
            case IpvsadmCommand.EditService e -> editService(e.service(), e.config(), at);
            case IpvsadmCommand.DeleteService d -> {
                if (find(d.service()) == null) {
                    yield IpvsException.message(Op.DELETE_SERVICE, Errno.ESRCH);
                }
                services.put(d.service(), null);
                yield null;
            }
            case IpvsadmCommand.Clear _ -> {
                services.clear();
                base = null;
                flush = true;
                yield null;
            }
            case IpvsadmCommand.AddDest a -> putDest(a.service(), a.address(), a.port(), a.config(), at, false);
            case IpvsadmCommand.EditDest e -> putDest(e.service(), e.address(), e.port(), e.config(), at, true);
            case IpvsadmCommand.DeleteDest d -> deleteDest(d.service(), d.address(), d.port());
            case IpvsadmCommand.Zero z -> z.service() != null && find(z.service()) == null
                ? IpvsException.message(Op.ZERO, Errno.ESRCH) : null;
            case IpvsadmCommand.SetTimeouts t -> {
                timeouts = merge(timeouts, new Timeouts(t.tcp(), t.tcpfin(), t.udp()));
                yield null;
            }
            default -> throw new IllegalArgumentException(cmd.getClass().getSimpleName()
                + " does not change the table");
        };
        if (problem != null) {
            problems.add(new Problem(at, problem));
        }
    }

    private String addService(ServiceKey key, ServiceConfig cfg, SourceLocation at) {
        // the kernel's order: the values, then "already exists", then the scheduler
        String p = validator.serviceValuesProblem(key, cfg, false);
        if (p != null) {
            return p;
        }
        if (find(key) != null) {
            return IpvsException.message(Op.ADD_SERVICE, Errno.EEXIST);
        }
        p = validator.schedulerProblem(cfg, false);
        if (p != null) {
            return p;
        }
        services.put(key, new Service(cfg, at));
        return null;
    }

    private String editService(ServiceKey key, ServiceConfig cfg, SourceLocation at) {
        Service s = find(key);
        if (s == null) {
            return IpvsException.message(Op.EDIT_SERVICE, Errno.ESRCH);
        }
        String p = validator.serviceProblem(key, cfg, true);
        if (p != null) {
            return p;
        }
        s.config = cfg;
        s.at = at;
        return null;
    }

    // -a (edit false) or -e: checked in the kernel's order (service, values, then the server itself)
    private String putDest(ServiceKey key, IpAddress address, int port, RealServerConfig cfg, SourceLocation at,
                           boolean edit) {
        Op op = edit ? Op.EDIT_DEST : Op.ADD_DEST;
        Service s = find(key);
        if (s == null) {
            return IpvsException.message(op, Errno.ESRCH);
        }
        String p = validator.realServerProblem(key, address, cfg, edit);
        if (p != null) {
            return p;
        }
        Endpoint e = new Endpoint(address, port);
        if (s.dests.containsKey(e) != edit) {
            return IpvsException.message(op, edit ? Errno.ENOENT : Errno.EEXIST);
        }
        // an edit replaces in place, keeping the server's place in the list
        s.dests.put(e, new RealServerSpec(address, port, cfg, at));
        return null;
    }

    private String deleteDest(ServiceKey key, IpAddress address, int port) {
        Service s = find(key);
        if (s == null) {
            return IpvsException.message(Op.DELETE_DEST, Errno.ESRCH);
        }
        return s.dests.remove(new Endpoint(address, port)) == null
            ? IpvsException.message(Op.DELETE_DEST, Errno.ENOENT) : null;
    }

    // the service of key as the commands so far left it, or null
    private Service find(ServiceKey key) {
        if (services.containsKey(key) || base == null) {
            return services.get(key);
        }
        ServiceSpec spec = base.apply(key);
        Service s = spec == null ? null : new Service(spec);
        services.put(key, s);
        return s;
    }

    private static Timeouts merge(Timeouts was, Timeouts now) {
        if (was == null) {
            return now;
        }
        return new Timeouts(now.tcp() != 0 ? now.tcp() : was.tcp(), now.tcpfin() != 0 ? now.tcpfin() : was.tcpfin(),
            now.udp() != 0 ? now.udp() : was.udp());
    }

    /** The problems so far, in the order the commands came. */
    public List<Problem> problems() {
        return List.copyOf(problems);
    }

    /** The configuration the accepted commands built. */
    public DirectorConfig build() {
        List<ServiceSpec> out = new ArrayList<>(services.size());
        for (Map.Entry<ServiceKey, Service> e : services.entrySet()) {
            Service s = e.getValue();
            if (s == null) {
                continue;
            }
            out.add(new ServiceSpec(e.getKey(), s.config, new ArrayList<>(s.dests.values()), s.at));
        }
        return new DirectorConfig(out, timeouts, flush, List.of());
    }

    private static final class Service {
        private ServiceConfig config;
        private SourceLocation at;
        private final LinkedHashMap<Endpoint, RealServerSpec> dests = new LinkedHashMap<>();

        private Service(ServiceConfig config, SourceLocation at) {
            this.config = config;
            this.at = at;
        }

        private Service(ServiceSpec spec) {
            this(spec.config(), spec.at());
            for (RealServerSpec r : spec.realServers()) {
                dests.put(new Endpoint(r.address(), r.port()), r);
            }
        }
    }
}
