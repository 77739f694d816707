package uvs.lab.net;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The daemons that move traffic between the lab's directors, as operators run them: keepalived (VRRP only) and
 * BIRD in the directors' namespaces, BIRD in the router's. Their configurations, sockets, PID files and logs
 * live in the lab's state directory ({@code d1/}, {@code d2/}, {@code router/}).
 */
public final class ClusterDaemons {
    private static final long START_MILLIS = 10_000;

    private final LabTopology topo;

    /** The daemons of {@code topo}'s lab. */
    public ClusterDaemons(LabTopology topo) {
        this.topo = topo;
    }

    /** Director {@code i}'s directory: keepalived.conf, uvsd.state, BIRD's files. */
    public Path directorDir(int i) {
        return topo.stateDir().resolve("d" + i);
    }

    /** The router's directory (BIRD's files). */
    public Path routerDir() {
        return topo.stateDir().resolve("router");
    }

    /** Director {@code i}'s keepalived.conf, which its uvsd imports too. */
    public Path keepalivedConf(int i) {
        return directorDir(i).resolve("keepalived.conf");
    }

    /** Director {@code i}'s uvsd state file, read by keepalived's track script. */
    public Path stateFile(int i) {
        return directorDir(i).resolve("uvsd.state");
    }

    /** Director {@code i}'s BIRD control socket. */
    public Path birdSocket(int i) {
        return directorDir(i).resolve("bird.ctl");
    }

    /** The file director {@code i}'s uvsd writes for its BIRD. */
    public Path birdInclude(int i) {
        return directorDir(i).resolve("bird.d").resolve("uvsd.conf");
    }

    /** The router's BIRD control socket. */
    public Path routerBirdSocket() {
        return routerDir().resolve("bird.ctl");
    }

    /** The track script keepalived runs (UVS's {@code uvsd-check}), copied into the state directory. */
    public Path checkScript() {
        return topo.stateDir().resolve("uvsd-check");
    }

    /**
     * Writes director {@code i}'s keepalived.conf with {@code virtualServers} (keepalived.conf blocks) and the
     * given VRRP priority and advertisement interval. A running keepalived reads it on {@link #reloadKeepalived}.
     */
    public void writeKeepalivedConf(int i, int priority, double advertInt, boolean sync, String virtualServers)
        throws IOException {
        Files.createDirectories(directorDir(i));
        Files.writeString(keepalivedConf(i), ClusterConfigs.keepalived(i, priority, advertInt, sync, checkScript(),
            stateFile(i), virtualServers));
    }

    /** Starts keepalived (VRRP only) on both directors with their keepalived.conf, no services yet. */
    public void startVrrp(double advertInt) throws IOException {
        requireInstalled("keepalived", "nft");
        installCheckScript();
        for (int i = 1; i <= LabTopology.DIRECTORS; i++) {
            if (!Files.exists(keepalivedConf(i))) {
                writeKeepalivedConf(i, ClusterConfigs.priority(i), advertInt, false, "");
            }
            startKeepalived(i);
        }
    }

    /** Starts director {@code i}'s keepalived with its keepalived.conf (after it was killed, say). */
    public void startKeepalived(int i) throws IOException {
        Path dir = directorDir(i);
        Files.deleteIfExists(dir.resolve("vrrp.pid"));
        start(topo.director(i), List.of("keepalived", "--vrrp", "-n", "-l", "-D", "-f", keepalivedConf(i).toString(),
            "-p", dir.resolve("keepalived.pid").toString(), "-r", dir.resolve("vrrp.pid").toString()),
            dir.resolve("keepalived.log"));
        awaitFile(dir.resolve("vrrp.pid"), "keepalived on d" + i, dir.resolve("keepalived.log"));
    }

