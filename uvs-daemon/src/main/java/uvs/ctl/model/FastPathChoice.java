package uvs.ctl.model;

/**
 * Whether UVS's BPF program forwards established connections itself ({@code uvsd --fast-path}): in XDP over
 * AF_XDP ports, at traffic control's ingress (tcx) over AF_PACKET ones.
 */
public enum FastPathChoice {
    /**
     * On over AF_XDP ports, except on virtual interfaces (veth): a veth hands the frames an XDP program sends back
     * to its peer only when the peer runs an XDP program too, which uvsd cannot see or arrange. Off over AF_PACKET
     * ports (the tcx fast path is asked for with {@link #ON}).
     */
    AUTO("auto"),
    /** On: in XDP over AF_XDP ports whatever the interfaces, at tcx over AF_PACKET ones. */
    ON("on"),
    /** Off: every packet goes through UVS's worker. */
    OFF("off");

    private final String text;

    FastPathChoice(String text) {
        this.text = text;
    }

    /** The name as written on the command line. */
    public String text() {
        return text;
    }

    /** Parses {@code auto}, {@code on} or {@code off}. */
    public static FastPathChoice parse(String s) {
        for (FastPathChoice c : values()) {
            if (c.text.equals(s)) {
                return c;
            }
        }
        throw new IllegalArgumentException("--fast-path must be auto, on or off, got '" + s + "'");
    }
}
