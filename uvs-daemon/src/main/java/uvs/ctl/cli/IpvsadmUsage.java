package uvs.ctl.cli;

/** The texts ipvsadm 1.31 prints for {@code -h} and {@code -v}. */
public final class IpvsadmUsage {
    /** Program name used in messages (ipvsadm prints its argv[0]). */
    public static final String PROGRAM = "ipvsadm";
    /** The {@code -v} line (without the newline). */
    public static final String VERSION = "ipvsadm v1.31 2019/12/24 (compiled with popt and IPVS v1.2.1)";

    private static final String SCHEDULERS = "rr|wrr|lc|wlc|lblc|lblcr|dh|sh|sed|nq|fo|ovf|mh";
    private static final String PE_LIST = "sip";

    private IpvsadmUsage() {
    }

    /** The complete {@code -h} text (ends with a newline), with {@code program} as ipvsadm's argv[0]. */
    public static String usage(String program) {
        StringBuilder sb = new StringBuilder(4096);
        sb.append(VERSION).append('\n');
        sb.append("Usage:\n");
        String[] forms = {
            " -A|E virtual-service [-s scheduler] [-p [timeout]] [-M netmask] [--pe persistence_engine] [-b sched-flags]",
            " -D virtual-service",
            " -C",
            " -R",
            " -S [-n]",
            " -a|e virtual-service -r server-address [options]",
            " -d virtual-service -r server-address",
            " -L|l [virtual-service] [options]",
            " -Z [virtual-service]",
            " --set tcp tcpfin udp",
            " --start-daemon {master|backup} [daemon-options]",
            " --stop-daemon {master|backup}",
            " -h",
        };
        for (String f : forms) {
            sb.append("  ").append(program).append(f).append('\n');
        }
        sb.append('\n');
        sb.append("""
            Commands:
            Either long or short options are allowed.
              --add-service     -A        add virtual service with options
              --edit-service    -E        edit virtual service with options
              --delete-service  -D        delete virtual service
              --clear           -C        clear the whole table
              --restore         -R        restore rules from stdin
              --save            -S        save rules to stdout
              --add-server      -a        add real server with options
              --edit-server     -e        edit real server with options
              --delete-server   -d        delete real server
              --list            -L|-l     list the table
              --zero            -Z        zero counters in a service or all services
              --set tcp tcpfin udp        set connection timeout values
              --start-daemon              start connection sync daemon
              --stop-daemon               stop connection sync daemon
              --help            -h        display this help message

            virtual-service:
              --tcp-service|-t  service-address   service-address is host[:port]
              --udp-service|-u  service-address   service-address is host[:port]
              --sctp-service    service-address   service-address is host[:port]
              --fwmark-service|-f fwmark          fwmark is an integer greater than zero

            Options:
              --ipv6         -6                   fwmark entry uses IPv6
            """);
        sb.append("  --scheduler    -s scheduler         one of ").append(SCHEDULERS).append(",\n");
        sb.append("                                      the default scheduler is wlc.\n");
        sb.append("  --pe            engine              alternate persistence engine may be ").append(PE_LIST)
            .append(",\n");
        sb.append("""
                                                  not set by default.
              --persistent   -p [timeout]         persistent service
              --netmask      -M netmask           persistent granularity mask
              --real-server  -r server-address    server-address is host (and port)
              --gatewaying   -g                   gatewaying (direct routing) (default)
              --ipip         -i                   ipip encapsulation (tunneling)
              --masquerading -m                   masquerading (NAT)
              --tun-type      type                one of ipip|gue|gre,
                                                  the default tunnel type is ipip.
              --tun-port      port                tunnel destination port
              --tun-nocsum                        tunnel encapsulation without checksum
              --tun-csum                          tunnel encapsulation with checksum
              --tun-remcsum                       tunnel encapsulation with remote checksum
              --weight       -w weight            capacity of real server
              --u-threshold  -x uthreshold        upper threshold of connections
              --l-threshold  -y lthreshold        lower threshold of connections
              --connection   -c                   output of current IPVS connections
              --timeout                           output of timeout (tcp tcpfin udp)
              --daemon                            output of daemon information
              --stats                             output of statistics information
              --rate                              output of rate information
              --exact                             expand numbers (display exact values)
              --thresholds                        output of thresholds information
              --persistent-conn                   output of persistent connection info
              --tun-info                          output of tunnel information
              --nosort                            disable sorting output of service/server entries
              --sort                              does nothing, for backwards compatibility
              --ops          -o                   one-packet scheduling
              --numeric      -n                   numeric output of addresses and ports
              --sched-flags  -b flags             scheduler flags (comma-separated)
            Daemon Options:
              --syncid sid                        syncid for connection sync (default=255)
              --sync-maxlen length                Max sync message length (default=1472)
              --mcast-interface interface         multicast interface for connection sync
              --mcast-group address               IPv4/IPv6 group (default=224.0.0.81)
              --mcast-port port                   UDP port (default=8848)
              --mcast-ttl ttl                     Multicast TTL (default=1)
            """);
        return sb.toString();
    }
}
