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
 * A {@link TrafficMain} run in a namespace as a subprocess: send it commands ({@code report}, {@code round},
 * {@code stop}) and wait for its summary lines. For demos and tests that drive lab traffic from the host.
 */
public final class TrafficProcess implements AutoCloseable {
    private static final String END = "\0end";

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> transcript = new ArrayList<>();

    private TrafficProcess(Process process) {
        this.process = process;
        Thread.ofPlatform().daemon().name("traffic-output").start(this::read);
    }

    /** Starts {@code TrafficMain args...} inside namespace {@code ns} (e.g. {@code streams --vip ...}). */
    public static TrafficProcess start(String ns, List<String> args) {
        List<String> argv = JavaCommand.inNamespace(ns, TrafficMain.class, args);
        try {
            return new TrafficProcess(new ProcessBuilder(argv).redirectErrorStream(true).start());
        } catch (IOException e) {
            throw new LabException(String.join(" ", argv) + ": cannot start: " + e.getMessage(), e);
        }
    }

    /** Sends one command line ({@link TrafficMain#REPORT}, {@link TrafficMain#ROUND}, {@link TrafficMain#STOP}). */
    public void send(String command) {
        try {
            OutputStream in = process.getOutputStream();
            in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        } catch (IOException e) {
            throw new LabException("traffic process: cannot send '" + command + "': " + transcript(), e);
        }
    }

    /**
     * Waits for the next output line that starts with {@code kind} and a space, and returns the rest of it.
     *
     * @throws LabException if the process ends or the timeout passes first (the message holds its output)
     */
    public String await(String kind, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null || line.equals(END)) {
                if (line != null) {
                    lines.add(END);
                }
                throw new LabException("traffic process: no '" + kind + "' line "
                    + (line == null ? "within " + timeout : "before it ended") + ": " + transcript());
            }
            if (line.startsWith(kind + " ")) {
                return line.substring(kind.length() + 1);
            }
        }
    }

    /** Every line the process printed so far. */
    public synchronized List<String> transcript() {
        return List.copyOf(transcript);
    }

    /** Kills the process if it still runs. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
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
            // the process went away: END below tells the waiters
        }
        lines.add(END);
    }
}
