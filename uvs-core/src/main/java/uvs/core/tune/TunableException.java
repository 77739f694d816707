package uvs.core.tune;

import java.util.List;

/**
 * A tunable name or value was refused; the message names the tunable, the bad value and what is allowed.
 * When it comes from {@link Tunables#applyAll} it lists every bad line as {@code file:line: message}.
 * Whoever throws it has changed nothing.
 */
public final class TunableException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    /** One problem. */
    public TunableException(String message) {
        super(message);
        this.problems = List.of(message);
    }

    /** Several problems, each on its own line after a one-line summary. */
    public TunableException(String summary, List<String> problems) {
        super(summary + "\n" + String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    /** Every problem found, one message each (a single one unless several lines were checked at once). */
    public List<String> problems() {
        return problems;
    }
}
