package uvs.ctl.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Walks a command line the way popt 1.19 does for ipvsadm's table (no aliases, no {@code !#:+} argument
 * expansion): {@code --long}, {@code --long=value}, {@code --long value}; clusters of short options
 * ({@code -Ln}) where an option taking an argument eats the rest of the cluster ({@code -w5}, {@code -w=5});
 * an optional argument ({@code -p}) is taken from the next word only when that word does not start with
 * '-'; words that are not options (and everything after {@code --}) are kept as leftover arguments.
 */
final class PoptContext {
    /** popt's POPT_ERROR_NOARG text. */
    static final String MISSING_ARGUMENT = "missing argument";
    /** popt's POPT_ERROR_BADOPT text. */
    static final String UNKNOWN_OPTION = "unknown option";
    /** popt's POPT_ERROR_UNWANTEDARG text. */
    static final String UNWANTED_ARGUMENT = "option does not take an argument";

    private final String[] argv;
    private final List<String> leftovers = new ArrayList<>();
    private int next;
    private int nextLeftover;
    // rest of a short-option cluster; "" (not null) after "-L=" still counts as pending, as in popt
    private String cluster;
    private boolean restLeftover;
    private String arg;
    private String error;

    /** A context over the arguments (without the program name). */
    PoptContext(String[] argv) {
        this.argv = argv.clone();
    }

    /**
     * The next option, or null at the end or on an error (then {@link #error()} is set). Its argument,
     * if any, is {@link #arg()}.
     */
    IpvsadmOption nextOption() {
        arg = null;
        while (true) {
            if (cluster == null && next == argv.length) {
                return null;
            }
            IpvsadmOption opt = null;
            String longArg = null;
            if (cluster == null) {
                String word = argv[next++];
                if (restLeftover || !word.startsWith("-") || word.equals("-")) {
                    leftovers.add(word);
                    continue;
                }
                if (word.equals("--")) {
                    restLeftover = true;
                    continue;
                }
                if (word.charAt(1) == '-') {
                    String body = word.substring(2);
                    int eq = body.indexOf('=');
                    String name = eq < 0 ? body : body.substring(0, eq);
                    longArg = eq < 0 ? null : body.substring(eq + 1);
                    opt = IpvsadmOption.byLongName(name);
                    if (opt == null) {
                        return fail(UNKNOWN_OPTION);
                    }
                } else {
                    // no option of ipvsadm is a one-dash long option, so "-xyz" is always a cluster
                    cluster = word.substring(1);
                }
            }
            if (cluster != null) {
                char c = cluster.isEmpty() ? '\0' : cluster.charAt(0);
                String rest = cluster.isEmpty() ? "" : cluster.substring(1);
                cluster = null;
                opt = IpvsadmOption.byShortName(c);
                if (opt == null) {
                    return fail(UNKNOWN_OPTION);
                }
                if (!rest.isEmpty()) {
                    cluster = rest.charAt(0) == '=' ? rest.substring(1) : rest;
                }
            }
            return takeArgument(opt, longArg);
        }
    }

    private IpvsadmOption takeArgument(IpvsadmOption opt, String longArg) {
        if (opt.arg() == IpvsadmOption.Arg.NONE) {
            if (longArg != null || (cluster != null && cluster.startsWith("="))) {
                return fail(UNWANTED_ARGUMENT);
            }
            return opt;
        }
        if (longArg != null) {
            arg = longArg;
        } else if (cluster != null) {
            arg = cluster.startsWith("=") ? cluster.substring(1) : cluster;
            cluster = null;
        } else if (next == argv.length) {
            if (opt.arg() == IpvsadmOption.Arg.REQUIRED) {
                return fail(MISSING_ARGUMENT);
            }
        } else if (opt.arg() == IpvsadmOption.Arg.OPTIONAL && argv[next].startsWith("-")) {
            arg = null;
        } else {
            arg = argv[next++];
        }
        return opt;
    }

    private IpvsadmOption fail(String text) {
        error = text;
        return null;
    }

    /** Argument of the option last returned (null if none). */
    String arg() {
        return arg;
    }

    /** popt's error text when {@link #nextOption()} stopped on an error, else null. */
    String error() {
        return error;
    }

    /** popt's {@code poptBadOption}: the word last consumed from the command line. */
    String badOption() {
        return next == 0 ? null : argv[next - 1];
    }

    /** popt's {@code poptGetArg}: the next leftover argument, or null. */
    String nextLeftover() {
        return nextLeftover < leftovers.size() ? leftovers.get(nextLeftover++) : null;
    }
}
