package uvs.lab;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import uvs.lab.bench.DataplaneBench;
import uvs.lab.bench.Setup;

/** {@code uvs bench dataplane}: packet and connection rates of UVS against the kernel, in the namespace lab. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmarks that need the namespace lab (root).")
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    /** {@code uvs bench dataplane}. */
    @Command(name = "dataplane", mixinStandardHelpOptions = true,
        description = {"Forwarded UDP packets/s and new TCP connections/s through lab director d1 as a routing",
            "kernel, an nftables DNAT load balancer, UVS direct routing and UVS NAT; each measured --runs times.",
            "Needs root; builds the lab with prefix " + DataplaneBench.PREFIX + " and removes it at the end."})
    int dataplane(
            @Option(names = "--seconds", defaultValue = "5", description = "seconds per run (default ${DEFAULT-VALUE})")
            int seconds,
            @Option(names = "--runs", defaultValue = "3", description = "runs per metric and set-up (default ${DEFAULT-VALUE})")
            int runs,
            @Option(names = "--flows", defaultValue = "1024", description = "UDP flows (default ${DEFAULT-VALUE})")
            int flows,
            @Option(names = "--threads", defaultValue = "64",
                description = "connecting client threads (default ${DEFAULT-VALUE})")
            int threads,
            @Option(names = "--out", defaultValue = "bench/results/dataplane.json",
                description = "report file (default ${DEFAULT-VALUE})")
            Path out,
            @Option(names = "--setup", split = ",", paramLabel = "KEY",
                description = "only these set-ups (their report keys, e.g. nftables_dnat,af_xdp_fastpath_dr; "
                    + "default: all)")
            List<String> setupKeys) throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (seconds < 1 || seconds > 120 || runs < 1 || runs > 20 || flows < 1 || flows > 50_000 || threads < 1
            || threads > 1000) {
            err.println("uvs bench dataplane: --seconds must be 1..120, --runs 1..20, --flows 1..50000, --threads 1..1000");
            err.flush();
            return 2;
        }
        EnumSet<Setup> setups = EnumSet.allOf(Setup.class);
        if (setupKeys != null && !setupKeys.isEmpty()) {
            setups.clear();
            for (String key : setupKeys) {
                Optional<Setup> s = Setup.byKey(key);
                if (s.isEmpty()) {
                    err.println("uvs bench dataplane: unknown set-up '" + key + "'; the set-ups are "
                        + String.join(", ", Setup.keys()));
                    err.flush();
                    return 2;
                }
                setups.add(s.get());
            }
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            err.println("uvs bench dataplane needs root: it builds network namespaces and sends with AF_PACKET "
                + "(run it with sudo)");
            err.flush();
            return 2;
        }
        return new DataplaneBench(seconds, runs, flows, threads, setups, out, spec.commandLine().getOut()).run();
    }
}
