package uvs.lab;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import uvs.lab.sim.Scenario;
import uvs.lab.sim.ScenarioFile;
import uvs.lab.sim.SimReport;
import uvs.lab.sim.SimResult;
import uvs.lab.sim.Simulation;

/** {@code uvs sim SCENARIO}: director failover on the real engine and sync code, in virtual time. */
@Command(name = "sim", mixinStandardHelpOptions = true,
    description = "Simulate an active/standby director pair with connection sync and a failover, "
        + "on the real engine and sync code in virtual time.")
final class SimCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SCENARIO_FILE", description = "scenario file (key = value lines)")
    Path file;

    @Option(names = "--scale", defaultValue = "1", description = "multiply clients and connection rate (default 1)")
    double scale;

    @Option(names = "--seed", defaultValue = "1", description = "seed of clients and sync loss (default 1)")
    long seed;

    @Option(names = "--out", description = "directory for the CSV of the samples")
    Path out;

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
        SimResult r = new Simulation(scenario, seed).run();
        SimReport.print(r, o);
        if (out != null) {
            try {
                o.println("csv: " + SimReport.writeCsv(r, out));
            } catch (IOException e) {
                err.println("uvs sim: cannot write CSV: " + e.getMessage());
                return 1;
            }
        }
        o.flush();
        return 0;
    }
}
