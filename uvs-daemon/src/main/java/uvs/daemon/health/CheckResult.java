package uvs.daemon.health;

/**
 * The outcome of one check.
 *
 * @param up whether the server passed
 * @param weight weight the check asks for (keepalived {@code misc_dynamic}), or {@link #CONFIGURED_WEIGHT}
 * @param detail what was seen, for the log
 */
public record CheckResult(boolean up, int weight, String detail) {
    /** No weight of its own: the configured one. */
    public static final int CONFIGURED_WEIGHT = -1;

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
