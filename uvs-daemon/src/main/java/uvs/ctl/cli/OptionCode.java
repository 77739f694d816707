package uvs.ctl.cli;

/**
 * ipvsadm's option columns ({@code OPTC_*}) in the order of its command/option table, with the names its
 * messages use ({@code optnames[]}).
 */
enum OptionCode {
    /** -n. */
    NUMERIC("numeric"),
    /** -c. */
    CONNECTION("connection"),
    /** -t / -u / --sctp-service / -f. */
    SERVICE("service-address"),
    /** -s. */
    SCHEDULER("scheduler"),
    /** -p. */
    PERSISTENT("persistent"),
    /** -M. */
    NETMASK("netmask"),
    /** -r. */
    SERVER("real-server"),
    /** -g / -i / -m. */
    FORWARD("forwarding-method"),
    /** -w. */
    WEIGHT("weight"),
    /** -x. */
    UTHRESHOLD("u-threshold"),
    /** -y. */
    LTHRESHOLD("l-threshold"),
    /** --mcast-interface. */
    MCAST("mcast-interface"),
    /** --timeout. */
    TIMEOUT("timeout"),
    /** --daemon. */
    DAEMON("daemon"),
    /** --stats. */
    STATS("stats"),
    /** --rate. */
    RATE("rate"),
    /** --thresholds. */
    THRESHOLDS("thresholds"),
    /** --persistent-conn. */
    PERSISTENTCONN("persistent-conn"),
    /** --nosort. */
    NOSORT("nosort"),
    /** --syncid. */
    SYNCID("syncid"),
    /** -X / --exact. */
    EXACT("exact"),
    /** -o. */
    ONEPACKET("ops"),
    /** --pe. */
    PERSISTENCE_ENGINE("pe"),
    /** -b. */
    SCHED_FLAGS("sched-flags"),
    /** --mcast-group. */
    MCAST_GROUP("mcast-group"),
    /** --mcast-port. */
    MCAST_PORT("mcast-port"),
    /** --mcast-ttl. */
    MCAST_TTL("mcast-ttl"),
    /** --sync-maxlen. */
    SYNC_MAXLEN("sync-maxlen"),
    /** --tun-info. */
    TUN_INFO("tun-info"),
    /** --tun-type. */
    TUN_TYPE("tun-type"),
    /** --tun-port. */
    TUN_PORT("tun-port"),
    /** --tun-nocsum. */
    TUN_NOCSUM("tun-nocsum"),
    /** --tun-csum. */
    TUN_CSUM("tun-csum"),
    /** --tun-remcsum. */
    TUN_REMCSUM("tun-remcsum");

    private final String optName;

    OptionCode(String optName) {
        this.optName = optName;
    }

    /** The name ipvsadm's messages use. */
    String optName() {
        return optName;
    }

    /** This option's bit in the option set. */
    long bit() {
        return 1L << ordinal();
    }
}
