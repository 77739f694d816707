package uvs.ctl.model;

/** Which packet port the data plane uses ({@code uvsd --io}). */
public enum PacketIoChoice {
    /** AF_PACKET sockets with a TPACKET_V3 receive ring: every frame of the interface is copied to UVS. */
    AF_PACKET("af_packet"),
    /** AF_XDP sockets fed by UVS's XDP program with only the frames UVS must see. */
    AF_XDP("af_xdp"),
    /** AF_XDP where it works on these interfaces and settings, else AF_PACKET; the log says which and why. */
    AUTO("auto");

    private final String text;

    PacketIoChoice(String text) {
        this.text = text;
    }

    /** The name as written on the command line. */
    public String text() {
        return text;
    }

    /** Parses {@code af_xdp}, {@code af_packet} or {@code auto}. */
    public static PacketIoChoice parse(String s) {
        for (PacketIoChoice c : values()) {
            if (c.text.equals(s)) {
                return c;
            }
        }
        throw new IllegalArgumentException("--io must be af_xdp, af_packet or auto, got '" + s + "'");
    }
}
