package uvs.core.proto;

/** SCTP chunk type numbers as on the wire (RFC 9260), for {@code PacketHeader.sctpChunkType}. */
public final class SctpChunkType {
    /** DATA. */
    public static final int DATA = 0;
    /** INIT. */
    public static final int INIT = 1;
    /** INIT ACK. */
    public static final int INIT_ACK = 2;
    /** SACK. */
    public static final int SACK = 3;
    /** HEARTBEAT. */
    public static final int HEARTBEAT = 4;
    /** HEARTBEAT ACK. */
    public static final int HEARTBEAT_ACK = 5;
    /** ABORT. */
    public static final int ABORT = 6;
    /** SHUTDOWN. */
    public static final int SHUTDOWN = 7;
    /** SHUTDOWN ACK. */
    public static final int SHUTDOWN_ACK = 8;
    /** ERROR. */
    public static final int ERROR = 9;
    /** COOKIE ECHO. */
    public static final int COOKIE_ECHO = 10;
    /** COOKIE ACK. */
    public static final int COOKIE_ACK = 11;
    /** ECNE. */
    public static final int ECNE = 12;
    /** CWR. */
    public static final int CWR = 13;
    /** SHUTDOWN COMPLETE. */
    public static final int SHUTDOWN_COMPLETE = 14;

    private SctpChunkType() {
    }
}
