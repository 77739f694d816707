package uvs.daemon.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

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

    /** The state file at {@code path}. */
    public StateFile(Path path) {
        this.path = path;
    }

    /** Writes {@code state} with this process's PID. */
    public void write(State state) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, path.getFileName().toString(), ".tmp");
        try {
            Files.writeString(tmp, ProcessHandle.current().pid() + " " + state.name().toLowerCase(java.util.Locale.ROOT)
                + "\n");
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The file's path. */
    public Path path() {
        return path;
    }
}
