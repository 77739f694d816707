package uvs.ctl.cli;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import uvs.core.net.Af;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceFlags;
import uvs.core.svc.TunnelChecksum;
import uvs.core.svc.TunnelType;

/**
 * Parses an ipvsadm 1.31 command line into an {@link IpvsadmCommand}, refusing exactly what ipvsadm
 * refuses with its message and exit code ({@link IpvsadmException}). Checks run in ipvsadm's order:
 * options left to right (the first option must be the command), then popt errors, {@code --set} values,
 * leftover arguments, {@code -b} flags, the command/option table, and the per-command rules.
 *
 * <p>Host and service names are never resolved: {@code -t www.example.com:http} fails with
 * "illegal virtual server address[:port] specified", the message ipvsadm gives for a name that does not
 * resolve (likewise for {@code -r} and {@code -M}).
 */
public final class IpvsadmParser {
    private static final int SCHED_NAME_MAX = 15;
    private static final int PE_NAME_MAX = 16;
    private static final int IFNAME_MAX = 15;
    private static final int SCHED_FLAGS_MAX = 127;
    private static final int MAX_TIMEOUT = 86_400 * 31;
    private static final int SYNC_MAXLEN_MAX = 65_535 - 20 - 8;
    private static final String DEFAULT_SCHEDULER = "wlc";

    private IpvsadmParser() {
    }

    /** Parses the arguments (without the program name); none at all means {@code -L}. */
    public static IpvsadmCommand parse(String... args) {
        if (args.length == 0) {
            return new IpvsadmCommand.List(null, ListOptions.NONE);
        }
        return parse(args, false);
    }

    /**
     * Reads {@code ipvsadm -R} input (e.g. {@code ipvsadm -S} output) into commands; nothing is returned
     * unless every line parses. See {@link ConfigStream} for how lines are split and what '#' does. Only
     * the commands that change the table are allowed (-A -E -D -C -a -e -d -Z --set).
     *
     * @throws IpvsadmException for the first bad line, with its {@link IpvsadmException#line()}
     */
    public static List<RestoreLine> parseRestore(Reader in) throws IOException {
        List<ConfigStream.Line> lines = ConfigStream.read(in);
        List<RestoreLine> out = new ArrayList<>(lines.size());
        for (ConfigStream.Line line : lines) {
            IpvsadmCommand cmd;
            try {
                cmd = parse(line.tokens(), true);
                if (!IpvsadmExecutor.isMutating(cmd)) {
                    throw IpvsadmException.fail("command not allowed in restore input: " + line.tokens()[0]);
                }
            } catch (IpvsadmException e) {
                throw e.atLine(line.number());
            }
            out.add(new RestoreLine(line.number(), cmd));
        }
        return List.copyOf(out);
    }

