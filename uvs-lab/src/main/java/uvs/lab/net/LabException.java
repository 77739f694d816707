package uvs.lab.net;

/** A lab step failed: the message names the step (for a command: the command line and its error output). */
public final class LabException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A failure described by {@code message}. */
    public LabException(String message) {
        super(message);
    }

    /** A failure described by {@code message}, caused by {@code cause}. */
    public LabException(String message, Throwable cause) {
        super(message, cause);
    }
}
