package uvs.ctl.format;

/**
 * Options of {@code ipvsadm -L} that change how a listing looks.
 *
 * @param numeric {@code -n}; UVS never resolves names, so output is the same either way
 * @param noSort {@code --nosort}: services and real servers in kernel order
 * @param exact {@code --exact}: counters in full instead of K/M/G/T
 */
public record DisplayOptions(boolean numeric, boolean noSort, boolean exact) {
    /** {@code -n}, sorted, scaled numbers. */
    public static final DisplayOptions NUMERIC = new DisplayOptions(true, false, false);

    /** Copy with {@code --nosort}. */
    public DisplayOptions withNoSort() {
        return new DisplayOptions(numeric, true, exact);
    }

    /** Copy with {@code --exact}. */
    public DisplayOptions withExact() {
        return new DisplayOptions(numeric, noSort, true);
    }
}
