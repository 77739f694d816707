package uvs.net.sys;

/**
 * A failed libc call: the message names the call, what it was about (interface, path...) and the errno, e.g.
 * {@code setsockopt(PACKET_RX_RING) on eth0: EINVAL (Invalid argument)}.
 */
public final class NativeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int errno;

    /** A failure of {@code call} (the call and its subject, as shown to the operator) with {@code errno}. */
    public NativeException(String call, int errno) {
        super(call + ": " + Errno.name(errno) + " (" + Errno.describe(errno) + ")");
        this.errno = errno;
    }

    /** The errno value the call left. */
    public int errno() {
        return errno;
    }
}
