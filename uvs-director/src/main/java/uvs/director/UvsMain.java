package uvs.director;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import uvs.daemon.UvsVersion;
import uvs.sim.SimCommand;

/**
 * The installed {@code uvs} command: the operator's tools beside {@code uvsd} and {@code uvsadm} — the sync
 * wire decoder and listener and the failover simulator. The source tree's {@code bin/uvs} adds the lab, the
 * demo and the benchmarks to it.
 */
@Command(name = "uvs", mixinStandardHelpOptions = true, versionProvider = UvsVersion.Provider.class,
    description = "UVS (User-space Virtual Server): a Linux layer-4 director.",
    subcommands = {SyncCommand.class, SimCommand.class})
public final class UvsMain implements Callable<Integer> {

    /** Runs the command line; exits with the command's status. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new UvsMain()).execute(args));
    }

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 0;
    }
}
