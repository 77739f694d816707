package uvs.ctl.importer;

import java.util.Objects;

/**
 * One finding of an import, tied to the line it is about.
 *
 * @param at where
 * @param severity how much it matters
 * @param message what, in words that name the keyword or value
 */
public record Diagnostic(SourceLocation at, Severity severity, String message) {
    /** Checks the values. */
    public Diagnostic {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(severity, "severity");
        if (message == null || message.isEmpty()) {
            throw new IllegalArgumentException("message must not be empty");
        }
    }

    /** {@code file:line: severity: message}, the form compilers use. */
    @Override
    public String toString() {
        return at + ": " + severity.label() + ": " + message;
    }
}
