package uvs.ctl.cli;

import uvs.core.svc.TunnelType;

/**
 * ipvsadm's legality tables ({@code commands_v_options}, {@code tunnel_types_v_options}) and the checks
 * that walk them ({@code generic_opt_check}, {@code tunnel_opt_check}). Key: '+' required, 'x' illegal,
 * '1' at most one of these, ' ' optional.
 */
final class OptionTable {
    // one row per CommandKind, one column per OptionCode (34 columns):
    //            -n -c svc -s -p -M -r fwd -w -x -y mc tot dmn st rt thr pc srt sid ex ops pe -b grp prt ttl len tinf type tprt nocs csum remc
    private static final String[] COMMANDS = {
        "xx+   xxxxxxxxxxxxxxx   xxxxxxxxxx", // ADD
        "xx+   xxxxxxxxxxxxxxx   xxxxxxxxxx", // EDIT
        "xx+xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", // DEL
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", // FLUSH
        " 11xxxxxxxxx11       xxxxxxx xxxxx", // LIST
        "xx+xxx+    xxxxxxxxxxxxxxxxxx     ", // ADDDEST
        "xx+xxx+xxxxxxxxxxxxxxxxxxxxxxxxxxx", // DELDEST
        "xx+xxx+    xxxxxxxxxxxxxxxxxx     ", // EDITDEST
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", // TIMEOUT
        "xxxxxxxxxxx xxxxxxx xxxx    xxxxxx", // STARTDAEMON
        "xxxxxxxxxxxxxxxxxxx xxxxxxxxxxxxxx", // STOPDAEMON
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", // RESTORE
        " xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", // SAVE
        "xx xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", // ZERO
    };

    private static final OptionCode[] TUNNEL_OPTIONS = {
        OptionCode.TUN_PORT, OptionCode.TUN_NOCSUM, OptionCode.TUN_CSUM, OptionCode.TUN_REMCSUM,
    };
    // one row per TunnelType (ipip, gue, gre), columns as TUNNEL_OPTIONS
    private static final String[] TUNNELS = {
        "xxxx",
        "+111",
        "x11x",
    };

    private OptionTable() {
    }

    /** The table entry of one command and option. */
    static char entry(CommandKind cmd, OptionCode opt) {
        return COMMANDS[cmd.ordinal()].charAt(opt.ordinal());
    }

    /** {@code generic_opt_check}: the first column (in table order) that breaks the command's row fails. */
    static void check(CommandKind cmd, long options) {
        OptionCode last = null;
        for (OptionCode opt : OptionCode.values()) {
            char rule = entry(cmd, opt);
            boolean given = (options & opt.bit()) != 0;
            if (!given) {
                if (rule == '+') {
                    throw IpvsadmException.fail("You need to supply the '" + opt.optName()
                        + "' option for the '" + cmd.cmdName() + "' command");
                }
                continue;
            }
            if (rule == 'x') {
                throw IpvsadmException.fail("Illegal '" + opt.optName() + "' option with the '"
                    + cmd.cmdName() + "' command");
            }
            if (rule == '1') {
                if (last != null) {
                    throw IpvsadmException.fail("The option '" + opt.optName() + "' conflicts with the '"
                        + last.optName() + "' option in the '" + cmd.cmdName() + "' command");
                }
                last = opt;
            }
        }
    }

    /** {@code tunnel_opt_check}: the tunnel options given must suit the tunnel type. */
    static void checkTunnel(TunnelType type, long options) {
        String row = TUNNELS[type.ordinal()];
        String typeName = type.ipvsadmName();
        OptionCode last = null;
        for (int j = 0; j < TUNNEL_OPTIONS.length; j++) {
            OptionCode opt = TUNNEL_OPTIONS[j];
            char rule = row.charAt(j);
            if ((options & opt.bit()) == 0) {
                if (rule == '+') {
                    throw IpvsadmException.fail("You need to supply the '" + opt.optName()
                        + "' option for the '" + typeName + "' tunnel type");
                }
                continue;
            }
            if (rule == 'x') {
                throw IpvsadmException.fail("Illegal '" + opt.optName() + "' option with the '"
                    + typeName + "' tunnel type");
            }
            if (rule == '1') {
                if (last != null) {
                    throw IpvsadmException.fail("The option '" + opt.optName() + "' conflicts with the '"
                        + last.optName() + "' option in the '" + typeName + "' tunnel type");
                }
                last = opt;
            }
        }
    }
}
