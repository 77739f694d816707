package uvs.core.proto;

/** Packet direction as the state tables see it (IP_VS_DIR_*). */
public final class ConnDirection {
    /** Client → director (input path). */
    public static final int INPUT = 0;
    /** Real server → client reply seen by the director (NAT output path). */
    public static final int OUTPUT = 1;
    /** Input packet of a conn that has never shown a reply (NOOUTPUT: DR, TUN, local). */
    public static final int INPUT_ONLY = 2;
    /** Number of directions (rows of the outer table dimension). */
    public static final int COUNT = 3;

    private ConnDirection() {
    }

    /** Name of a direction for messages and tests. */
    public static String name(int direction) {
        return switch (direction) {
            case INPUT -> "INPUT";
            case OUTPUT -> "OUTPUT";
            case INPUT_ONLY -> "INPUT_ONLY";
            default -> "DIR_" + direction;
        };
    }
}
