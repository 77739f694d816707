package uvs.ctl.cli;

import uvs.core.net.IpAddress;

/**
 * The sync daemon options of {@code --start-daemon} as ipvsadm sends them (spec §1.8); 0 / null means
 * "not given", so the kernel default applies.
 *
 * @param mcastInterface {@code --mcast-interface}, at most 15 characters; "eth0" when omitted
 * @param syncId {@code --syncid} 0..255, default 0
 * @param syncMaxlen {@code --sync-maxlen} 1..65507, or 0
 * @param mcastGroup {@code --mcast-group} (a multicast address), or null
 * @param mcastPort {@code --mcast-port} 1..65535, or 0
 * @param mcastTtl {@code --mcast-ttl} 1..255, or 0
 */
public record DaemonOptions(String mcastInterface, int syncId, int syncMaxlen, IpAddress mcastGroup, int mcastPort,
                            int mcastTtl) {
    /** ipvsadm's interface when {@code --mcast-interface} is omitted. */
    public static final String DEFAULT_MCAST_INTERFACE = "eth0";
}
