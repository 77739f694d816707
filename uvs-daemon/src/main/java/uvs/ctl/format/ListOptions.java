package uvs.ctl.format;

/**
 * Options of {@code ipvsadm -L} that change how a listing looks.
 *
 * @param numeric {@code -n}; UVS never resolves names, so output is the same either way
 * @param noSort {@code --nosort}: services and real servers in kernel order
 * @param exact {@code --exact}: counters in full instead of K/M/G/T
 */
public record ListOptions(boolean numeric, boolean noSort, boolean exact) {
    /** {@code -n}, sorted, scaled numbers. */
    public static final ListOptions NUMERIC = new ListOptions(true, false, false);

    /** Copy with {@code --nosort}. */
    public ListOptions withNoSort() {
        return new ListOptions(numeric, true, exact);
    }

    /** Copy with {@code --exact}. */
    public ListOptions withExact() {
        return new ListOptions(numeric, noSort, true);
    }
}
