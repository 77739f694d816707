package uvs.lab.net;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A main class of this JVM's class path run inside a lab namespace as a subprocess and driven by lines: send
 * it commands on its input, wait for lines it prints. Traffic generators, bench senders and servers use it.
 */
public final class NamespaceProcess implements AutoCloseable {
    private static final String END = "\0end";

    private final String name;
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> transcript = new ArrayList<>();

    private NamespaceProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        Thread.ofPlatform().daemon().name(name + "-output").start(this::read);
    }

    /**
     * Starts {@code mainClass args} with this JVM's java and class path inside namespace {@code ns}, with the
     * lab's small-JVM options followed by {@code jvmOptions} (a later option wins).
     *
     * @throws LabException when it cannot be started
     */
    public static NamespaceProcess start(String name, String ns, Class<?> mainClass, List<String> jvmOptions,
                                         List<String> args) {
        List<String> argv = JavaCommand.inNamespace(ns, mainClass, jvmOptions, args);
        try {
            return new NamespaceProcess(name, new ProcessBuilder(argv).redirectErrorStream(true).start());
        } catch (IOException e) {
            throw new LabException(String.join(" ", argv) + ": cannot start: " + e.getMessage(), e);
        }
    }

    /** Sends one line to its input. */
    public void send(String line) {
        try {
            OutputStream in = process.getOutputStream();
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        } catch (IOException e) {
            throw new LabException(name + ": cannot send '" + line + "': " + transcript(), e);
        }
    }

    /**
     * Waits for the next line that starts with {@code prefix} and returns it whole.
     *
     * @throws LabException if the process ends or the timeout passes first (the message holds its output)
     */
    public String awaitLine(String prefix, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null || line.equals(END)) {
                if (line != null) {
                    lines.add(END);
                }
                throw new LabException(name + ": no '" + prefix + "' line "
                    + (line == null ? "within " + timeout : "before it ended") + ": " + transcript());
            }
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    /** Process id ({@code ip netns exec} execs java, so this is the JVM's). */
    public long pid() {
        return process.pid();
    }

    /** Every line it printed so far. */
    public synchronized List<String> transcript() {
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