    // ipvsadm's process_options (reading_stdin = restore input)
    private static IpvsadmCommand parse(String[] args, boolean readingStdin) {
        PoptContext ctx = new PoptContext(args);
        CommandEntry ce = new CommandEntry();
        IpvsadmOption first = ctx.nextOption();
        if (first == null) {
            throw IpvsadmException.tryHelp();
        }
        switch (first) {
            case ADD_SERVICE -> ce.cmd = CommandKind.ADD;
            case EDIT_SERVICE -> ce.cmd = CommandKind.EDIT;
            case DELETE_SERVICE -> ce.cmd = CommandKind.DEL;
            case ADD_SERVER -> ce.cmd = CommandKind.ADDDEST;
            case EDIT_SERVER -> ce.cmd = CommandKind.EDITDEST;
            case DELETE_SERVER -> ce.cmd = CommandKind.DELDEST;
            case CLEAR -> ce.cmd = CommandKind.FLUSH;
            case LIST, LIST_LOWER -> ce.cmd = CommandKind.LIST;
            case ZERO -> ce.cmd = CommandKind.ZERO;
            case SET -> ce.cmd = CommandKind.TIMEOUT;
            case RESTORE -> ce.cmd = CommandKind.RESTORE;
            case SAVE -> ce.cmd = CommandKind.SAVE;
            case START_DAEMON -> {
                ce.cmd = CommandKind.STARTDAEMON;
                ce.daemonState = daemonState(ctx.arg(), "illegal start-daemon parameter specified");
            }
            case STOP_DAEMON -> {
                ce.cmd = CommandKind.STOPDAEMON;
                // sic: ipvsadm's wording for --stop-daemon
                ce.daemonState = daemonState(ctx.arg(), "illegal start_daemon specified");
            }
            case HELP -> {
                return new IpvsadmCommand.Help();
            }
            case VERSION -> {
                return new IpvsadmCommand.Version();
            }
            default -> throw IpvsadmException.tryHelp();
        }
        IpvsadmOption opt;
        while ((opt = ctx.nextOption()) != null) {
            option(ce, opt, ctx);
        }
        if (ctx.error() != null) {
            throw new IpvsadmException(IpvsadmException.EXIT_ERROR, ctx.badOption() + ": " + ctx.error());
        }
        if (ce.cmd == CommandKind.TIMEOUT) {
            String tcp = ctx.nextLeftover();
            String tcpfin = tcp == null ? null : ctx.nextLeftover();
            String udp = tcpfin == null ? null : ctx.nextLeftover();
            if (udp == null) {
                throw IpvsadmException.fail("--set option requires 3 timeout values");
            }
            ce.tcpTimeout = timeout(tcp, 0);
            ce.tcpFinTimeout = timeout(tcpfin, 0);
            ce.udpTimeout = timeout(udp, 0);
        }
        String extra = ctx.nextLeftover();
        if (extra != null) {
            throw IpvsadmException.fail("unexpected argument " + extra);
        }
        if (!ce.schedFlagsArg.isEmpty()) {
            ce.svcFlags = (ce.svcFlags & ~ServiceFlags.SCHED_MASK) | schedFlags(ce.schedName, ce.schedFlagsArg);
        }
        OptionTable.check(ce.cmd, ce.options);
        commandChecks(ce, readingStdin);
        return ce.toCommand();
    }

    private static DaemonState daemonState(String arg, String error) {
        return switch (arg) {
            case "master" -> DaemonState.MASTER;
            case "backup" -> DaemonState.BACKUP;
            default -> throw IpvsadmException.fail(error);
        };
    }

