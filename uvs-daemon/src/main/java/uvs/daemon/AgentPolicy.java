package uvs.daemon;

/**
 * What uvsd does when an agent's duty cycle throws an exception. The failure is always logged once with its
 * stack and counted ({@code uvs_daemon_thread_errors_total}); an {@link Error} always stops uvsd (exit
 * {@value Supervisor#EXIT_FAILED}), whatever the policy, because the thread's state is unknown then.
 */
public enum AgentPolicy {
    /**
     * The agent goes on with its next duty cycle, however often it fails: its work is many independent items
     * (engine tasks and timers, sync sends, cluster duties, health checks, packet bursts), and one bad item
     * must not stop the others; or its failure costs only itself (the procfs view goes stale). A fault that
     * repeats every cycle shows in the counter, not in the log.
     */
    CONTINUE,
    /**
     * The agent is restarted: its runner starts a fresh duty cycle (the agent keeps no half-done work between
     * cycles), at most {@value Supervisor#MAX_RESTARTS} times within a minute; one failure more stops uvsd, so
     * that systemd starts a fresh one rather than uvsd running on without the part: the control socket, without
     * which nobody can manage the director.
     */
    RESTART
}
