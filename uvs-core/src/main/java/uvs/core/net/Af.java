package uvs.core.net;

/** Address families, with the Linux values. */
public final class Af {
    /** IPv4 (AF_INET). */
    public static final int INET = 2;
    /** IPv6 (AF_INET6). */
    public static final int INET6 = 10;

    private Af() {
    }
}
