package uvs.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import uvs.ctl.format.ProcIpVs;
import uvs.ctl.format.ProcIpVsConn;
import uvs.ctl.format.ProcIpVsStats;
import uvs.ctl.view.EngineView;

/**
 * Keeps the kernel's IPVS procfs views as files, byte-compatible with {@code /proc/net/ip_vs},
 * {@code ip_vs_stats}, {@code ip_vs_conn} and {@code ip_vs_conn_sync}, in a directory laid out like
 * {@code /proc/net} (default {@code /run/uvs/proc/net}), so monitoring that reads procfs can point at UVS.
 * Each file is replaced atomically (written aside, then renamed).
 */
public final class ProcfsWriter {
    /** Default directory. */
    public static final Path DEFAULT_DIR = Path.of("/run/uvs/proc/net");

    private final EngineGroup agent;
    private final Path dir;

    /** A writer of snapshots taken through {@code agent} into {@code dir}. */
    public ProcfsWriter(EngineGroup agent, Path dir) {
        this.agent = agent;
        this.dir = dir;
    }

    /** Takes one snapshot on the engine thread and rewrites the four files. */
    public void writeOnce() throws Exception {
        EngineView view = agent.view(true, 10);
        Files.createDirectories(dir);
        write("ip_vs", new ProcIpVs().format(view));
        write("ip_vs_stats", new ProcIpVsStats().format(view.totals()));
        ProcIpVsConn conns = new ProcIpVsConn();
        write("ip_vs_conn", conns.formatConn(view.conns()));
        write("ip_vs_conn_sync", conns.formatConnSync(view.conns()));
    }

    private void write(String name, String text) throws IOException {
        Path tmp = dir.resolve("." + name + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.US_ASCII);
        Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Rewrites the files every {@code periodMillis} until interrupted; failures are reported, not fatal. */
    public void runEvery(long periodMillis, java.util.function.Consumer<String> onError) {
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
