package uvs.lab.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import uvs.daemon.ControlProtocol;
import uvs.daemon.UvsadmClient;

/**
 * One uvsd running in a lab director namespace with its data plane on the LAN interface: started with
 * {@code ip netns exec}, driven through its control socket, killed like a failed machine.
 */
public final class LabDirector implements AutoCloseable {
    private static final long START_TIMEOUT_MILLIS = 30_000;

    private final String name;
    private final String namespace;
    private final Path dir;
    private final Path socket;
    private final Path log;
    private Process process;
    /** The data plane's packet port ({@code uvsd --io}); null: uvsd's default, or the {@code uvs.lab.io} property. */
    private String io = System.getProperty("uvs.lab.io");
    /** More uvsd options for every start ({@code --fast-path off}, ...); {@code uvs.lab.fastpath} sets one. */
    private List<String> options = System.getProperty("uvs.lab.fastpath") == null ? List.of()
        : List.of("--fast-path", System.getProperty("uvs.lab.fastpath"));

    /**
     * A director called {@code name} (d1, d2) in {@code namespace}, keeping its files in {@code workDir}.
     */
    public LabDirector(String name, String namespace, Path workDir) {
        this.name = name;
        this.namespace = namespace;
        this.dir = workDir;
        this.socket = workDir.resolve(name + ".sock");
        this.log = workDir.resolve(name + ".log");
    }

    /**
     * Starts uvsd with these rules (ipvsadm-save format) and tunables (sysctl syntax) on {@code iface} (null:
     * control plane only, no data plane), answering ARP/ND for {@code announce}; returns when its control
     * socket answers.
     */
    public void start(String rules, String sysctl, String iface, List<String> announce) throws IOException {
        start(rules, sysctl, iface, announce, 1);
    }

    /** As {@link #start(String, String, String, List)} with {@code workers} data-plane workers (engine shards). */
    public void start(String rules, String sysctl, String iface, List<String> announce, int workers)
        throws IOException {
        Files.createDirectories(dir);
        Path rulesFile = dir.resolve(name + ".rules");
        Files.writeString(rulesFile, rules);
        start(List.of("--rules", rulesFile.toString()), sysctl, iface, announce, workers, List.of());
    }

    /**
     * Starts uvsd configured by {@code config} (e.g. {@code --rules FILE} or {@code --import FILE}) and tunables
     * (sysctl syntax) on {@code iface}, answering ARP/ND for {@code announce}, with more options {@code extra};
     * returns when its control socket answers.
     */
    public void start(List<String> config, String sysctl, String iface, List<String> announce, int workers,
                      List<String> extra) throws IOException {
        Files.createDirectories(dir);
        Path sysctlFile = dir.resolve(name + ".sysctl");
        Files.writeString(sysctlFile, sysctl);
        Files.deleteIfExists(socket);
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", namespace,
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx512m", "-XX:+UseSerialGC",
            "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"), "uvs.daemon.UvsdMain",
            "--sysctl", sysctlFile.toString(),
            "--control-socket", socket.toString(), "--metrics-port", "-1", "--proc-dir", "none",
            "--capacity", "262144", "--workers", String.valueOf(workers)));
        if (iface != null) {
            cmd.addAll(List.of("--interface", iface));
        }
        cmd.addAll(config);
        if (!extra.contains("--state-file")) {
            cmd.addAll(List.of("--state-file", dir.resolve(name + ".state").toString()));
        }
        cmd.addAll(extra);
        cmd.addAll(options);
        if (io != null && iface != null && !extra.contains("--io")) {
            cmd.addAll(List.of("--io", io));
        }
        if (!announce.isEmpty()) {
            cmd.add("--announce");
            cmd.add(String.join(",", announce));
        }
        process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MILLIS);
        while (System.nanoTime() - deadline < 0) {
            if (!process.isAlive()) {
                throw new IOException("uvsd " + name + " exited with " + process.exitValue() + ": " + logTail());
            }
            if (Files.exists(socket)) {
                try {
                    if (uvsadm("-L", "-n").exitCode() == 0) {
                        return;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
            }
            sleep(100);
        }
        throw new IOException("uvsd " + name + " did not answer on " + socket + " within 30 s: " + logTail());
    }

    /** Starts uvsd with {@code --io choice} ({@code af_xdp}, {@code af_packet}, {@code auto}) from now on. */
    public LabDirector io(String choice) {
        io = choice;
        return this;
    }

    /** True when uvsd may use AF_XDP and the XDP fast path on its next start. */
    public boolean xdp() {
        return io != null && !io.equals("af_packet") && !options.contains("off");
    }

    /** Adds {@code more} to uvsd's options from the next start on (e.g. {@code --fast-path off}). */
    public LabDirector options(List<String> more) {
        options = List.copyOf(more);
        return this;
    }

    /** Runs one uvsadm command against this director. */
    public ControlProtocol.Reply uvsadm(String... args) throws IOException {
        return UvsadmClient.send(socket, List.of(args), new byte[0]);
    }

    /** Runs one uvsadm command and returns its output; fails with uvsd's message when it fails. */
    public String uvsadmOk(String... args) throws IOException {
        ControlProtocol.Reply r = uvsadm(args);
        if (r.exitCode() != 0) {
            throw new IOException("uvsadm " + String.join(" ", args) + " on " + name + ": " + r.stderr().strip());
        }
        return r.stdout();
    }

    /**
     * The packets the data plane forwarded in either direction: to real servers, and NAT replies back to clients
     * ({@code forwarded} and {@code replies} of {@code -L --dataplane}).
     */
    public long forwarded() throws IOException {
        for (String line : uvsadmOk("-L", "--dataplane").split("\n")) {
            String[] w = line.strip().split("\\s+");
            if (w.length >= 6 && w[0].equals("packets") && w[2].equals("forwarded") && w[4].equals("replies")) {
                return Long.parseLong(w[3]) + Long.parseLong(w[5]);
            }
        }
        throw new IOException("no forwarded count in uvsadm -L --dataplane of " + name);
    }

    /** What the XDP fast path did so far: flows installed, and packets its program forwarded (folded). */
    public record FastPathCounts(long installs, long folded) {}

    /** The fast path's counts from {@code -L --dataplane} (zeros when it is off). */
    public FastPathCounts fastPath() throws IOException {
        for (String line : uvsadmOk("-L", "--dataplane").split("\n")) {
            String[] w = line.strip().split("\\s+");
            // fast path entries E of C installs I removals R full F folded packets P fold rounds N
            if (w.length >= 15 && w[0].equals("fast") && w[2].equals("entries") && w[6].equals("installs")
                && w[12].equals("folded")) {
                return new FastPathCounts(Long.parseLong(w[7]), Long.parseLong(w[14]));
            }
        }
        return new FastPathCounts(0, 0);
    }

    /** Kills uvsd at once (SIGKILL), as a director failure. */
    public void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Stops uvsd with SIGTERM (it drains first) and waits up to {@code waitMillis} for it to exit.
     *
     * @return true if it exited in time
     */
    public boolean terminate(long waitMillis) throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return true;
        }
        process.destroy();
        return process.waitFor(waitMillis, TimeUnit.MILLISECONDS);
    }

    /** Where this director's configuration files are written. */
    public Path rulesDir() {
        return dir;
    }

    /** True while uvsd runs. */
    public boolean alive() {
        return process != null && process.isAlive();
    }

    /** The director's name. */
    public String name() {
        return name;
    }

    /** The last lines uvsd printed. */
    public String logTail() {
        try {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Stops uvsd (SIGTERM, then SIGKILL). */
    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
