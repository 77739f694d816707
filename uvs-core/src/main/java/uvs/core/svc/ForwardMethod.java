package uvs.core.svc;

import uvs.core.conn.ConnFlags;

/** How packets reach a real server; {@link #connFlag} is the value carried in connection flags. */
public enum ForwardMethod {
    /** NAT, ipvsadm {@code -m}. */
    MASQ(ConnFlags.MASQ, "Masq", "-m"),
    /** Local delivery. */
    LOCAL(ConnFlags.LOCALNODE, "Local", "-g"),
    /** IP tunnel, ipvsadm {@code -i}. */
    TUNNEL(ConnFlags.TUNNEL, "Tunnel", "-i"),
    /** Direct routing, ipvsadm {@code -g} (the default). */
    ROUTE(ConnFlags.DROUTE, "Route", "-g"),
    /** Cache bypass. */
    BYPASS(ConnFlags.BYPASS, "Masq", "-m");

    private final int connFlag;
    private final String displayName;
    private final String ipvsadmOption;

    ForwardMethod(int connFlag, String displayName, String ipvsadmOption) {
        this.connFlag = connFlag;
        this.displayName = displayName;
        this.ipvsadmOption = ipvsadmOption;
    }

    /** Value in the connection flags' FWD_MASK bits. */
    public int connFlag() {
        return connFlag;
    }

    /** Name in {@code ipvsadm -L} output (Masq, Local, Tunnel, Route). */
    public String displayName() {
        return displayName;
    }

    /** Option in {@code ipvsadm -S} output. */
    public String ipvsadmOption() {
        return ipvsadmOption;
    }

    /** The method for a connection-flags value. */
    public static ForwardMethod fromConnFlags(int flags) {
        return switch (flags & ConnFlags.FWD_MASK) {
            case ConnFlags.MASQ -> MASQ;
            case ConnFlags.LOCALNODE -> LOCAL;
            case ConnFlags.TUNNEL -> TUNNEL;
            case ConnFlags.DROUTE -> ROUTE;
            default -> BYPASS;
        };
    }
}
