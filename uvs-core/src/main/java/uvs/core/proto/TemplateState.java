package uvs.core.proto;

/** States of persistence templates (IP_VS_CTPL_S_*). */
public final class TemplateState {
    /** No controlled conn has completed its handshake yet. */
    public static final int NONE = 0;
    /** A controlled conn reached ESTABLISHED (TCP/SCTP) or saw a reply (UDP). */
    public static final int ASSURED = 1;
    /** Number of states. */
    public static final int COUNT = 2;

    private TemplateState() {
    }

    /** Name as ipvsadm -Lc prints it; "ERR!" for values the kernel does not define. */
    public static String name(int state) {
        return switch (state) {
            case NONE -> "NONE";
            case ASSURED -> "ASSURED";
            default -> "ERR!";
        };
    }
}
