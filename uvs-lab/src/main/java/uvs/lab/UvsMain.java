package uvs.lab;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import uvs.daemon.UvsVersion;

/** The {@code uvs} command: entry point of the runnable UVS programs. */
@Command(name = "uvs", mixinStandardHelpOptions = true, versionProvider = UvsVersion.Provider.class,
    description = "UVS (User-space Virtual Server): a Linux layer-4 director.",
    subcommands = {DemoCommand.class, SyncCommand.class, SimCommand.class, LabCommand.class, BenchCommand.class})
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
