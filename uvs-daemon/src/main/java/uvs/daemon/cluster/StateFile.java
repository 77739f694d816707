package uvs.daemon.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import uvs.daemon.AtomicFile;

/**
 * One line that tells a VRRP daemon's track script whether this uvsd should carry traffic: {@code PID running}
 * while it forwards, {@code PID draining} once it was asked to stop. The script shipped with UVS
 * ({@code uvsd-check}) succeeds only while the process lives and the word is {@code running}, so keepalived
 * gives the VIP up when uvsd dies (the PID is gone, even after SIGKILL) or drains. Written atomically.
 */
public final class StateFile {
    /** What the line says. */
    public enum State {
        /** Forwarding; keep the VIP here. */
        RUNNING,
        /** Stopping: move the VIP away, existing packets are still forwarded for the grace period. */
        DRAINING
    }

    private final Path path;
    private State written;

    /** The state file at {@code path}. */
    public StateFile(Path path) {
        this.path = path;
    }

    /** Writes {@code state} with this process's PID, unless the file already says it. */
    public void write(State state) throws IOException {
        if (state == written && Files.exists(path)) {
            return;
        }
        Files.createDirectories(path.toAbsolutePath().getParent());
        AtomicFile.write(path, (ProcessHandle.current().pid() + " " + state.name().toLowerCase(Locale.ROOT) + "\n")
            .getBytes(StandardCharsets.US_ASCII));
        written = state;
    }

    /** The file's path. */
    public Path path() {
        return path;
    }
}
