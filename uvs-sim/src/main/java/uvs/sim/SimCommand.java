package uvs.sim;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code uvs sim SCENARIO}: director failover on the real engine and sync code, in virtual time. */
@Command(name = "sim", mixinStandardHelpOptions = true,
    description = {"Simulate 2..8 directors (active/standby or ECMP) with connection sync, their failures and "
        + "real-server changes, on the real engine and sync code in virtual time.",
        "Scenario keys and what each result means: docs/simulator.md; examples: sim/scenarios/."})
public final class SimCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SCENARIO_FILE", description = "scenario file (key = value lines, # comments)")
    Path file;

    @Option(names = "--scale", defaultValue = "1", description = "multiply clients and connection rate (default 1)")
    double scale;

    @Option(names = "--seed", defaultValue = "1", description = "seed of clients and sync loss (default 1)")
    long seed;

    @Option(names = "--out", description = "directory for the CSV of the samples and report.html")
    Path out;

    @Option(names = "--progress", description = "show a progress bar on stderr even when it is not a terminal")
    boolean progress;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Scenario scenario;
        try {
            scenario = ScenarioFile.read(file).scaled(scale);
        } catch (NoSuchFileException e) {
            err.println("uvs sim: no such file: " + file);
            return 2;
        } catch (IOException | IllegalArgumentException e) {
            err.println("uvs sim: " + e.getMessage());
            return 2;
        }
        Simulation sim = new Simulation(scenario, seed);
        boolean bar = progress || System.console() != null && System.console().isTerminal();
        SimResult r = sim.run(bar ? pct -> progressBar(err, pct) : pct -> { });
        SimReport.print(r, o);
        // measured on this host, so outside the (deterministic) result
        Map<String, String> measured = Map.of("cpu_ns_per_applied_entry", sim.cpuPerAppliedEntry());
        measured.forEach((k, v) -> o.println(k + ": " + v));
        if (out != null) {
            try {
                o.println("csv: " + SimReport.writeCsv(r, out));
                o.println("html: " + SimHtmlReport.write(r, measured, out));
            } catch (IOException e) {
                err.println("uvs sim: cannot write the report: " + e.getMessage());
                return 1;
            }
        }
        o.flush();
        return 0;
    }

    /** Redraws a 40-column bar in place; a newline once done. */
    private static void progressBar(PrintWriter err, int pct) {
        int filled = pct * 40 / 100;
        err.print("\r[" + "#".repeat(filled) + " ".repeat(40 - filled) + "] " + pct + "%");
        if (pct == 100) {
            err.println();
        }
        err.flush();
    }
}
