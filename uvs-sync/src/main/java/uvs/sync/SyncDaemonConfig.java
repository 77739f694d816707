package uvs.sync;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import uvs.core.net.Af;
import uvs.core.net.IpAddress;
import uvs.sync.ext.HmacAuthenticator;
import uvs.sync.ext.UvsTrailer;

/**
 * The options of one sync daemon, as {@code ipvsadm --start-daemon} / netlink pass them (spec §1.1, §1.8), plus
 * the two UVS extensions (docs/sync.md, "UVS extensions"), both off by default so that the daemon stays
 * wire-compatible with Linux. Values are validated on construction; change one with the {@code with*} methods.
 *
 * @param state          master or backup
 * @param mcastInterface multicast interface name (1..15 characters; ipvsadm's default "eth0")
 * @param syncid         0..255; a backup with 0 accepts every master
 * @param maxlen         configured sync_maxlen, or 0 when not configured (then the per-role default applies)
 * @param group          multicast group (IPv4 224.0.0.81 unless an address is given; IPv6 only if given)
 * @param port           first UDP port 1..65535 (port {@code i} is {@code port + i})
 * @param ttl            multicast TTL 1..255 (a configured 0 is stored as 1, as the kernel does)
 * @param reliable       reliable mode: sequence numbers, NACKs, heartbeats and resync
 * @param authKey        the shared HMAC-SHA256 key of authenticated mode (at least 16 bytes), or null when off
 * @param retransmitRing reliable mode, master: datagrams kept per port for retransmission (16..65536)
 * @param nackRetryMillis reliable mode, backup: interval between requests for one missing range (10..10000 ms)
 * @param heartbeatMillis reliable mode: a master idle this long on a port sends a HEARTBEAT; a backup repeats an
 *                       unanswered resync request after twice it and forgets a master silent for 5 times it
 *                       (100..60000 ms)
 * @param resyncPerCycle reliable mode, master: connection entries visited per engine cycle while resyncing
 *                       (1..1000000)
 * @param holdBack       reliable mode, backup: datagrams held per master and port while an earlier one is missing,
 *                       so that entries are applied in the master's order (16..65536)
 */
