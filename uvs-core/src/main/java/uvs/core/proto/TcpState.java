package uvs.core.proto;

/** TCP conn states (IP_VS_TCP_S_*); the numbers are the sync wire values. */
public final class TcpState {
    /** No packet classified yet. */
    public static final int NONE = 0;
    /** ESTABLISHED. */
    public static final int ESTABLISHED = 1;
    /** SYN_SENT. */
    public static final int SYN_SENT = 2;
    /** SYN_RECV. */
    public static final int SYN_RECV = 3;
    /** FIN_WAIT. */
    public static final int FIN_WAIT = 4;
    /** TIME_WAIT. */
    public static final int TIME_WAIT = 5;
    /** CLOSE. */
    public static final int CLOSE = 6;
    /** CLOSE_WAIT. */
    public static final int CLOSE_WAIT = 7;
    /** LAST_ACK. */
    public static final int LAST_ACK = 8;
    /** LISTEN. */
    public static final int LISTEN = 9;
    /** SYNACK (secure_tcp tables only). */
    public static final int SYNACK = 10;
    /** Number of states. */
    public static final int COUNT = 11;

    /** Names as {@code ipvsadm -Lc} and /proc/net/ip_vs_conn print them, indexed by state. */
    static final String[] NAMES = {
        "NONE", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT", "TIME_WAIT",
        "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "SYNACK",
    };

    private TcpState() {
    }
}
