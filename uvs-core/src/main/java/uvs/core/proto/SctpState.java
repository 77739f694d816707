package uvs.core.proto;

/** SCTP conn states (IP_VS_SCTP_S_*, numbering of kernels since ≈ 2013); the numbers go on the sync wire. */
public final class SctpState {
    /** No packet classified yet. */
    public static final int NONE = 0;
    /** First client INIT seen, waiting for INIT-ACK (short timeout for dropped INITs). */
    public static final int INIT1 = 1;
    /** Further client INIT seen. */
    public static final int INIT = 2;
    /** Server INIT-ACK sent, waiting for COOKIE-ECHO. */
    public static final int COOKIE_SENT = 3;
    /** Client COOKIE-ECHO sent, waiting for COOKIE-ACK. */
    public static final int COOKIE_REPLIED = 4;
    /** Server INIT sent, waiting for INIT-ACK. */
    public static final int COOKIE_WAIT = 5;
    /** Client INIT-ACK sent, waiting for COOKIE-ECHO. */
    public static final int COOKIE = 6;
    /** Server COOKIE-ECHO sent, waiting for COOKIE-ACK. */
    public static final int COOKIE_ECHOED = 7;
    /** ESTABLISHED. */
    public static final int ESTABLISHED = 8;
    /** SHUTDOWN sent by the server. */
    public static final int SHUTDOWN_SENT = 9;
    /** SHUTDOWN received from the client. */
    public static final int SHUTDOWN_RECEIVED = 10;
    /** SHUTDOWN-ACK sent. */
    public static final int SHUTDOWN_ACK_SENT = 11;
    /** INIT answered by ABORT (short timeout). */
    public static final int REJECTED = 12;
    /** CLOSED. */
    public static final int CLOSED = 13;
    /** Number of states. */
    public static final int COUNT = 14;

    /** Display names as {@code ipvsadm -Lc} prints them, indexed by state. */
    static final String[] NAMES = {
        "NONE", "INIT1", "INIT", "C-SENT", "C-REPLIED", "C-WAIT", "COOKIE",
        "C-ECHOED", "ESTABLISHED", "S-SENT", "S-RECEIVED", "S-ACK-SENT", "REJECTED", "CLOSED",
    };

    private SctpState() {
    }
}
