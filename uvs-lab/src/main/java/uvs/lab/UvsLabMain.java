package uvs.lab;

import picocli.CommandLine;
import uvs.director.UvsMain;

/**
 * The source tree's {@code uvs} command ({@code bin/uvs}): the installed command's tools plus the namespace
 * lab, the demo and the benchmarks, which are development tools and not part of the product.
 */
public final class UvsLabMain {
    private UvsLabMain() {}

    /** Runs the command line; exits with the command's status. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The product's {@code uvs} command line with {@code demo}, {@code lab} and {@code bench} added. */
    public static CommandLine commandLine() {
        return new CommandLine(new UvsMain())
                .addSubcommand(new DemoCommand())
                .addSubcommand(new LabCommand())
                .addSubcommand(new BenchCommand());
    }
}
