package uvs.ctl.model;

/**
 * The protocol timeouts {@code ipvsadm --set tcp tcpfin udp} sets, in seconds; 0 leaves a value as it is.
 *
 * @param tcp established TCP
 * @param tcpfin TCP after a FIN
 * @param udp UDP
 */
public record Timeouts(int tcp, int tcpfin, int udp) {
    /** Checks that no value is negative. */
    public Timeouts {
        if (tcp < 0 || tcpfin < 0 || udp < 0) {
            throw new IllegalArgumentException("timeouts must not be negative");
        }
    }

    /** True when {@code current} already has every value this sets (a 0 here matches anything). */
    public boolean isMetBy(Timeouts current) {
        return (tcp == 0 || tcp == current.tcp) && (tcpfin == 0 || tcpfin == current.tcpfin)
            && (udp == 0 || udp == current.udp);
    }
}
