package uvs.net.forward;

/** Result codes of the transmitters: lengths are non-negative, problems are these negative codes. */
public final class XmitResult {
    /** Rewritten; send it. */
    public static final int OK = 0;
    /** TTL / hop limit would reach 0: drop and answer ICMP time exceeded (the packet is unchanged). */
    public static final int TTL_EXCEEDED = -1;
    /** The output buffer is too small for the result. */
    public static final int NO_ROOM = -2;
    /** The frame is not something this transmitter handles (wrong kind or family). */
    public static final int UNSUPPORTED = -3;

    private XmitResult() {
    }
}
