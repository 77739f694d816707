package uvs.ctl.cli;

/**
 * One command of {@code ipvsadm -R} input with the (1-based) line it came from.
 *
 * @param number line number in the input
 * @param command the parsed command
 */
public record RestoreLine(int number, IpvsadmCommand command) {
    /** Checks the line number. */
    public RestoreLine {
        if (number < 1) {
            throw new IllegalArgumentException("line number must be at least 1, got " + number);
        }
        if (command == null) {
            throw new IllegalArgumentException("command must not be null");
        }
    }
}
