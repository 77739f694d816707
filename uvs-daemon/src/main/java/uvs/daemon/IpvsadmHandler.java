package uvs.daemon;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import uvs.core.IpvsException;
import uvs.core.svc.ServiceKey;
import uvs.core.tune.SysctlFile;
import uvs.core.tune.Tunable;
import uvs.core.tune.TunableException;
import uvs.ctl.cli.IpvsadmCommand;
import uvs.ctl.cli.IpvsadmException;
import uvs.ctl.cli.IpvsadmExecutor;
import uvs.ctl.cli.IpvsadmParser;
import uvs.ctl.cli.IpvsadmUsage;
import uvs.ctl.cli.ListOptions;
import uvs.ctl.format.ConnListFormat;
import uvs.ctl.format.DaemonFormat;
import uvs.ctl.format.DisplayOptions;
import uvs.ctl.format.ListFormat;
import uvs.ctl.format.PersistentConnFormat;
import uvs.ctl.format.RateFormat;
import uvs.ctl.format.SaveFormat;
import uvs.ctl.format.ServiceListing;
import uvs.ctl.format.StatsFormat;
import uvs.ctl.format.ThresholdsFormat;
import uvs.ctl.format.TimeoutFormat;
import uvs.ctl.format.TunInfoFormat;
import uvs.ctl.view.EngineView;
import uvs.ctl.view.ServiceView;
import uvs.ctl.view.Snapshots;

/**
 * Runs one uvsadm request: parses it exactly as ipvsadm 1.31 would, applies table changes on the engine
 * thread, and answers listings with byte-identical ipvsadm output built from a snapshot taken on the
 * engine thread. Errors come back with ipvsadm's message and exit code.
 */
public final class IpvsadmHandler implements ControlServer.Handler {
    /** Exit code ipvsadm uses when the kernel refuses an operation. */
    public static final int EXIT_KERNEL_ERROR = 255;
    private static final int TIMEOUT_SECONDS = 30;
    /** Shown with {@code -L --daemon} while reliable sync runs without a key. */
    static final String RELIABLE_WITHOUT_KEY = "warning: reliable sync runs without --sync-auth-key: a forged datagram "
        + "is believed (docs/sync.md)\n";

    private final EngineGroup agent;
    private final SyncDaemonGroup daemons;
    private final DataPlane dataPlane;

    /**
     * A handler running changes on every engine shard of {@code agent} and answering listings with their sum,
     * with the sync {@code daemons} and
     * the data plane (or null) answering {@code --announce}, {@code --withdraw} and {@code -L --dataplane}.
     */
    IpvsadmHandler(EngineGroup agent, SyncDaemonGroup daemons, DataPlane dataPlane) {
        this.agent = agent;
        this.daemons = daemons;
        this.dataPlane = dataPlane;
    }

    @Override
    public ControlProtocol.Reply handle(ControlProtocol.Request request) {
        if (!request.args().isEmpty() && request.args().get(0).startsWith("--sysctl")) {
            return sysctl(request.args());
        }
        if (request.args().contains("--sync-stats")) {
            return syncStats(request.args());
        }
        if (DataPlaneCommands.matches(request.args())) {
            return DataPlaneCommands.run(request.args(), dataPlane);
        }
        List<String> args = new ArrayList<>(request.args());
        SyncExtensions ext;
        try {
            ext = SyncExtensions.take(args);
        } catch (IllegalArgumentException e) {
            return ControlProtocol.Reply.error(2, e.getMessage());
        }
        IpvsadmCommand cmd;
        try {
            cmd = IpvsadmParser.parse(args.toArray(String[]::new));
            if (!ext.isEmpty() && !(cmd instanceof IpvsadmCommand.StartDaemon)) {
                return ControlProtocol.Reply.error(2, "--sync-reliable, --sync-auth-key and --sync-mixed-group go with --start-daemon");
            }
            if (cmd instanceof IpvsadmCommand.Restore) {
                // -R reads its commands from uvsadm's standard input, carried in the request
                cmd = new IpvsadmCommand.Restore(IpvsadmParser.parseRestore(new StringReader(
                    new String(request.stdin(), StandardCharsets.UTF_8))));
            }
        } catch (IpvsadmException e) {
            return ControlProtocol.Reply.error(e.exitCode(), e.getMessage());
        } catch (IOException e) {
            return ControlProtocol.Reply.error(EXIT_KERNEL_ERROR, "uvsd: standard input: " + Messages.of(e));
        }
        try {
            return execute(cmd, ext);
        } catch (IpvsadmException e) {
            return ControlProtocol.Reply.error(e.exitCode(), e.getMessage());
        } catch (Exception e) {
            return ControlProtocol.Reply.error(EXIT_KERNEL_ERROR, "uvsd: " + Messages.of(e));
        }
    }