    /** True while director {@code i}'s keepalived (its VRRP process) runs. */
    public boolean keepalivedRunning(int i) {
        OptionalLong p = pid(directorDir(i).resolve("vrrp.pid"));
        return p.isPresent() && ProcessHandle.of(p.getAsLong()).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Kills director {@code i}'s keepalived (both processes) with SIGKILL, as a crash. */
    public void killKeepalived(int i) {
        for (String f : List.of("vrrp.pid", "keepalived.pid")) {
            pid(directorDir(i).resolve(f)).ifPresent(p -> ProcessHandle.of(p).ifPresent(ProcessHandle::destroyForcibly));
        }
    }

    /** Makes director {@code i}'s keepalived re-read its keepalived.conf (SIGHUP). */
    public void reloadKeepalived(int i) {
        OptionalLong p = pid(directorDir(i).resolve("keepalived.pid"));
        if (p.isEmpty()) {
            throw new LabException("keepalived on d" + i + " is not running");
        }
        Shell.run(List.of("kill", "-HUP", String.valueOf(p.getAsLong())));
    }

    /** keepalived's log on director {@code i} (state changes: "Entering MASTER STATE", ...). */
    public List<String> keepalivedLog(int i) {
        try {
            return Files.readAllLines(directorDir(i).resolve("keepalived.log"));
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Starts BIRD on the router and on both directors (whose BGP sessions their uvsd writes). */
    public void startBird() throws IOException {
        requireInstalled("bird", "birdc");
        Files.createDirectories(routerDir());
        Path routerConf = routerDir().resolve("bird.conf");
        Files.writeString(routerConf, ClusterConfigs.birdRouter());
        startBird(topo.router(), routerConf, routerBirdSocket(), routerDir());
        for (int i = 1; i <= LabTopology.DIRECTORS; i++) {
            Files.createDirectories(birdInclude(i).getParent());
            Files.writeString(directorDir(i).resolve("bird.conf"),
                ClusterConfigs.birdDirector(i, birdInclude(i).getParent()));
            startBird(i);
        }
    }

    /** Starts director {@code i}'s BIRD with its configuration (after it was killed, say). */
    public void startBird(int i) throws IOException {
        Files.deleteIfExists(birdSocket(i));
        startBird(topo.director(i), directorDir(i).resolve("bird.conf"), birdSocket(i), directorDir(i));
    }

    /** True while director {@code i}'s BIRD runs. */
    public boolean birdRunning(int i) {
        OptionalLong p = pid(directorDir(i).resolve("bird.pid"));
        return p.isPresent() && ProcessHandle.of(p.getAsLong()).map(ProcessHandle::isAlive).orElse(false);
    }

    private void startBird(String ns, Path conf, Path socket, Path dir) throws IOException {
        start(ns, List.of("bird", "-f", "-c", conf.toString(), "-s", socket.toString(), "-P",
            dir.resolve("bird.pid").toString()), dir.resolve("bird.log"));
        awaitFile(socket, "BIRD in " + ns, dir.resolve("bird.log"));
    }

    /** Kills director {@code i}'s BIRD with SIGKILL. */
    public void killBird(int i) {
        pid(directorDir(i).resolve("bird.pid")).ifPresent(p -> ProcessHandle.of(p).ifPresent(ProcessHandle::destroyForcibly));
    }

    /** {@code birdc} on the router (e.g. {@code show route for 10.100.2.100}). */
    public String routerBirdc(String command) {
        return birdc(routerBirdSocket(), command);
    }

    /** {@code birdc} on director {@code i}. */
    public String directorBirdc(int i, String command) {
        return birdc(birdSocket(i), command);
    }

    private static String birdc(Path socket, String command) {
        List<String> argv = new ArrayList<>(List.of("birdc", "-s", socket.toString()));
        argv.addAll(List.of(command.split(" ")));
        return Shell.run(argv);
    }

    private static void requireInstalled(String... programs) {
        for (String p : programs) {
            if (!Shell.installed(p)) {
                throw new LabException(p + " is not installed (as root, bin/uvs-setup installs it from Debian's "
                    + "packages)");
            }
        }
    }

    private void installCheckScript() throws IOException {
        try (InputStream in = ClusterDaemons.class.getResourceAsStream("/uvs/lab/keepalived/uvsd-check")) {
            if (in == null) {
                throw new LabException("uvsd-check is missing from the class path");
            }
            Files.createDirectories(topo.stateDir());
            Files.write(checkScript(), in.readAllBytes());
        }
        Files.setPosixFilePermissions(checkScript(), PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static void start(String ns, List<String> command, Path log) throws IOException {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        argv.addAll(command);
        new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    private static void awaitFile(Path file, String what, Path log) {
        long deadline = System.currentTimeMillis() + START_MILLIS;
        while (!Files.exists(file)) {
            if (System.currentTimeMillis() > deadline) {
                String tail;
                try {
                    List<String> l = Files.readAllLines(log);
                    tail = String.join(" | ", l.subList(Math.max(0, l.size() - 5), l.size()));
                } catch (IOException e) {
                    tail = "(no log)";
                }
                throw new LabException(what + " did not start within " + START_MILLIS / 1000 + " s: " + tail);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LabException("interrupted", e);
            }
        }
    }

    private static OptionalLong pid(Path file) {
        try {
            return OptionalLong.of(Long.parseLong(Files.readString(file).strip()));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
