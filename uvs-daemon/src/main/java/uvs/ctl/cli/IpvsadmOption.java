package uvs.ctl.cli;

/**
 * ipvsadm's popt option table: long name, short letter (0 for none) and argument kind, in table order
 * (popt takes the first entry that matches, so {@code --list} means {@code -L}).
 */
enum IpvsadmOption {
    /** -A. */
    ADD_SERVICE("add-service", 'A', Arg.NONE),
    /** -E. */
    EDIT_SERVICE("edit-service", 'E', Arg.NONE),
    /** -D. */
    DELETE_SERVICE("delete-service", 'D', Arg.NONE),
    /** -C. */
    CLEAR("clear", 'C', Arg.NONE),
    /** -L. */
    LIST("list", 'L', Arg.NONE),
    /** -l. */
    LIST_LOWER("list", 'l', Arg.NONE),
    /** -Z. */
    ZERO("zero", 'Z', Arg.NONE),
    /** -a. */
    ADD_SERVER("add-server", 'a', Arg.NONE),
    /** -e. */
    EDIT_SERVER("edit-server", 'e', Arg.NONE),
    /** -d. */
    DELETE_SERVER("delete-server", 'd', Arg.NONE),
    /** --set. */
    SET("set", '\0', Arg.NONE),
    /** -h. */
    HELP("help", 'h', Arg.NONE),
    /** -v. */
    VERSION("version", 'v', Arg.NONE),
    /** -R. */
    RESTORE("restore", 'R', Arg.NONE),
    /** -S. */
    SAVE("save", 'S', Arg.NONE),
    /** --start-daemon. */
    START_DAEMON("start-daemon", '\0', Arg.REQUIRED),
    /** --stop-daemon. */
    STOP_DAEMON("stop-daemon", '\0', Arg.REQUIRED),
    /** -t. */
    TCP_SERVICE("tcp-service", 't', Arg.REQUIRED),
    /** -u. */
    UDP_SERVICE("udp-service", 'u', Arg.REQUIRED),
    /** --sctp-service. */
    SCTP_SERVICE("sctp-service", '\0', Arg.REQUIRED),
    /** -f. */
    FWMARK_SERVICE("fwmark-service", 'f', Arg.REQUIRED),
    /** -s. */
    SCHEDULER("scheduler", 's', Arg.REQUIRED),
    /** -p, with an optional timeout. */
    PERSISTENT("persistent", 'p', Arg.OPTIONAL),
    /** -M. */
    NETMASK("netmask", 'M', Arg.REQUIRED),
    /** -r. */
    REAL_SERVER("real-server", 'r', Arg.REQUIRED),
    /** -m. */
    MASQUERADING("masquerading", 'm', Arg.NONE),
    /** -i. */
    IPIP("ipip", 'i', Arg.NONE),
    /** -g. */
    GATEWAYING("gatewaying", 'g', Arg.NONE),
    /** -w. */
    WEIGHT("weight", 'w', Arg.REQUIRED),
    /** -x. */
    U_THRESHOLD("u-threshold", 'x', Arg.REQUIRED),
    /** -y. */
    L_THRESHOLD("l-threshold", 'y', Arg.REQUIRED),
    /** -n. */
    NUMERIC("numeric", 'n', Arg.NONE),
    /** -c. */
    CONNECTION("connection", 'c', Arg.NONE),
    /** --mcast-interface. */
    MCAST_INTERFACE("mcast-interface", '\0', Arg.REQUIRED),
    /** --syncid. */
    SYNCID("syncid", '\0', Arg.REQUIRED),
    /** --timeout. */
    TIMEOUT("timeout", '\0', Arg.NONE),
    /** --daemon. */
    DAEMON("daemon", '\0', Arg.NONE),
    /** --stats. */
    STATS("stats", '\0', Arg.NONE),
    /** --rate. */
    RATE("rate", '\0', Arg.NONE),
    /** --thresholds. */
    THRESHOLDS("thresholds", '\0', Arg.NONE),
    /** --persistent-conn. */
    PERSISTENT_CONN("persistent-conn", '\0', Arg.NONE),
    /** --nosort. */
    NOSORT("nosort", '\0', Arg.NONE),
    /** --sort (a no-op). */
    SORT("sort", '\0', Arg.NONE),
    /** -X. */
    EXACT("exact", 'X', Arg.NONE),
    /** -6. */
    IPV6("ipv6", '6', Arg.NONE),
    /** -o. */
    OPS("ops", 'o', Arg.NONE),
    /** --pe. */
    PE("pe", '\0', Arg.REQUIRED),
    /** -b. */
    SCHED_FLAGS("sched-flags", 'b', Arg.REQUIRED),
    /** --mcast-group. */
    MCAST_GROUP("mcast-group", '\0', Arg.REQUIRED),
    /** --mcast-port. */
    MCAST_PORT("mcast-port", '\0', Arg.REQUIRED),
    /** --mcast-ttl. */
    MCAST_TTL("mcast-ttl", '\0', Arg.REQUIRED),
    /** --sync-maxlen. */
    SYNC_MAXLEN("sync-maxlen", '\0', Arg.REQUIRED),
    /** --tun-info. */
    TUN_INFO("tun-info", '\0', Arg.NONE),
    /** --tun-type. */
    TUN_TYPE("tun-type", '\0', Arg.REQUIRED),
    /** --tun-port. */
    TUN_PORT("tun-port", '\0', Arg.REQUIRED),
    /** --tun-nocsum. */
    TUN_NOCSUM("tun-nocsum", '\0', Arg.NONE),
    /** --tun-csum. */
    TUN_CSUM("tun-csum", '\0', Arg.NONE),
    /** --tun-remcsum. */
    TUN_REMCSUM("tun-remcsum", '\0', Arg.NONE);

    /** Whether an option takes an argument (popt's ARG_NONE, ARG_STRING, ARG_STRING|OPTIONAL). */
    enum Arg {
        /** No argument. */
        NONE,
        /** A required argument. */
        REQUIRED,
        /** An argument taken only when the next word does not start with '-'. */
        OPTIONAL
    }

    private static final IpvsadmOption[] ALL = values();

    private final String longName;
    private final char shortName;
    private final Arg arg;

    IpvsadmOption(String longName, char shortName, Arg arg) {
        this.longName = longName;
        this.shortName = shortName;
        this.arg = arg;
    }

    /** Argument kind. */
    Arg arg() {
        return arg;
    }

    /** The first option with this long name, or null. */
    static IpvsadmOption byLongName(String name) {
        for (IpvsadmOption o : ALL) {
            if (o.longName.equals(name)) {
                return o;
            }
        }
        return null;
    }

    /** The option with this short letter, or null ('\0' never matches). */
    static IpvsadmOption byShortName(char c) {
        if (c == '\0') {
            return null;
        }
        for (IpvsadmOption o : ALL) {
            if (o.shortName == c) {
                return o;
            }
        }
        return null;
    }
}
