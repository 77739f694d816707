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
import java.util.Set;
import java.util.function.Consumer;
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
 */
public final class ProcfsWriter {
    /** Default directory. */
    public static final Path DEFAULT_DIR = Path.of("/run/uvs/proc/net");

    private static final Set<PosixFilePermission> GROUP_DIR = PosixFilePermissions.fromString("rwxr-x---");
    private static final Set<PosixFilePermission> GROUP_FILE = PosixFilePermissions.fromString("rw-r-----");
    private static final Set<PosixFilePermission> WORLD_FILE = PosixFilePermissions.fromString("rw-r--r--");

    private final EngineGroup agent;
    private final Path dir;
    private final GroupPrincipal group;

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

    /** Takes one snapshot on the engine thread and rewrites the four files. */
    public void writeOnce() throws Exception {
        EngineView view = agent.view(true, 10);
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

    /** Rewrites the files every {@code periodMillis} until interrupted; failures are reported, not fatal. */
    public void runEvery(long periodMillis, Consumer<String> onError) {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                writeOnce();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                onError.accept("procfs view not written: " + e.getMessage());
            }
            try {
                Thread.sleep(periodMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