public record SyncDaemonConfig(State state, String mcastInterface, int syncid, int maxlen, IpAddress group, int port,
                               int ttl, boolean reliable, byte[] authKey, int retransmitRing, int nackRetryMillis,
                               int heartbeatMillis, int resyncPerCycle, int holdBack) {
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
    /** Default retransmit ring: datagrams kept per port. */
    public static final int DEFAULT_RETRANSMIT_RING = 1024;
    /** Default interval between NACKs for one range. */
    public static final int DEFAULT_NACK_RETRY_MILLIS = 100;
    /** Default idle time before a HEARTBEAT. */
    public static final int DEFAULT_HEARTBEAT_MILLIS = 1000;
    /** Default entries visited per engine cycle while resyncing. */
    public static final int DEFAULT_RESYNC_PER_CYCLE = 1024;
    /** Default hold-back: datagrams held per master and port. */
    public static final int DEFAULT_HOLD_BACK = 1024;

    private static final int MAX_PACKET = 65535;
    private static final int ETH_MTU = 1500;
    private static final int MIN_BACKUP_MAXLEN = 1024;
    private static final int MIN_AUTH_KEY = 16;

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
        if (authKey != null) {
            if (authKey.length < MIN_AUTH_KEY) {
                throw new IllegalArgumentException("sync auth key is " + authKey.length + " bytes; at least "
                    + MIN_AUTH_KEY + " are needed");
            }
            authKey = authKey.clone();
        }
        checkRange("retransmit ring", retransmitRing, 16, 65536, " datagrams");
        checkRange("NACK retry interval", nackRetryMillis, 10, 10_000, " ms");
        checkRange("heartbeat interval", heartbeatMillis, 100, 60_000, " ms");
        checkRange("resync entries per cycle", resyncPerCycle, 1, 1_000_000, "");
        checkRange("hold-back", holdBack, 16, 65536, " datagrams");
    }

    /** A config with the IPVS options and the extensions off (their tunables at the defaults). */
    public SyncDaemonConfig(State state, String mcastInterface, int syncid, int maxlen, IpAddress group, int port,
                            int ttl) {
        this(state, mcastInterface, syncid, maxlen, group, port, ttl, false, null, DEFAULT_RETRANSMIT_RING,
            DEFAULT_NACK_RETRY_MILLIS, DEFAULT_HEARTBEAT_MILLIS, DEFAULT_RESYNC_PER_CYCLE, DEFAULT_HOLD_BACK);
    }

    /** A master with every default: eth0, syncid 0, default maxlen, 224.0.0.81, port 8848, ttl 1, no extension. */
    public static SyncDaemonConfig master() {
        return new SyncDaemonConfig(State.MASTER, DEFAULT_INTERFACE, 0, 0, DEFAULT_GROUP, DEFAULT_PORT, DEFAULT_TTL);
    }

    /** A backup with every default. */
    public static SyncDaemonConfig backup() {
        return master().withState(State.BACKUP);
    }

    /** This config with another role. */
    public SyncDaemonConfig withState(State s) {
        return new SyncDaemonConfig(s, mcastInterface, syncid, maxlen, group, port, ttl, reliable, authKey,
            retransmitRing, nackRetryMillis, heartbeatMillis, resyncPerCycle, holdBack);
    }

    /** This config with another multicast interface. */
    public SyncDaemonConfig withMcastInterface(String ifname) {
        return new SyncDaemonConfig(state, ifname, syncid, maxlen, group, port, ttl, reliable, authKey,
            retransmitRing, nackRetryMillis, heartbeatMillis, resyncPerCycle, holdBack);
    }

    /** This config with another syncid. */
    public SyncDaemonConfig withSyncid(int id) {
        return new SyncDaemonConfig(state, mcastInterface, id, maxlen, group, port, ttl, reliable, authKey,
            retransmitRing, nackRetryMillis, heartbeatMillis, resyncPerCycle, holdBack);
    }

    /** This config with a configured sync_maxlen (0 = not configured). */
    public SyncDaemonConfig withMaxlen(int len) {
        return new SyncDaemonConfig(state, mcastInterface, syncid, len, group, port, ttl, reliable, authKey,
            retransmitRing, nackRetryMillis, heartbeatMillis, resyncPerCycle, holdBack);
    }

    /** This config with another multicast group (IPv6 makes the daemon use IPv6). */
    public SyncDaemonConfig withGroup(IpAddress g) {
        return new SyncDaemonConfig(state, mcastInterface, syncid, maxlen, g, port, ttl, reliable, authKey,
            retransmitRing, nackRetryMillis, heartbeatMillis, resyncPerCycle, holdBack);
    }

    /** This config with another first port. */
    public SyncDaemonConfig withPort(int p) {
        return new SyncDaemonConfig(state, mcastInterface, syncid, maxlen, group, p, ttl, reliable, authKey,
            retransmitRing, nackRetryMillis, heartbeatMillis, resyncPerCycle, holdBack);
    }

    /** This config with another TTL. */
    public SyncDaemonConfig withTtl(int t) {
        return new SyncDaemonConfig(state, mcastInterface, syncid, maxlen, group, port, t, reliable, authKey,
            retransmitRing, nackRetryMillis, heartbeatMillis, resyncPerCycle, holdBack);
    }

    /** This config with reliable mode on or off. */
    public SyncDaemonConfig withReliable(boolean on) {
        return new SyncDaemonConfig(state, mcastInterface, syncid, maxlen, group, port, ttl, on, authKey,
            retransmitRing, nackRetryMillis, heartbeatMillis, resyncPerCycle, holdBack);
    }

    /** This config with authenticated mode using {@code key} (copied), or off with null. */
    public SyncDaemonConfig withAuthKey(byte[] key) {
        return new SyncDaemonConfig(state, mcastInterface, syncid, maxlen, group, port, ttl, reliable, key,
            retransmitRing, nackRetryMillis, heartbeatMillis, resyncPerCycle, holdBack);
    }

    /**
     * This config with authenticated mode using the key in {@code keyFile} (hex or raw bytes, see
     * {@link HmacAuthenticator#readKeyFile}).
     *
     * @throws IOException when the file cannot be read
     * @throws IllegalArgumentException naming the file when its key is too short
     */
    public SyncDaemonConfig withAuthKeyFile(Path keyFile) throws IOException {
        return withAuthKey(HmacAuthenticator.readKeyFile(keyFile));
    }

    /** This config with other reliable-mode tunables (see the record's parameters for their ranges). */
    public SyncDaemonConfig withReliableTunables(int ring, int nackRetryMs, int heartbeatMs, int perCycle,
                                                 int heldDatagrams) {
        return new SyncDaemonConfig(state, mcastInterface, syncid, maxlen, group, port, ttl, reliable, authKey,
            ring, nackRetryMs, heartbeatMs, perCycle, heldDatagrams);
    }

    /** A copy of the shared key, or null when authenticated mode is off. */
    @Override
    public byte[] authKey() {
        return authKey == null ? null : authKey.clone();
    }

    /** True in authenticated mode. */
    public boolean authenticated() {
        return authKey != null;
    }

    /** True when either extension is on, so that every datagram carries the UVS trailer. */
    public boolean extended() {
        return reliable || authKey != null;
    }

    /** Bytes of the UVS trailer: 0 without extensions, 20 reliable only, 52 with authentication. */
    public int trailerLength() {
        if (!extended()) {
            return 0;
        }
        return UvsTrailer.length(authKey != null ? UvsTrailer.FLAG_AUTH : 0);
    }

    /** Equal options, comparing the key by content. */
    @Override
    public boolean equals(Object o) {
        return o instanceof SyncDaemonConfig c && state == c.state && mcastInterface.equals(c.mcastInterface)
            && syncid == c.syncid && maxlen == c.maxlen && group.equals(c.group) && port == c.port && ttl == c.ttl
            && reliable == c.reliable && Arrays.equals(authKey, c.authKey) && retransmitRing == c.retransmitRing
            && nackRetryMillis == c.nackRetryMillis && heartbeatMillis == c.heartbeatMillis
            && resyncPerCycle == c.resyncPerCycle && holdBack == c.holdBack;
    }

    /** Hash over every option, the key by content. */
    @Override
    public int hashCode() {
        return Objects.hash(state, mcastInterface, syncid, maxlen, group, port, ttl, reliable, Arrays.hashCode(authKey),
            retransmitRing, nackRetryMillis, heartbeatMillis, resyncPerCycle, holdBack);
    }

    /** Every option except the key itself, which is shown only as set or not. */
    @Override
    public String toString() {
        return "SyncDaemonConfig[" + describe() + ", reliable=" + reliable + ", auth=" + (authKey != null)
            + ", retransmitRing=" + retransmitRing + ", nackRetryMillis=" + nackRetryMillis + ", heartbeatMillis="
            + heartbeatMillis + ", resyncPerCycle=" + resyncPerCycle + ", holdBack=" + holdBack + "]";
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

    private static void checkRange(String what, int v, int lo, int hi, String unit) {
        if (v < lo || v > hi) {
            throw new IllegalArgumentException(what + " " + v + " outside " + lo + ".." + hi + unit);
        }
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