    // one option after the command (parse_options' loop)
    private static void option(CommandEntry ce, IpvsadmOption opt, PoptContext ctx) {
        String arg = ctx.arg();
        switch (opt) {
            case TCP_SERVICE, UDP_SERVICE, SCTP_SERVICE -> {
                ce.setOption(OptionCode.SERVICE);
                ce.protocol = opt == IpvsadmOption.TCP_SERVICE ? IpProto.TCP
                    : opt == IpvsadmOption.UDP_SERVICE ? IpProto.UDP : IpProto.SCTP;
                ServiceAddress sa = ServiceAddress.parse(arg);
                if (!sa.hasAddress()) {
                    throw IpvsadmException.fail("illegal virtual server address[:port] specified");
                }
                ce.svcAddr = sa.address();
                ce.svcAf = sa.address().af();
                if (ce.svcAf == Af.INET6) {
                    ce.netmask = 128;
                }
                if (sa.hasPort()) {
                    ce.svcPort = sa.port();
                }
            }
            case FWMARK_SERVICE -> {
                ce.setOption(OptionCode.SERVICE);
                ce.svcAf = Af.INET;
                ce.protocol = IpProto.TCP;
                long mark = InetText.parseFwmark(arg);
                if (mark < 0) {
                    throw IpvsadmException.fail("invalid fwmark value `" + arg + "' specified");
                }
                ce.fwmark = mark;
            }
            case SCHEDULER -> {
                ce.setOption(OptionCode.SCHEDULER);
                ce.schedName = truncate(arg, SCHED_NAME_MAX);
            }
            case PERSISTENT -> {
                ce.setOption(OptionCode.PERSISTENT);
                ce.svcFlags |= ServiceFlags.PERSISTENT;
                ce.timeout = arg == null ? ServiceConfig.DEFAULT_PERSIST_TIMEOUT : timeout(arg, 1);
            }
            case NETMASK -> {
                ce.setOption(OptionCode.NETMASK);
                if (ce.svcAf != Af.INET6) {
                    long mask = InetText.inetAton(arg);
                    if (mask < 0) {
                        throw IpvsadmException.fail("illegal virtual server persistent mask specified");
                    }
                    ce.netmask = (int) mask;
                } else {
                    // atoi into an unsigned field: negative values are huge, so only 1..128 pass
                    ce.netmask = InetText.atoi(arg);
                    if (ce.netmask < 1 || ce.netmask > 128) {
                        throw IpvsadmException.fail("illegal ipv6 netmask specified");
                    }
                }
            }
            case REAL_SERVER -> {
                ce.setOption(OptionCode.SERVER);
                ServiceAddress sa = ServiceAddress.parse(arg);
                if (!sa.hasAddress()) {
                    throw IpvsadmException.fail("illegal real server address[:port] specified");
                }
                ce.destAddr = sa.address();
                ce.destAf = sa.address().af();
                // without a port, the service port (as known at this point of the command line)
                ce.destPort = sa.hasPort() ? sa.port() : ce.svcPort;
            }
            case IPIP -> forward(ce, ForwardMethod.TUNNEL);
            case GATEWAYING -> forward(ce, ForwardMethod.ROUTE);
            case MASQUERADING -> forward(ce, ForwardMethod.MASQ);
            case WEIGHT -> {
                ce.setOption(OptionCode.WEIGHT);
                // ipvsadm 1.31 takes any int (checked against the kernel): 0..INT_MAX
                ce.weight = number(arg, 0, Integer.MAX_VALUE, "illegal weight specified");
            }
            case U_THRESHOLD -> {
                ce.setOption(OptionCode.UTHRESHOLD);
                ce.upperThreshold = number(arg, 0, Integer.MAX_VALUE, "illegal u_threshold specified");
            }
            case L_THRESHOLD -> {
                ce.setOption(OptionCode.LTHRESHOLD);
                ce.lowerThreshold = number(arg, 0, Integer.MAX_VALUE, "illegal l_threshold specified");
            }
            case CONNECTION -> ce.setOption(OptionCode.CONNECTION);
            case NUMERIC -> ce.setOption(OptionCode.NUMERIC);
            case MCAST_INTERFACE -> {
                ce.setOption(OptionCode.MCAST);
                ce.mcastInterface = truncate(arg, IFNAME_MAX);
            }
            case SYNCID -> {
                ce.setOption(OptionCode.SYNCID);
                ce.syncId = number(arg, 0, 255, "illegal syncid specified");
            }
            case TIMEOUT -> ce.setOption(OptionCode.TIMEOUT);
            case DAEMON -> ce.setOption(OptionCode.DAEMON);
            case STATS -> ce.setOption(OptionCode.STATS);
            case RATE -> ce.setOption(OptionCode.RATE);
            case THRESHOLDS -> ce.setOption(OptionCode.THRESHOLDS);
            case PERSISTENT_CONN -> ce.setOption(OptionCode.PERSISTENTCONN);
            case NOSORT -> ce.setOption(OptionCode.NOSORT);
            case SORT -> {
                // the default; accepted any number of times with any command
            }
            case EXACT -> ce.setOption(OptionCode.EXACT);
            case IPV6 -> {
                if (ce.fwmark == 0) {
                    // sic: ipvsadm's text carries its own newline
                    throw IpvsadmException.fail("-6 used before -f\n");
                }
                ce.svcAf = Af.INET6;
                ce.netmask = 128;
            }
            case OPS -> {
                ce.setOption(OptionCode.ONEPACKET);
                ce.svcFlags |= ServiceFlags.ONEPACKET;
            }
            case PE -> {
                ce.setOption(OptionCode.PERSISTENCE_ENGINE);
                ce.peName = truncate(arg, PE_NAME_MAX);
            }
            case SCHED_FLAGS -> {
                ce.setOption(OptionCode.SCHED_FLAGS);
                ce.schedFlagsArg = truncate(arg, SCHED_FLAGS_MAX);
            }
            case MCAST_GROUP -> {
                ce.setOption(OptionCode.MCAST_GROUP);
                ce.mcastGroup = multicastGroup(arg);
            }
            case MCAST_PORT -> {
                ce.setOption(OptionCode.MCAST_PORT);
                ce.mcastPort = number(arg, 1, 65_535, "illegal mcast-port specified");
            }
            case MCAST_TTL -> {
                ce.setOption(OptionCode.MCAST_TTL);
                ce.mcastTtl = number(arg, 1, 255, "illegal mcast-ttl specified");
            }
            case SYNC_MAXLEN -> {
                ce.setOption(OptionCode.SYNC_MAXLEN);
                ce.syncMaxlen = number(arg, 1, SYNC_MAXLEN_MAX, "illegal sync-maxlen specified");
            }
            case TUN_INFO -> ce.setOption(OptionCode.TUN_INFO);
            case TUN_TYPE -> {
                ce.setOption(OptionCode.TUN_TYPE);
                ce.tunnelType = switch (arg) {
                    case "ipip" -> TunnelType.IPIP;
                    case "gue" -> TunnelType.GUE;
                    case "gre" -> TunnelType.GRE;
                    default -> throw IpvsadmException.fail("illegal tunnel type specified");
                };
            }
            case TUN_PORT -> {
                ce.setOption(OptionCode.TUN_PORT);
                ce.tunnelPort = number(arg, 1, 65_535, "illegal tunnel port specified");
            }
            case TUN_NOCSUM -> {
                ce.setOption(OptionCode.TUN_NOCSUM);
                ce.tunnelChecksum = TunnelChecksum.NOCSUM;
            }
            case TUN_CSUM -> {
                ce.setOption(OptionCode.TUN_CSUM);
                ce.tunnelChecksum = TunnelChecksum.CSUM;
            }
            case TUN_REMCSUM -> {
                ce.setOption(OptionCode.TUN_REMCSUM);
                ce.tunnelChecksum = TunnelChecksum.REMCSUM;
            }
            // a second command, -h or -v after the command
            default -> throw IpvsadmException.fail("invalid option `" + ctx.badOption() + "'");
        }
    }

