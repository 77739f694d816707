package uvs.lab.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the bench's external programs (ip, nft, sysctl, cat) and returns their output. */
final class Sh {
    private static final long TIMEOUT_SECONDS = 30;

    private Sh() {}

    /** Runs {@code argv}; a non-zero status becomes an IOException naming the command and its error output. */
    static String run(List<String> argv) throws IOException {
        return run(argv, null);
    }

    /** Runs {@code argv} with {@code stdin} as input; a non-zero status becomes an IOException. */
    static String run(List<String> argv, String stdin) throws IOException {
        Process p = new ProcessBuilder(argv).start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // it exited without reading: its status says why
        }
        try {
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", argv) + ": no exit after " + TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(String.join(" ", argv) + ": interrupted", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", argv) + ": exit " + p.exitValue() + ": " + err.join().strip());
        }
        return out.join();
    }

    /** Runs {@code argv} inside namespace {@code ns}. */
    static String in(String ns, String... argv) throws IOException {
        List<String> cmd = new java.util.ArrayList<>(List.of("ip", "netns", "exec", ns));
        cmd.addAll(List.of(argv));
        return run(cmd);
    }

    /** True when {@code program} is on one of the usual sbin/bin paths. */
    static boolean installed(String program) {
        for (String dir : List.of("/usr/sbin/", "/sbin/", "/usr/bin/", "/bin/")) {
            if (java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir + program))) {
                return true;
            }
        }
        return false;
    }

    private static String drain(java.io.InputStream s) {
        try (s) {
            return new String(s.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
