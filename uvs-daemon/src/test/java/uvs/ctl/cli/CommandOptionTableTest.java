package uvs.ctl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static uvs.ctl.cli.ParserAssertions.assertFails;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every command against every option of the legal-combination table (spec §9.1): 'x' gives "Illegal ...",
 * '+' missing gives "You need to supply ...", a second '1' gives "The option ... conflicts ...", and
 * optional options are accepted.
 */
class CommandOptionTableTest {

    /** The spec table's columns, in its order, with the option columns each stands for. */
    private enum Column {
        SVC(OptionCode.SERVICE), S(OptionCode.SCHEDULER), P(OptionCode.PERSISTENT), M(OptionCode.NETMASK),
        R(OptionCode.SERVER), FWD(OptionCode.FORWARD), W(OptionCode.WEIGHT), X(OptionCode.UTHRESHOLD),
        Y(OptionCode.LTHRESHOLD), N(OptionCode.NUMERIC), C(OptionCode.CONNECTION), TIMEOUT(OptionCode.TIMEOUT),
        DAEMON(OptionCode.DAEMON), STATS(OptionCode.STATS), RATE(OptionCode.RATE), THRESHOLDS(OptionCode.THRESHOLDS),
        PCONN(OptionCode.PERSISTENTCONN), NOSORT(OptionCode.NOSORT), EXACT(OptionCode.EXACT),
        TUNINFO(OptionCode.TUN_INFO), O(OptionCode.ONEPACKET), PE(OptionCode.PERSISTENCE_ENGINE),
        B(OptionCode.SCHED_FLAGS),
        TUN(OptionCode.TUN_TYPE, OptionCode.TUN_PORT, OptionCode.TUN_NOCSUM, OptionCode.TUN_CSUM, OptionCode.TUN_REMCSUM),
        DAEMONOPTS(OptionCode.MCAST, OptionCode.SYNCID, OptionCode.MCAST_GROUP, OptionCode.MCAST_PORT,
            OptionCode.MCAST_TTL, OptionCode.SYNC_MAXLEN);

        final OptionCode[] options;

        Column(OptionCode... options) {
            this.options = options;
        }
    }

    // the rows of spec §9.1's table, one character per Column ('.' = optional)
    private static final Map<CommandKind, String> SPEC = new EnumMap<>(CommandKind.class);

    static {
        //                                svc s p M r fwd w x y n c to dm st rt th pc ns ex ti o pe b tun dmn
        SPEC.put(CommandKind.ADD, "+..." + "x".repeat(16) + "...xx");
        SPEC.put(CommandKind.EDIT, SPEC.get(CommandKind.ADD));
        SPEC.put(CommandKind.DEL, "+" + "x".repeat(24));
        SPEC.put(CommandKind.FLUSH, "x".repeat(25));
        SPEC.put(CommandKind.RESTORE, "x".repeat(25));
        SPEC.put(CommandKind.TIMEOUT, "x".repeat(25));
        SPEC.put(CommandKind.LIST, "1xxxxxxxx.111.......xxxxx");
        SPEC.put(CommandKind.ADDDEST, "+xxx+....xxxxxxxxxxxxxx.x");
        SPEC.put(CommandKind.EDITDEST, SPEC.get(CommandKind.ADDDEST));
        SPEC.put(CommandKind.DELDEST, "+xxx+" + "x".repeat(20));
        SPEC.put(CommandKind.STARTDAEMON, "x".repeat(24) + ".");
        SPEC.put(CommandKind.STOPDAEMON, "x".repeat(24) + ".");
        SPEC.put(CommandKind.SAVE, "xxxxxxxxx." + "x".repeat(15));
        SPEC.put(CommandKind.ZERO, "." + "x".repeat(24));
    }

    /** The expected rule of one command and option. */
    private static char expected(CommandKind cmd, OptionCode opt) {
        String row = SPEC.get(cmd);
        for (Column c : Column.values()) {
            if (Arrays.asList(c.options).contains(opt)) {
                char rule = row.charAt(c.ordinal());
                if (c == Column.DAEMONOPTS && cmd == CommandKind.STOPDAEMON && opt != OptionCode.SYNCID) {
                    return 'x'; // "--syncid only"
                }
                if (cmd == CommandKind.LIST && opt == OptionCode.SYNCID) {
                    return '.'; // the spec's summary says x; ipvsadm.c's table has ' ' (accepted, unused)
                }
                return rule;
            }
        }
        throw new AssertionError("no column for " + opt);
    }

    /** A minimal valid command line for each command (ADD uses UDP so that -o is valid). */
    private static List<String> base(CommandKind cmd) {
        return new ArrayList<>(switch (cmd) {
            case ADD -> List.of("-A", "-u", "10.0.0.1:53");
            case EDIT -> List.of("-E", "-u", "10.0.0.1:53");
            case DEL -> List.of("-D", "-t", "10.0.0.1:80");
            case FLUSH -> List.of("-C");
            case LIST -> List.of("-L");
            case ADDDEST -> List.of("-a", "-t", "10.0.0.1:80", "-r", "10.0.0.2");
            case EDITDEST -> List.of("-e", "-t", "10.0.0.1:80", "-r", "10.0.0.2");
            case DELDEST -> List.of("-d", "-t", "10.0.0.1:80", "-r", "10.0.0.2");
            case TIMEOUT -> List.of("--set", "1", "2", "3");
            case STARTDAEMON -> List.of("--start-daemon", "master");
            case STOPDAEMON -> List.of("--stop-daemon", "master");
            case RESTORE -> List.of("-R");
            case SAVE -> List.of("-S");
            case ZERO -> List.of("-Z");
        });
    }

