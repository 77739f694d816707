package uvs.lab;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code uvs demo}: runs the real engine against a simulated client population and reports. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Runs the UVS engine on a simulated workload in virtual time: a persistent wlc service",
        "with three real servers, then one server quiesced (weight 0) with expire_quiescent_template 0 and 1."})
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--clients", defaultValue = "3000", description = "client addresses (default ${DEFAULT-VALUE})")
    int clients;

    @Option(names = "--rate", defaultValue = "100", description = "new connections per second (default ${DEFAULT-VALUE})")
    int rate;

    @Option(names = "--seed", defaultValue = "1", description = "random seed (default ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() {
        if (clients < 1 || rate < 1 || rate > 100_000) {
            spec.commandLine().getErr().println("uvs demo: --clients must be >= 1 and --rate 1..100000");
            return 2;
        }
        PrintWriter out = spec.commandLine().getOut();
        new EngineDemo(clients, rate, seed, out).run();
        out.flush();
        return 0;
    }
}