    /**
     * {@code uvsadm --sysctl [NAME[=VALUE] ...]}: prints tunables as sysctl does ({@code name = value}), all of
     * them without a name; sets with {@code =}, validated exactly as the tunables file is.
     */
    private ControlProtocol.Reply sysctl(List<String> args) {
        List<String> items = new ArrayList<>();
        String first = args.get(0);
        if (first.startsWith("--sysctl=")) {
            items.add(first.substring("--sysctl=".length()));
        } else if (!first.equals("--sysctl")) {
            return ControlProtocol.Reply.error(2, "unknown option " + first);
        }
        items.addAll(args.subList(1, args.size()));
        try {
            String out = agent.call(engine -> {
                StringBuilder sb = new StringBuilder();
                if (items.isEmpty()) {
                    engine.tunables().snapshot().forEach((k, v) -> sb.append(k).append(" = ").append(v).append('\n'));
                    return sb.toString();
                }
                // all or nothing: every name is checked, then every value is set on a copy first
                List<SysctlFile.Entry> sets = new ArrayList<>();
                List<String> names = new ArrayList<>();
                for (int i = 0; i < items.size(); i++) {
                    String item = items.get(i);
                    int eq = item.indexOf('=');
                    String name = (eq < 0 ? item : item.substring(0, eq)).trim();
                    names.add(Tunable.byName(name).fullName());
                    if (eq >= 0) {
                        sets.add(new SysctlFile.Entry("--sysctl", i + 1, name,
                            item.substring(eq + 1).trim(), false));
                    }
                }
                try {
                    engine.applySysctl(sets);
                } catch (TunableException e) {
                    throw new IllegalArgumentException(String.join("; ", e.problems()), e);
                }
                for (String full : names) {
                    sb.append(full).append(" = ").append(engine.tunables().get(full)).append('\n');
                }
                return sb.toString();
            }, TIMEOUT_SECONDS);
            return new ControlProtocol.Reply(0, out, "");
        } catch (IllegalArgumentException e) {
            return ControlProtocol.Reply.error(EXIT_KERNEL_ERROR, Messages.of(e) + " (nothing changed)");
        } catch (Exception e) {
            return ControlProtocol.Reply.error(EXIT_KERNEL_ERROR, "uvsd: " + Messages.of(e));
        }
    }

    /** {@code uvsadm -L --sync-stats} (UVS's own listing): every sync counter. */
    private ControlProtocol.Reply syncStats(List<String> args) {
        List<String> rest = new ArrayList<>(args);
        rest.remove("--sync-stats");
        if (!(rest.equals(List.of("-L")) || rest.equals(List.of("-l")) || rest.equals(List.of("--list")))) {
            return ControlProtocol.Reply.error(2, "--sync-stats goes with -L alone");
        }
        try {
            return new ControlProtocol.Reply(0, daemons.stats(), "");
        } catch (Exception e) {
            return ControlProtocol.Reply.error(EXIT_KERNEL_ERROR, "uvsd: " + Messages.of(e));
        }
    }