    /** The option alone, with a valid value. */
    private static List<String> bare(OptionCode opt) {
        return switch (opt) {
            case NUMERIC -> List.of("-n");
            case CONNECTION -> List.of("-c");
            case SERVICE -> List.of("-t", "10.0.0.9:80");
            case SCHEDULER -> List.of("-s", "rr");
            case PERSISTENT -> List.of("-p");
            case NETMASK -> List.of("-M", "255.255.255.0");
            case SERVER -> List.of("-r", "10.0.0.3");
            case FORWARD -> List.of("-m");
            case WEIGHT -> List.of("-w", "2");
            case UTHRESHOLD -> List.of("-x", "10");
            case LTHRESHOLD -> List.of("-y", "5");
            case MCAST -> List.of("--mcast-interface", "eth1");
            case TIMEOUT -> List.of("--timeout");
            case DAEMON -> List.of("--daemon");
            case STATS -> List.of("--stats");
            case RATE -> List.of("--rate");
            case THRESHOLDS -> List.of("--thresholds");
            case PERSISTENTCONN -> List.of("--persistent-conn");
            case NOSORT -> List.of("--nosort");
            case SYNCID -> List.of("--syncid", "3");
            case EXACT -> List.of("--exact");
            case ONEPACKET -> List.of("-o");
            case PERSISTENCE_ENGINE -> List.of("--pe", "sip");
            case SCHED_FLAGS -> List.of("-b", "flag-1");
            case MCAST_GROUP -> List.of("--mcast-group", "224.0.0.82");
            case MCAST_PORT -> List.of("--mcast-port", "8849");
            case MCAST_TTL -> List.of("--mcast-ttl", "2");
            case SYNC_MAXLEN -> List.of("--sync-maxlen", "1400");
            case TUN_INFO -> List.of("--tun-info");
            case TUN_TYPE -> List.of("--tun-type", "ipip");
            case TUN_PORT -> List.of("--tun-port", "6080");
            case TUN_NOCSUM -> List.of("--tun-nocsum");
            case TUN_CSUM -> List.of("--tun-csum");
            case TUN_REMCSUM -> List.of("--tun-remcsum");
        };
    }

    /** The option with what its own rules need (tunnel options need -i and a fitting type). */
    private static List<String> valid(OptionCode opt) {
        return switch (opt) {
            case TUN_TYPE -> List.of("-i", "--tun-type", "ipip");
            case TUN_PORT -> List.of("-i", "--tun-type", "gue", "--tun-port", "6080");
            case TUN_NOCSUM, TUN_CSUM, TUN_REMCSUM ->
                List.of("-i", "--tun-type", "gue", "--tun-port", "6080", bare(opt).get(0));
            default -> bare(opt);
        };
    }

    /** The minimal command line without its required option {@code opt}. */
    private static List<String> missing(CommandKind cmd, OptionCode opt) {
        List<String> args = base(cmd);
        String command = args.get(0);
        boolean dest = cmd == CommandKind.ADDDEST || cmd == CommandKind.EDITDEST || cmd == CommandKind.DELDEST;
        if (opt == OptionCode.SERVICE) {
            return dest ? List.of(command, "-r", "10.0.0.2") : List.of(command);
        }
        return List.of(command, "-t", "10.0.0.1:80");
    }

    static Stream<Arguments> cells() {
        List<Arguments> out = new ArrayList<>();
        for (CommandKind cmd : CommandKind.values()) {
            for (OptionCode opt : OptionCode.values()) {
                out.add(Arguments.of(cmd, opt, expected(cmd, opt)));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @MethodSource("cells")
    void shouldFollowTheCombinationTable(CommandKind cmd, OptionCode opt, char rule) {
        assertThat(OptionTable.entry(cmd, opt)).isEqualTo(rule == '.' ? ' ' : rule);
        List<String> args = base(cmd);
        switch (rule) {
            case 'x' -> {
                args.addAll(bare(opt));
                assertFails("Illegal '" + opt.optName() + "' option with the '" + cmd.cmdName() + "' command",
                    args.toArray(String[]::new));
            }
            case '+' -> assertFails("You need to supply the '" + opt.optName() + "' option for the '"
                + cmd.cmdName() + "' command", missing(cmd, opt).toArray(String[]::new));
            default -> {
                args.addAll(valid(opt));
                assertThatCode(() -> IpvsadmParser.parse(args.toArray(String[]::new))).as("ipvsadm %s", args)
                    .doesNotThrowAnyException();
            }
        }
    }

    static Stream<Arguments> exclusivePairs() {
        // the '1' options of -L in table order: connection, service-address, timeout, daemon
        OptionCode[] ones = {OptionCode.CONNECTION, OptionCode.SERVICE, OptionCode.TIMEOUT, OptionCode.DAEMON};
        List<Arguments> out = new ArrayList<>();
        for (int i = 0; i < ones.length; i++) {
            for (int j = i + 1; j < ones.length; j++) {
                out.add(Arguments.of(ones[i], ones[j]));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "-L {0} {1}")
    @MethodSource("exclusivePairs")
    void shouldAllowOnlyOneExclusiveListOption(OptionCode first, OptionCode second) {
        // the later column is named as conflicting with the earlier one, whatever the order on the line
        String message = "The option '" + second.optName() + "' conflicts with the '" + first.optName()
            + "' option in the 'list' command";
        List<String> args = new ArrayList<>(List.of("-L"));
        args.addAll(bare(second));
        args.addAll(bare(first));
        assertFails(message, args.toArray(String[]::new));
    }
}
