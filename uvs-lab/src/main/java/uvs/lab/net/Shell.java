package uvs.lab.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** Runs the lab's external programs ({@code ip}, {@code sysctl}, {@code nft}) and collects their output. */
public final class Shell {
    private static final long TIMEOUT_SECONDS = 30;
    private static final Executor READERS = Executors.newVirtualThreadPerTaskExecutor();

    private Shell() {}

    /** Exit status and output of a finished program. */
    record Result(int status, String out, String err) {
        boolean ok() {
            return status == 0;
        }
    }

    /** Runs {@code argv}; a non-zero status becomes a {@link LabException} naming the command and its error. */
    static String run(List<String> argv) {
        return run(argv, null);
    }

    /** Runs {@code argv} with {@code stdin} as input; a non-zero status becomes a {@link LabException}. */
    public static String run(List<String> argv, String stdin) {
        Result r = tryRun(argv, stdin);
        if (!r.ok()) {
            throw new LabException(String.join(" ", argv) + ": exit " + r.status() + ": " + r.err().strip());
        }
        return r.out();
    }

    /** Runs {@code argv} and returns its status and output whatever the status (for best-effort cleanup). */
    static Result tryRun(List<String> argv, String stdin) {
        Process p;
        try {
            p = new ProcessBuilder(argv).start();
        } catch (IOException e) {
            throw new LabException(String.join(" ", argv) + ": cannot start: " + e.getMessage(), e);
        }
        // read both streams concurrently so a full pipe cannot block the program
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream()), READERS);
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()), READERS);
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // the program exited without reading its input: its status and error output tell why
        }
        try {
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new LabException(String.join(" ", argv) + ": no exit after " + TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new LabException(String.join(" ", argv) + ": interrupted", e);
        }
        return new Result(p.exitValue(), out.join(), err.join());
    }

    /** {@code ip -n NS -batch -} over {@code lines}: one process for many changes, stops at the first error. */
    static void ipBatch(String ns, List<String> lines) {
        if (!lines.isEmpty()) {
            run(List.of("ip", "-n", ns, "-batch", "-"), String.join("\n", lines) + "\n");
        }
    }

    /** Sets {@code key=value} sysctls inside namespace {@code ns}. */
    static void sysctl(String ns, List<String> settings) {
        if (!settings.isEmpty()) {
            List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", ns, "sysctl", "-q", "-w"));
            argv.addAll(settings);
            run(argv);
        }
    }

    private static String drain(InputStream s) {
        try (s) {
            return new String(s.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** True when {@code program} is on one of the usual sbin/bin paths. */
    public static boolean installed(String program) {
        for (String dir : List.of("/usr/sbin/", "/sbin/", "/usr/bin/", "/bin/")) {
            if (Files.isExecutable(Path.of(dir + program))) {
                return true;
            }
        }
        return false;
    }
}
