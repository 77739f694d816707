package uvs.core.proto;

/** SCTP chunk classes that index the SCTP transition table (IP_VS_SCTP_* events). */
public final class SctpEvent {
    /** DATA, SACK, HEARTBEAT(-ACK), ECNE, CWR and every unknown chunk type. */
    public static final int DATA = 0;
    /** INIT. */
    public static final int INIT = 1;
    /** INIT-ACK. */
    public static final int INIT_ACK = 2;
    /** COOKIE-ECHO. */
    public static final int COOKIE_ECHO = 3;
    /** COOKIE-ACK. */
    public static final int COOKIE_ACK = 4;
    /** SHUTDOWN. */
    public static final int SHUTDOWN = 5;
    /** SHUTDOWN-ACK. */
    public static final int SHUTDOWN_ACK = 6;
    /** SHUTDOWN-COMPLETE. */
    public static final int SHUTDOWN_COMPLETE = 7;
    /** ERROR. */
    public static final int ERROR = 8;
    /** ABORT. */
    public static final int ABORT = 9;
    /** Number of events. */
    public static final int COUNT = 10;

    private SctpEvent() {
    }
}