    private static void forward(CommandEntry ce, ForwardMethod method) {
        ce.setOption(OptionCode.FORWARD);
        ce.forward = method;
    }

    // the checks of process_options after the table check
    private static void commandChecks(CommandEntry ce, boolean readingStdin) {
        if (ce.cmd == CommandKind.ADD || ce.cmd == CommandKind.EDIT) {
            if (ce.fwmark == 0 && ce.svcPort == 0 && (ce.svcFlags & ServiceFlags.PERSISTENT) == 0) {
                throw IpvsadmException.fail("Zero port specified for non-persistent service");
            }
            if ((ce.svcFlags & ServiceFlags.ONEPACKET) != 0 && ce.fwmark == 0 && ce.protocol != IpProto.UDP) {
                throw IpvsadmException.fail("One-Packet Scheduling is only for UDP virtual services");
            }
            if (ce.schedName.isEmpty()) {
                ce.schedName = DEFAULT_SCHEDULER;
            }
        }
        if (ce.cmd == CommandKind.STARTDAEMON && ce.mcastInterface.isEmpty()) {
            ce.mcastInterface = DaemonOptions.DEFAULT_MCAST_INTERFACE;
        }
        if (ce.cmd == CommandKind.ADDDEST || ce.cmd == CommandKind.EDITDEST) {
            boolean tunnel = ce.forward == ForwardMethod.TUNNEL;
            // DR and TUN cannot change the port, so ipvsadm makes it the service's
            if (ce.fwmark == 0 && (tunnel || ce.forward == ForwardMethod.ROUTE)) {
                ce.destPort = ce.svcPort;
            }
            if (ce.destAf != ce.svcAf && !tunnel) {
                throw IpvsadmException.fail("Different address family is allowed only for tunneling servers");
            }
            long tunnelOptions = OptionCode.TUN_TYPE.bit() | OptionCode.TUN_PORT.bit() | OptionCode.TUN_NOCSUM.bit()
                | OptionCode.TUN_CSUM.bit() | OptionCode.TUN_REMCSUM.bit();
            if ((ce.options & tunnelOptions) != 0 && !tunnel) {
                throw IpvsadmException.fail("Tunnel options conflict with forward method");
            }
            OptionTable.checkTunnel(ce.tunnelType, ce.options);
        }
        if (ce.cmd == CommandKind.LIST) {
            long special = OptionCode.CONNECTION.bit() | OptionCode.TIMEOUT.bit() | OptionCode.DAEMON.bit();
            long formats = OptionCode.STATS.bit() | OptionCode.RATE.bit() | OptionCode.THRESHOLDS.bit();
            long noConns = OptionCode.TIMEOUT.bit() | OptionCode.DAEMON.bit();
            if (((ce.options & special) != 0 && (ce.options & formats) != 0)
                || ((ce.options & noConns) != 0 && ce.has(OptionCode.PERSISTENTCONN))) {
                throw IpvsadmException.fail("options conflicts in the list command");
            }
        }
        if (ce.cmd == CommandKind.RESTORE && readingStdin) {
            // a -R line inside -R input: ipvsadm refuses the endless loop
            throw IpvsadmException.tryHelp();
        }
    }

