package uvs.ctl.view;

/**
 * The three timeouts {@code ipvsadm --set} changes, in whole seconds.
 *
 * @param tcp TCP ESTABLISHED timeout
 * @param tcpfin TCP FIN_WAIT timeout
 * @param udp UDP timeout
 */
public record TimeoutView(int tcp, int tcpfin, int udp) {
    /** The kernel's defaults: 900 120 300. */
    public static final TimeoutView DEFAULTS = new TimeoutView(900, 120, 300);
}
