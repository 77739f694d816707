package uvs.daemon.health;

import uvs.ctl.health.HealthCheckConfig;

/**
 * A change a check result made to a real server: up to down, down to up, or (keepalived
 * {@code misc_dynamic}) a new weight while up.
 *
 * @param server the real server's check configuration
 * @param from state before
 * @param to state after
 * @param weight the weight the engine gets: the up weight, or 0 when down (also when removed)
 * @param detail the check result that caused it
 */
public record StateChange(HealthCheckConfig server, ServerState from, ServerState to, int weight, String detail) {
    /** True for up/down transitions, false for a weight change while up. */
    public boolean isTransition() {
        return from != to;
    }
}
