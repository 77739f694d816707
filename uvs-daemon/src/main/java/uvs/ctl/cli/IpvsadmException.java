package uvs.ctl.cli;

/**
 * A command ipvsadm 1.31 would refuse, with its exit code and the exact text it writes to stderr
 * (without the final newline, which the printer adds: print {@code ipvsadmMessage() + "\n"}). Exit 2 is
 * ipvsadm's {@code fail()}; 255 is its {@code exit(-1)} / {@code return -1} for popt errors, the
 * "Try ... --help" hint and refusals by the kernel (here the engine).
 */
public final class IpvsadmException extends RuntimeException {
    /** Exit code of ipvsadm's {@code fail(2, ...)}. */
    public static final int EXIT_FAIL = 2;
    /** Exit code of ipvsadm's {@code exit(-1)}: popt errors, the help hint, kernel errors. */
    public static final int EXIT_ERROR = 255;

    private static final long serialVersionUID = 1L;

    private final int exitCode;
    private final String ipvsadmMessage;
    private final int line;

    /** An error with ipvsadm's exit code and message. */
    public IpvsadmException(int exitCode, String message) {
        this(exitCode, message, 0);
    }

    private IpvsadmException(int exitCode, String message, int line) {
        super(line == 0 ? message : "line " + line + ": " + message);
        this.exitCode = exitCode;
        this.ipvsadmMessage = message;
        this.line = line;
    }

    /** ipvsadm's {@code fail(2, ...)}. */
    static IpvsadmException fail(String message) {
        return new IpvsadmException(EXIT_FAIL, message);
    }

    /** ipvsadm's {@code tryhelp_exit(program, -1)}. */
    static IpvsadmException tryHelp() {
        return new IpvsadmException(EXIT_ERROR, "Try `" + IpvsadmUsage.PROGRAM + " -h' or '"
            + IpvsadmUsage.PROGRAM + " --help' for more information.");
    }

    /** The same error, located at a line of restore input (1-based). */
    public IpvsadmException atLine(int lineNumber) {
        if (lineNumber < 1) {
            throw new IllegalArgumentException("line number must be at least 1, got " + lineNumber);
        }
        return new IpvsadmException(exitCode, ipvsadmMessage, lineNumber);
    }

    /** ipvsadm's exit status. */
    public int exitCode() {
        return exitCode;
    }

    /** The text exactly as ipvsadm prints it (without the trailing newline). */
    public String ipvsadmMessage() {
        return ipvsadmMessage;
    }

    /** The restore input line this error belongs to, or 0. */
    public int line() {
        return line;
    }
}
