package uvs.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.Objects;
import java.util.Set;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uvs.ctl.format.ProcIpVs;
import uvs.ctl.format.ProcIpVsConn;
import uvs.ctl.format.ProcIpVsStats;
import uvs.ctl.view.EngineView;

/**
 * Keeps the kernel's IPVS procfs views as files, byte-compatible with {@code /proc/net/ip_vs},
 * {@code ip_vs_stats}, {@code ip_vs_conn} and {@code ip_vs_conn_sync}, in a directory laid out like
 * {@code /proc/net} (default {@code /run/uvs/proc/net}), so monitoring that reads procfs can point at UVS.
 * Each file is replaced atomically (written aside, then renamed). With a monitoring group the directory is
 * {@code 0750} and the files {@code 0640}, both of that group (uvsd must be a member of it, or hold
 * CAP_CHOWN); without one they are world-readable as the kernel's are.
 *
 * <p>As uvsd's {@code uvs-procfs} agent it rewrites the files every {@value #PERIOD_MILLIS} ms. A snapshot the
 * engine does not give in time or a file that cannot be written is a warning (once per distinct problem, and
 * a line when it works again); anything else it throws is a failure for its supervisor.
 */
public final class ProcfsWriter implements Agent {
    /** Default directory. */
    public static final Path DEFAULT_DIR = Path.of("/run/uvs/proc/net");
    /** How often the agent rewrites the files. */
    public static final long PERIOD_MILLIS = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(ProcfsWriter.class);
    private static final long PERIOD_NANOS = PERIOD_MILLIS * 1_000_000L;
    private static final int SNAPSHOT_SECONDS = 10;

    private static final Set<PosixFilePermission> GROUP_DIR = PosixFilePermissions.fromString("rwxr-x---");
    private static final Set<PosixFilePermission> GROUP_FILE = PosixFilePermissions.fromString("rw-r-----");
    private static final Set<PosixFilePermission> WORLD_FILE = PosixFilePermissions.fromString("rw-r--r--");

    private final EngineGroup agent;
    private final Path dir;
    private final GroupPrincipal group;
    private boolean written;
    private long lastWrite;
    private String problem;

    /**
     * A writer of snapshots taken through {@code agent} into {@code dir}, readable only by {@code group} when it
     * is not null.
     *
     * @throws IllegalArgumentException naming the group when it does not exist
     */
    public ProcfsWriter(EngineGroup agent, Path dir, String group) {
        this.agent = agent;
        this.dir = dir;
        this.group = group == null ? null : lookup(dir, group);
    }

    private static GroupPrincipal lookup(Path dir, String group) {
        try {
            return dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(group);
        } catch (UserPrincipalNotFoundException e) {
            throw new IllegalArgumentException("--proc-group " + group + ": no such group");
        } catch (IOException e) {
            throw new IllegalArgumentException("--proc-group " + group + ": " + e.getMessage());
        }
    }

    /** Rewrites the four files from {@code view}. */
    private void write(EngineView view) throws IOException {
        Files.createDirectories(dir);
        if (group != null) {
            restrict(dir, GROUP_DIR);
        }
        write("ip_vs", new ProcIpVs().format(view));
        write("ip_vs_stats", new ProcIpVsStats().format(view.totals()));
        ProcIpVsConn conns = new ProcIpVsConn();
        write("ip_vs_conn", conns.formatConn(view.conns()));
        write("ip_vs_conn_sync", conns.formatConnSync(view.conns()));
    }

    private void write(String name, String text) throws IOException {
        Path tmp = dir.resolve("." + name + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.US_ASCII);
        if (group != null) {
            restrict(tmp, GROUP_FILE);
        } else {
            Files.setPosixFilePermissions(tmp, WORLD_FILE);
        }
        Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private void restrict(Path p, Set<PosixFilePermission> mode) throws IOException {
        PosixFileAttributeView attrs = Files.getFileAttributeView(p, PosixFileAttributeView.class);
        attrs.setGroup(group);
        attrs.setPermissions(mode);
    }

    /**
     * Rewrites the files when {@value #PERIOD_MILLIS} ms passed since the last time (at once the first time).
     *
     * @return 1 when it was time, else 0
     * @throws InterruptedException when interrupted waiting for the snapshot (the agent stops)
     */
    @Override
    public int doWork() throws InterruptedException {
        long now = System.nanoTime();
        if (written && now - lastWrite < PERIOD_NANOS) {
            return 0;
        }
        written = true;
        lastWrite = now;
        EngineView view;
        try {
            view = agent.view(true, SNAPSHOT_SECONDS);
        } catch (InterruptedException e) {
            throw e;
        } catch (IllegalStateException e) {
            // the engine is busy or stopping: the next period tries again
            return notWritten("no snapshot from the engine: " + e.getMessage());
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            return notWritten("no snapshot from the engine: " + Messages.of(e));
        }
        try {
            write(view);
        } catch (IOException e) {
            return notWritten(Messages.of(e));
        }
        if (problem != null) {
            LOG.info("procfs view in {} written again", dir);
            problem = null;
        }
        return 1;
    }

    private int notWritten(String why) {
        if (!Objects.equals(problem, why)) {
            LOG.warn("procfs view in {} not written: {} (retrying every {} ms)", dir, why, PERIOD_MILLIS);
            problem = why;
        }
        return 1;
    }

    /**
     * How the agent waits between periods: it only has to notice that the period passed, so it sleeps in steps
     * of a tenth of it (a prompt stop, ten wakeups a second).
     */
    public static IdleStrategy idleStrategy() {
        return new SleepingMillisIdleStrategy(PERIOD_MILLIS / 10);
    }

    @Override
    public String roleName() {
        return "uvs-procfs";
    }
}
