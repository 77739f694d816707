package uvs.ctl.health;

/** What happens to a real server in the engine when its check declares it down. */
public enum FailureAction {
    /**
     * Weight 0, the server stays in its service's list so established connections (and persistence
     * templates) keep going to it: keepalived {@code inhibit_on_failure}, ldirectord {@code quiescent=yes}
     * (ldirectord's default, and ours).
     */
    QUIESCE,
    /** The server is deleted from its service ({@code ipvsadm -d}) and added again on recovery. */
    REMOVE
}
