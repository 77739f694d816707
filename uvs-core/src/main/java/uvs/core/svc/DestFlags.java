package uvs.core.svc;

/** Real server flag bits (IP_VS_DEST_F_*). */
public final class DestFlags {
    /** In its service's list (cleared when deleted and moved to the trash). */
    public static final int AVAILABLE = 0x0001;
    /** Upper connection threshold reached. */
    public static final int OVERLOAD = 0x0002;

    private DestFlags() {
    }
}
