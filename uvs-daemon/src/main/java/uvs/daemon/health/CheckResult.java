package uvs.daemon.health;

/**
 * The outcome of one check.
 *
 * @param up whether the server passed
 * @param weight weight the check asks for (keepalived {@code misc_dynamic}), or {@link #CONFIGURED_WEIGHT}
 * @param detail what was seen, for the log
 * @param suspended the check did not run (keepalived {@code ha_suspend}): the result changes nothing
 */
public record CheckResult(boolean up, int weight, String detail, boolean suspended) {
    /** No weight of its own: the configured one. */
    public static final int CONFIGURED_WEIGHT = -1;

    /** A result of a check that ran. */
    public CheckResult(boolean up, int weight, String detail) {
        this(up, weight, detail, false);
    }

    /** Not run: the real server keeps its state, failures and weight. */
    public static CheckResult suspended(String detail) {
        return new CheckResult(false, CONFIGURED_WEIGHT, detail, true);
    }

    /** Passed, configured weight. */
    public static CheckResult up(String detail) {
        return new CheckResult(true, CONFIGURED_WEIGHT, detail);
    }

    /** Passed, asking for {@code weight}. */
    public static CheckResult upWithWeight(int weight, String detail) {
        return new CheckResult(true, weight, detail);
    }

    /** Failed. */
    public static CheckResult down(String detail) {
        return new CheckResult(false, CONFIGURED_WEIGHT, detail);
    }
}
