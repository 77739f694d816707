package uvs.ctl.model;

import java.util.Objects;
import uvs.ctl.importer.SourceLocation;

/**
 * One thing wrong with a configuration, where it was written.
 *
 * @param at the file and line, or null for a configuration that came from no file
 * @param message what is wrong, in ipvsadm's words where ipvsadm has them
 */
public record Problem(SourceLocation at, String message) {
    /** Checks the message. */
    public Problem {
        Objects.requireNonNull(message, "message");
    }

    /** The line number, or 0 without a location. */
    public int line() {
        return at == null ? 0 : at.line();
    }

    /** {@code file:line: message}. */
    @Override
    public String toString() {
        return at == null ? message : at + ": " + message;
    }
}
