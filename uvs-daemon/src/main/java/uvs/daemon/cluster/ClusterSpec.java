package uvs.daemon.cluster;

import java.nio.file.Path;
import java.time.Duration;

/**
 * uvsd's cluster settings.
 *
 * @param vipGuard keep the kernel from answering traffic to the service addresses ({@link VipGuard})
 * @param bgp announce the available VIPs through BIRD, or null
 * @param stateFile where uvsd says whether it carries traffic (for keepalived's track script), or null
 * @param drain how long uvsd keeps forwarding after SIGTERM once it gave its VIPs up
 */
public record ClusterSpec(boolean vipGuard, BgpSpec bgp, Path stateFile, Duration drain) {
    /** Checks the grace period. */
    public ClusterSpec {
        if (drain.isNegative() || drain.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("--drain-seconds " + drain.toSeconds() + ": expected 0 to 3600");
        }
    }

    /** True when nothing is asked of the cluster agent. */
    public boolean isEmpty() {
        return !vipGuard && bgp == null && stateFile == null;
    }
}
