package uvs.core.proto;

/** TCP segment classes that index the TCP transition table (the kernel's tcp_state_idx). */
public final class TcpEvent {
    /** SYN set (also SYN+ACK), no RST. */
    public static final int SYN = 0;
    /** FIN set (also FIN+ACK), no RST or SYN. */
    public static final int FIN = 1;
    /** Only ACK among SYN/FIN/ACK/RST. */
    public static final int ACK = 2;
    /** RST set: wins over every other flag. */
    public static final int RST = 3;
    /** None of SYN/FIN/ACK/RST: the kernel skips the table and moves the conn to CLOSE. */
    public static final int NONE = 4;
    /** Number of events. */
    public static final int COUNT = 5;

    private TcpEvent() {
    }
}
