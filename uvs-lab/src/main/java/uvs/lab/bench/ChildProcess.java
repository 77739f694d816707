package uvs.lab.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A bench main class run in a lab namespace as a subprocess, driven by lines on its input and output. */
final class ChildProcess implements AutoCloseable {
    private static final String END = "\0end";

    private final String name;
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> transcript = new ArrayList<>();

    private ChildProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        Thread.ofPlatform().daemon().name(name + "-output").start(this::read);
    }

    /** Starts {@code mainClass args} with this JVM's java and class path inside namespace {@code ns}. */
    static ChildProcess start(String name, String ns, Class<?> mainClass, List<String> jvmOptions, List<String> args)
            throws IOException {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", ns,
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC",
            "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"));
        argv.addAll(jvmOptions);
        argv.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
        argv.addAll(args);
        return new ChildProcess(name, new ProcessBuilder(argv).redirectErrorStream(true).start());
    }

    /** Sends one line. */
    void send(String line) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /**
     * Waits for the next line starting with {@code prefix} and returns it whole.
     *
     * @throws IOException if the process ends or the timeout passes first (with its output)
     */
    String await(String prefix, long timeoutMillis) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null || line.equals(END)) {
                if (line != null) {
                    lines.add(END);
                }
                throw new IOException(name + ": no '" + prefix + "' line "
                    + (line == null ? "within " + timeoutMillis + " ms" : "before it ended") + ": " + transcript());
            }
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    /** Process id (ip netns exec execs java, so this is the JVM's). */
    long pid() {
        return process.pid();
    }

    /** What it printed so far. */
    synchronized List<String> transcript() {
        return List.copyOf(transcript);
    }

    /** Stops it (SIGTERM, then SIGKILL). */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(3, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(3, TimeUnit.SECONDS);
            }
        }
    }

    private void read() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                synchronized (this) {
                    transcript.add(line);
                }
                lines.add(line);
            }
        } catch (IOException e) {
            // the process went away: END tells the waiters
        }
        lines.add(END);
    }
}