    private ControlProtocol.Reply execute(IpvsadmCommand cmd, SyncExtensions ext) throws Exception {
        if (cmd instanceof IpvsadmCommand.Help) {
            return new ControlProtocol.Reply(0, IpvsadmUsage.usage(IpvsadmUsage.PROGRAM), "");
        }
        if (cmd instanceof IpvsadmCommand.Version) {
            return new ControlProtocol.Reply(0, IpvsadmUsage.VERSION + "\n", "");
        }
        if (IpvsadmExecutor.isMutating(cmd)) {
            if (dataPlane != null) {
                // a real server the data plane cannot reach would only collect dropped connections
                dataPlane.reach().check(cmd);
            }
            agent.call(engine -> {
                IpvsadmExecutor.apply(engine, cmd);
                return null;
            }, TIMEOUT_SECONDS);
            if (dataPlane != null) {
                // an XDP data plane sees a new service's first packet only once its steering knows it
                dataPlane.refreshSteering();
            }
            return new ControlProtocol.Reply(0, "", "");
        }
        return switch (cmd) {
            case IpvsadmCommand.Save s -> new ControlProtocol.Reply(0,
                new SaveFormat().format(agent.primary().call(Snapshots::withoutConnections, TIMEOUT_SECONDS)), "");
            case IpvsadmCommand.List l -> list(l);
            case IpvsadmCommand.StartDaemon d -> daemonCall(() -> daemons.start(d.state(), d.options(), ext));
            case IpvsadmCommand.StopDaemon d -> daemonCall(() -> daemons.stop(d.state()));
            default -> ControlProtocol.Reply.error(EXIT_KERNEL_ERROR, "uvsd: unsupported command " + cmd);
        };
    }

    private ControlProtocol.Reply list(IpvsadmCommand.List l) throws Exception {
        ListOptions o = l.options();
        if (o.daemon()) {
            // ipvsadm's listing on stdout stays byte-identical; UVS's warning goes to stderr
            return new ControlProtocol.Reply(0, new DaemonFormat().format(daemons.views()),
                daemons.reliableWithoutKey() ? RELIABLE_WITHOUT_KEY : "");
        }
        EngineView view = agent.view(o.connection(), TIMEOUT_SECONDS);
        if (o.timeout()) {
            return new ControlProtocol.Reply(0, new TimeoutFormat().format(view.timeouts()), "");
        }
        if (o.connection()) {
            return new ControlProtocol.Reply(0, new ConnListFormat(o.persistentConn()).format(view.conns()), "");
        }
        DisplayOptions fo = new DisplayOptions(o.numeric(), o.nosort(), o.exact());
        ServiceListing listing;
        if (o.stats()) {
            listing = new StatsFormat(fo);
        } else if (o.rate()) {
            listing = new RateFormat(fo);
        } else if (o.thresholds()) {
            listing = new ThresholdsFormat(fo);
        } else if (o.persistentConn()) {
            listing = new PersistentConnFormat(fo);
        } else if (o.tunInfo()) {
            listing = new TunInfoFormat(fo);
        } else {
            listing = new ListFormat(fo);
        }
        StringBuilder out = new StringBuilder();
        if (l.service() == null) {
            listing.formatAll(view, out);
        } else {
            ServiceView svc = find(view, l.service());
            if (svc == null) {
                // ipvsadm's list_service exits 1 here, not 255 as the changing commands do
                return ControlProtocol.Reply.error(1, "No such service");
            }
            listing.formatService(svc, out);
        }
        return new ControlProtocol.Reply(0, out.toString(), "");
    }

    private static ServiceView find(EngineView view, ServiceKey key) {
        for (ServiceView s : view.services()) {
            if (s.key().equals(key)) {
                return s;
            }
        }
        return null;
    }

    /** A sync daemon operation that may fail. */
    @FunctionalInterface
    private interface DaemonOp {
        void run() throws Exception;
    }

    private static ControlProtocol.Reply daemonCall(DaemonOp r) throws Exception {
        try {
            r.run();
            return new ControlProtocol.Reply(0, "", "");
        } catch (IpvsException e) {
            return ControlProtocol.Reply.error(EXIT_KERNEL_ERROR, e.ipvsadmMessage());
        } catch (IllegalArgumentException e) {
            return ControlProtocol.Reply.error(EXIT_KERNEL_ERROR, "uvsd: cannot start sync daemon: " + Messages.of(e));
        }
    }
}
