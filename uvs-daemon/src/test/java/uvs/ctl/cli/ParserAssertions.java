package uvs.ctl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Arrays;

/** Shared checks for parser tests: the exact message and exit code ipvsadm gives. */
final class ParserAssertions {
    /** ipvsadm's help hint (tryhelp_exit with argv[0] = "ipvsadm"). */
    static final String TRY_HELP = "Try `ipvsadm -h' or 'ipvsadm --help' for more information.";

    private ParserAssertions() {
    }

    /** Parses and expects ipvsadm's refusal with this exit code and message. */
    static void assertRefused(int exitCode, String message, String... args) {
        IpvsadmException e = catchThrowableOfType(IpvsadmException.class, () -> IpvsadmParser.parse(args));
        assertThat(e).as("ipvsadm %s", Arrays.toString(args)).isNotNull();
        assertThat(e.ipvsadmMessage()).as("message of ipvsadm %s", Arrays.toString(args)).isEqualTo(message);
        assertThat(e.exitCode()).as("exit code of ipvsadm %s", Arrays.toString(args)).isEqualTo(exitCode);
        assertThat(e.line()).isZero();
    }

    /** Parses and expects ipvsadm's fail(2, message). */
    static void assertFails(String message, String... args) {
        assertRefused(IpvsadmException.EXIT_FAIL, message, args);
    }

    /** Parses a command line split on spaces. */
    static IpvsadmCommand parse(String line) {
        return IpvsadmParser.parse(line.split(" "));
    }

    /** Parses a command line split on spaces and expects fail(2, message). */
    static void assertFailsLine(String message, String line) {
        assertFails(message, line.split(" "));
    }
}
