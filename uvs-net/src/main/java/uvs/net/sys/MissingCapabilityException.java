package uvs.net.sys;

/** The process lacks a Linux capability a feature needs; the message says which and how to grant it. */
public final class MissingCapabilityException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An exception with the operator-facing {@code message}. */
    public MissingCapabilityException(String message) {
        super(message);
    }
}
