package uvs.daemon.health;

import uvs.core.svc.RealServerConfig;
import uvs.ctl.health.CheckTiming;
import uvs.ctl.health.FailureAction;
import uvs.ctl.health.HealthCheckConfig;

/**
 * One real server's check state: up/down, consecutive failures, the weight it serves with and when its
 * next check is due. Up goes down after {@code retries} consecutive failures; down goes up after one
 * success (keepalived and ldirectord alike). Not thread-safe: {@link HealthChecker} guards it.
 */
final class RealServerHealth {
    final int index;
    final HealthCheckConfig config;
    final HealthCheck check;
    private ServerState state;
    private int failures;
    private int weight;
    private long nextDueNanos;
    boolean inFlight;
    // a state the engine has not been told yet (its queue was full)
    boolean applyPending;

    RealServerHealth(int index, HealthCheckConfig config, HealthCheck check, long nowNanos) {
        this.index = index;
        this.config = config;
        this.check = check;
        this.state = config.startDown() ? ServerState.DOWN : ServerState.UP;
        this.weight = config.realServer().weight();
        scheduleFirst(nowNanos);
    }

    /**
     * Takes the state of {@code old} (a check of the same server before a reload) when it checks the same way:
     * up or down and its failures so far; its weight too when a check set it (misc_dynamic), else the weight
     * configured now. Returns whether it did.
     */
    boolean inherit(RealServerHealth old) {
        HealthCheckConfig o = old.config;
        if (!o.service().equals(config.service()) || !o.address().equals(config.address()) || o.port() != config.port()
            || !o.kind().equals(config.kind())) {
            return false;
        }
        state = old.state;
        failures = old.failures;
        weight = old.weight == o.realServer().weight() ? config.realServer().weight() : old.weight;
        return true;
    }

    /** The first check comes after the warm-up. */
    void scheduleFirst(long nowNanos) {
        nextDueNanos = nowNanos + config.timing().warmup().toNanos();
    }

    /** True when the next check is due at {@code nowNanos} (wrap-safe). */
    boolean isDue(long nowNanos) {
        return nowNanos - nextDueNanos >= 0;
    }

    /** Nanoseconds from {@code nowNanos} until the next check, 0 if due. */
    long nanosUntilDue(long nowNanos) {
        return Math.max(0, nextDueNanos - nowNanos);
    }

    /** Applies a result seen at {@code nowNanos}; returns what changed, or null. */
    StateChange onResult(CheckResult r, long nowNanos) {
        CheckTiming t = config.timing();
        if (r.suspended()) {
            // keepalived ha_suspend: nothing changes; look again after an interval
            nextDueNanos = nowNanos + t.interval().toNanos();
            return null;
        }
        if (r.up()) {
            failures = 0;
            nextDueNanos = nowNanos + t.interval().toNanos();
            int w = r.weight() == CheckResult.CONFIGURED_WEIGHT ? config.realServer().weight() : r.weight();
            ServerState before = state;
            if (before == ServerState.UP && w == weight) {
                return null;
            }
            state = ServerState.UP;
            weight = w;
            return new StateChange(config, before, ServerState.UP, w, r.detail());
        }
        failures++;
        if (state == ServerState.UP && failures < t.retries()) {
            nextDueNanos = nowNanos + t.delayBeforeRetry().toNanos();
            return null;
        }
        nextDueNanos = nowNanos + t.interval().toNanos();
        if (state == ServerState.DOWN) {
            return null;
        }
        state = ServerState.DOWN;
        return new StateChange(config, ServerState.UP, ServerState.DOWN, 0, r.detail());
    }

    ServerState state() {
        return state;
    }

    /** Consecutive failures so far. */
    int failures() {
        return failures;
    }

    /** The weight the engine should have: the up weight, or 0 when down. */
    int engineWeight() {
        return state == ServerState.UP ? weight : 0;
    }

    /** The configuration the engine should have, or null when the server should be absent. */
    RealServerConfig engineConfig() {
        if (state == ServerState.UP) {
            return config.realServer().withWeight(weight);
        }
        return downConfig();
    }

    /** The configuration of a server out of the pool: weight 0 when quiesced, or null (absent) when removed. */
    RealServerConfig downConfig() {
        return config.onFailure() == FailureAction.QUIESCE ? config.realServer().withWeight(0) : null;
    }
}
