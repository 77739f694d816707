package uvs.ctl.cli;

/**
 * The listing options of {@code ipvsadm -L}.
 *
 * @param numeric {@code -n}: no name resolution
 * @param connection {@code -c}: connection entries
 * @param timeout {@code --timeout}: the tcp/tcpfin/udp timeouts
 * @param daemon {@code --daemon}: the sync daemons
 * @param stats {@code --stats}
 * @param rate {@code --rate}
 * @param thresholds {@code --thresholds}
 * @param persistentConn {@code --persistent-conn}
 * @param tunInfo {@code --tun-info}
 * @param nosort {@code --nosort}: kernel order
 * @param exact {@code -X / --exact}: numbers not abbreviated
 */
public record ListOptions(boolean numeric, boolean connection, boolean timeout, boolean daemon, boolean stats,
                          boolean rate, boolean thresholds, boolean persistentConn, boolean tunInfo, boolean nosort,
                          boolean exact) {
    /** Plain {@code ipvsadm -L}. */
    public static final ListOptions NONE =
        new ListOptions(false, false, false, false, false, false, false, false, false, false, false);
}
