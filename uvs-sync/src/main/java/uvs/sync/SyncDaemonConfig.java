package uvs.sync;

import java.util.Objects;
import uvs.core.net.Af;
import uvs.core.net.IpAddress;

/**
 * The options of one sync daemon, as {@code ipvsadm --start-daemon} / netlink pass them (spec §1.1, §1.8).
 * Values are validated on construction; change one with the {@code with*} methods.
 *
 * @param state          master or backup
 * @param mcastInterface multicast interface name (1..15 characters; ipvsadm's default "eth0")
 * @param syncid         0..255; a backup with 0 accepts every master
 * @param maxlen         configured sync_maxlen, or 0 when not configured (then the per-role default applies)
 * @param group          multicast group (IPv4 224.0.0.81 unless an address is given; IPv6 only if given)
 * @param port           first UDP port 1..65535 (port {@code i} is {@code port + i})
 * @param ttl            multicast TTL 1..255 (a configured 0 is stored as 1, as the kernel does)
 */
public record SyncDaemonConfig(State state, String mcastInterface, int syncid, int maxlen, IpAddress group, int port,
                               int ttl) {
    /** The daemon's role. */
    public enum State {
        /** Sends the local connections (IP_VS_STATE_MASTER). */
        MASTER,
        /** Receives and applies them (IP_VS_STATE_BACKUP). */
        BACKUP
    }

    /** ipvsadm's interface when none is given. */
    public static final String DEFAULT_INTERFACE = "eth0";
    /** IP_VS_SYNC_GROUP 224.0.0.81. */
    public static final IpAddress DEFAULT_GROUP = IpAddress.v4(0xe000_0051);
    /** IP_VS_SYNC_PORT. */
    public static final int DEFAULT_PORT = 8848;
    /** Default multicast TTL. */
    public static final int DEFAULT_TTL = 1;
    /** IPv4 + UDP header bytes. */
    public static final int HLEN_V4 = 20 + 8;
    /** IPv6 + UDP header bytes. */
    public static final int HLEN_V6 = 40 + 8;
    /** Longest interface name (IFNAMSIZ - 1). */
    public static final int MAX_IFNAME = 15;

    private static final int MAX_PACKET = 65535;
    private static final int ETH_MTU = 1500;
    private static final int MIN_BACKUP_MAXLEN = 1024;

    /**
     * Validates every field.
     *
     * @throws IllegalArgumentException naming the bad value
     */
    public SyncDaemonConfig {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(group, "group");
        if (mcastInterface == null || mcastInterface.isEmpty()) {
            throw new IllegalArgumentException("mcast interface name is empty");
        }
        if (mcastInterface.length() > MAX_IFNAME) {
            throw new IllegalArgumentException("mcast interface name '" + mcastInterface + "' is longer than "
                + MAX_IFNAME + " characters");
        }
        if (syncid < 0 || syncid > 255) {
            throw new IllegalArgumentException("syncid " + syncid + " outside 0..255");
        }
        if (maxlen < 0 || maxlen > MAX_PACKET) {
            throw new IllegalArgumentException("sync maxlen " + maxlen + " outside 1.." + MAX_PACKET + " (0 = default)");
        }
        if (!isMulticast(group)) {
            throw new IllegalArgumentException("mcast group " + group + " is not a multicast address");
        }
        if (port < 1 || port > MAX_PACKET) {
            throw new IllegalArgumentException("mcast port " + port + " outside 1..65535");
        }
        if (ttl < 0 || ttl > 255) {
            throw new IllegalArgumentException("mcast ttl " + ttl + " outside 1..255");
        }
        if (ttl == 0) {
            ttl = DEFAULT_TTL;
        }
    }

    /** A master with every default: eth0, syncid 0, default maxlen, 224.0.0.81, port 8848, ttl 1. */
    public static SyncDaemonConfig master() {
        return new SyncDaemonConfig(State.MASTER, DEFAULT_INTERFACE, 0, 0, DEFAULT_GROUP, DEFAULT_PORT, DEFAULT_TTL);
    }

    /** A backup with every default. */
    public static SyncDaemonConfig backup() {
        return master().withState(State.BACKUP);
    }

    /** This config with another role. */
    public SyncDaemonConfig withState(State s) {
        return new SyncDaemonConfig(s, mcastInterface, syncid, maxlen, group, port, ttl);
    }

    /** This config with another multicast interface. */
    public SyncDaemonConfig withMcastInterface(String ifname) {
        return new SyncDaemonConfig(state, ifname, syncid, maxlen, group, port, ttl);
    }

    /** This config with another syncid. */
    public SyncDaemonConfig withSyncid(int id) {
        return new SyncDaemonConfig(state, mcastInterface, id, maxlen, group, port, ttl);
    }

    /** This config with a configured sync_maxlen (0 = not configured). */
    public SyncDaemonConfig withMaxlen(int len) {
        return new SyncDaemonConfig(state, mcastInterface, syncid, len, group, port, ttl);
    }

    /** This config with another multicast group (IPv6 makes the daemon use IPv6). */
    public SyncDaemonConfig withGroup(IpAddress g) {
        return new SyncDaemonConfig(state, mcastInterface, syncid, maxlen, g, port, ttl);
    }

    /** This config with another first port. */
    public SyncDaemonConfig withPort(int p) {
        return new SyncDaemonConfig(state, mcastInterface, syncid, maxlen, group, p, ttl);
    }

    /** This config with another TTL. */
    public SyncDaemonConfig withTtl(int t) {
        return new SyncDaemonConfig(state, mcastInterface, syncid, maxlen, group, port, t);
    }

    /** Address family of the group, and so of the sockets. */
    public int af() {
        return group.af();
    }

    /** IP + UDP header length of one datagram: 28 (IPv4) or 48 (IPv6). */
    public int hlen() {
        return group.af() == Af.INET6 ? HLEN_V6 : HLEN_V4;
    }

    /**
     * The effective sync_maxlen (UDP payload bytes, spec §1.1). Master: 1500 − hlen unless configured, else
     * clamp(v, 1, 65535 − hlen). Backup: clamp(MTU, 1500, 65535) − hlen unless configured, else
     * clamp(v, 1024, 65535 − hlen).
     *
     * @param deviceMtu MTU of the multicast interface (read by the backup only)
     */
    public int syncMaxlen(int deviceMtu) {
        int hlen = hlen();
        if (state == State.MASTER) {
            return maxlen == 0 ? ETH_MTU - hlen : clamp(maxlen, 1, MAX_PACKET - hlen);
        }
        return maxlen == 0 ? clamp(deviceMtu, ETH_MTU, MAX_PACKET) - hlen
            : clamp(maxlen, MIN_BACKUP_MAXLEN, MAX_PACKET - hlen);
    }

    /** {@link #syncMaxlen(int)} for an interface of MTU 1500. */
    public int syncMaxlen() {
        return syncMaxlen(ETH_MTU);
    }

    /** {@link #describe(int)} for an interface of MTU 1500. */
    public String describe() {
        return describe(ETH_MTU);
    }

    /**
     * ipvsadm's {@code -L --daemon} line for this daemon, e.g.
     * {@code master sync daemon (mcast=eth0, syncid=0, maxlen=1472, group=224.0.0.81, port=8848, ttl=1)}.
     *
     * @param deviceMtu MTU of the multicast interface (for a backup's default maxlen)
     */
    public String describe(int deviceMtu) {
        return (state == State.MASTER ? "master" : "backup") + " sync daemon (mcast=" + mcastInterface + ", syncid="
            + syncid + ", maxlen=" + syncMaxlen(deviceMtu) + ", group=" + group + ", port=" + port + ", ttl=" + ttl + ")";
    }

    /** True for 224.0.0.0/4 and ff00::/8. */
    public static boolean isMulticast(IpAddress a) {
        return a.af() == Af.INET ? (a.v4() >>> 28) == 0xe : (a.hi() >>> 56) == 0xff;
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
