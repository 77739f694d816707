package uvs.daemon;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import uvs.core.EngineConfig;
import uvs.time.SystemNanoClock;

/** {@code uvsd}: the UVS daemon. */
@Command(name = "uvsd", mixinStandardHelpOptions = true, version = "uvsd 0.1.0",
    description = {"The UVS director daemon: holds the engine and serves uvsadm on a Unix socket.",
        "Without --interface it runs the control plane only (rules, tunables, monitoring)."})
public final class UvsdMain implements Callable<Integer> {
    @Option(names = "--rules", description = "rules in ipvsadm-save format, applied all or nothing")
    Path rules;

    @Option(names = "--import", description = "a keepalived.conf or ldirectord.cf to run as configuration: "
        + "its services, health checks and sync daemons (instead of --rules)")
    Path importFile;

    @Option(names = "--sysctl", description = "tunables in sysctl syntax (net.ipv4.vs.NAME = VALUE)")
    Path sysctl;

    @Option(names = "--control-socket", description = "control socket (default $UVS_CONTROL_SOCKET or "
        + ControlServer.DEFAULT_PATH + ")")
    Path socket;

    @Option(names = "--allow-user", description = "a non-root user also allowed on the control socket (made its owner)")
    String allowUser;

    @Option(names = "--allow-group", description = "a group whose members are also allowed on the control socket "
        + "(made its group, mode 0660)")
    String allowGroup;

    @Option(names = "--metrics-port", defaultValue = "9720",
        description = "Prometheus port on --metrics-host (default ${DEFAULT-VALUE}; -1 turns metrics off)")
    int metricsPort;

    @Option(names = "--metrics-host", defaultValue = "127.0.0.1", description = "Prometheus listen address (default ${DEFAULT-VALUE})")
    String metricsHost;

    @Option(names = "--proc-dir", defaultValue = "/run/uvs/proc/net",
        description = "where to keep the ip_vs procfs views (default ${DEFAULT-VALUE}; 'none' turns them off)")
    String procDir;

    @Option(names = "--capacity", defaultValue = "1048576", description = "IPv4 connection entries (default ${DEFAULT-VALUE})")
    int capacity;

    @Option(names = "--interface", paramLabel = "IF",
        description = "run the packet data plane on this interface (needs CAP_NET_RAW and CAP_NET_ADMIN)")
    String iface;

    @Option(names = "--announce", paramLabel = "ADDR", split = ",",
        description = "answer ARP/ND for these addresses on --interface (VRRP-style VIPs, the NAT gateway)")
    java.util.List<String> announce = new java.util.ArrayList<>();

    @Option(names = "--workers", defaultValue = "1",
        description = "data-plane workers, each with its own engine shard (default ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--burst", defaultValue = "64", description = "frames per data-plane burst (default ${DEFAULT-VALUE})")
    int burst;

    /** Runs uvsd until SIGTERM; exits 1 when it cannot start, {@value Supervisor#EXIT_FAILED} when a part of it failed. */
    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new UvsdMain());
        // a bad argument is a user error: one line, no stack trace
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            System.err.println("uvsd: " + Messages.of(e));
            return 1;
        });
        cl.setParameterExceptionHandler((e, args2) -> {
            System.err.println("uvsd: " + Messages.clip(e.getMessage()));
            System.err.println("Try 'uvsd --help' for more information.");
            return 2;
        });
        System.exit(cl.execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path sock = socket != null ? socket : ControlServer.pathFromEnvironment();
        Uvsd uvsd;
        try {
            if (capacity < 1 || capacity > uvs.core.conn.ConnTable.MAX_CAPACITY) {
                throw new IllegalArgumentException("--capacity " + capacity + ": must be 1.."
                    + uvs.core.conn.ConnTable.MAX_CAPACITY);
            }
            EngineConfig cfg = EngineConfig.defaults().withCapacity(capacity, EngineConfig.DEFAULT_CONN_CAPACITY6);
            DataPlaneSpec dp = null;
            if (iface != null) {
                dp = new DataPlaneSpec(iface, announce.stream().map(uvs.core.net.IpAddress::parse).toList(), burst,
                    workers);
            } else if (!announce.isEmpty()) {
                throw new IllegalArgumentException("--announce needs --interface");
            }
            uvsd = new Uvsd(new UvsdConfig(SystemNanoClock.INSTANCE, cfg, rules, sysctl, importFile, sock, allowUser,
                metricsHost, metricsPort, "none".equals(procDir) ? null : Path.of(procDir), dp, allowGroup),
                Supervisor.exitingProcess());
        } catch (IllegalArgumentException | uvs.net.sys.MissingCapabilityException | uvs.net.sys.NativeException
                 | java.io.IOException e) {
            System.err.println("uvsd: " + Messages.of(e).replace('\n', ' '));
            return 1;
        } catch (OutOfMemoryError e) {
            System.err.println("uvsd: not enough memory for --capacity " + capacity + " (raise -Xmx or lower --capacity)");
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                uvsd.close();
            } catch (java.io.IOException e) {
                System.err.println("uvsd: " + e.getMessage());
            }
            stopped.countDown();
        }));
        // reload off the signal thread, one at a time (Uvsd.reload is synchronized)
        sun.misc.Signal.handle(new sun.misc.Signal("HUP"), s -> uvsd.supervisor().start("uvs-reload", uvsd::reload));
        stopped.await();
        return 0;
    }
}
