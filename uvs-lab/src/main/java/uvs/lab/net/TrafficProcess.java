package uvs.lab.net;

import java.time.Duration;
import java.util.List;

/**
 * A {@link TrafficMain} run in a namespace as a subprocess: send it commands ({@code report}, {@code round},
 * {@code stop}) and wait for its summary lines. For demos and tests that drive lab traffic from the host.
 */
public final class TrafficProcess implements AutoCloseable {
    private final NamespaceProcess process;

    private TrafficProcess(NamespaceProcess process) {
        this.process = process;
    }

    /** Starts {@code TrafficMain args...} inside namespace {@code ns} (e.g. {@code streams --vip ...}). */
    public static TrafficProcess start(String ns, List<String> args) {
        return new TrafficProcess(NamespaceProcess.start("traffic", ns, TrafficMain.class, List.of(), args));
    }

    /** Sends one command line ({@link TrafficMain#REPORT}, {@link TrafficMain#ROUND}, {@link TrafficMain#STOP}). */
    public void send(String command) {
        process.send(command);
    }

    /**
     * Waits for the next output line that starts with {@code kind} and a space, and returns the rest of it.
     *
     * @throws LabException if the process ends or the timeout passes first (the message holds its output)
     */
    public String await(String kind, Duration timeout) throws InterruptedException {
        return process.awaitLine(kind + " ", timeout).substring(kind.length() + 1);
    }

    /** Every line the process printed so far. */
    public List<String> transcript() {
        return process.transcript();
    }

    /** Kills the process if it still runs. */
    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