    private static int number(String arg, int min, int max, String error) {
        int v = InetText.stringToNumber(arg, min, max);
        if (v < 0) {
            throw IpvsadmException.fail(error);
        }
        return v;
    }

    // parse_timeout with a present value
    private static int timeout(String arg, int min) {
        int v = InetText.stringToNumber(arg, min, MAX_TIMEOUT);
        if (v < 0) {
            throw IpvsadmException.fail("invalid timeout value `" + arg + "' specified");
        }
        return v;
    }

    private static IpAddress multicastGroup(String arg) {
        if (arg.indexOf(':') >= 0) {
            IpAddress a = InetText.inetPton6(arg);
            if (a == null || (a.hi() >>> 56) != 0xff) {
                throw IpvsadmException.fail("invalid IPv6 mcast-group `" + arg + "'");
            }
            return a;
        }
        long v4 = InetText.inetPton4(arg);
        if (v4 < 0 || (v4 & 0xf000_0000L) != 0xe000_0000L) {
            throw IpvsadmException.fail("invalid IPv4 mcast-group `" + arg + "'");
        }
        return IpAddress.v4((int) v4);
    }

    /**
     * parse_sched_flags ({@code -b}): comma-separated names; sh-* and mh-* need that scheduler (none given = wlc). A
     * list of commas only makes ipvsadm 1.31 dereference NULL; here it is refused as an invalid flag.
     */
    public static int schedFlags(String schedName, String list) {
        String sched = schedName.isEmpty() ? DEFAULT_SCHEDULER : schedName;
        int flags = 0;
        boolean any = false;
        for (String flag : list.split(",")) {
            if (flag.isEmpty()) {
                continue;
            }
            any = true;
            switch (flag) {
                case "flag-1" -> flags |= ServiceFlags.SCHED1;
                case "flag-2" -> flags |= ServiceFlags.SCHED2;
                case "flag-3" -> flags |= ServiceFlags.SCHED3;
                case "sh-fallback", "sh-port", "mh-fallback", "mh-port" -> {
                    flags |= flag.endsWith("fallback") ? ServiceFlags.SCHED1 : ServiceFlags.SCHED2;
                    if (!sched.equals(flag.substring(0, 2))) {
                        throw IpvsadmException.fail("incompatible scheduler flag `" + flag + "'");
                    }
                }
                default -> throw IpvsadmException.fail("invalid scheduler flag `" + flag + "'");
            }
        }
        if (!any) {
            throw IpvsadmException.fail("invalid scheduler flag `" + list + "'");
        }
        return flags;
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
