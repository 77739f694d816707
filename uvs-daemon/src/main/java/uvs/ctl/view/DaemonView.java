package uvs.ctl.view;

import java.util.Objects;
import uvs.core.net.IpAddress;

/**
 * One running sync daemon as {@code ipvsadm -L --daemon} shows it. The optional parts are 0 (or a null
 * group) when the kernel does not report them.
 *
 * @param state {@link #MASTER} or {@link #BACKUP}
 * @param mcastIfn multicast interface name (at most 15 characters)
 * @param syncId sync id 0..255
 * @param maxlen sync message maximum length, 0 = not reported
 * @param group multicast group, or null = not reported
 * @param port UDP port, 0 = not reported
 * @param ttl multicast TTL, 0 = not reported
 */
public record DaemonView(int state, String mcastIfn, int syncId, int maxlen, IpAddress group, int port, int ttl) {
    /** IP_VS_STATE_MASTER. */
    public static final int MASTER = 1;
    /** IP_VS_STATE_BACKUP. */
    public static final int BACKUP = 2;
    /** The kernel's default sync message size on a 1500-byte MTU (1500 − 20 − 8). */
    public static final int DEFAULT_MAXLEN = 1472;
    /** The kernel's default multicast group. */
    public static final IpAddress DEFAULT_GROUP = IpAddress.v4(0xE000_0051);
    /** The kernel's default port. */
    public static final int DEFAULT_PORT = 8848;

    /** Validates the ranges. */
    public DaemonView {
        if (state != MASTER && state != BACKUP) {
            throw new IllegalArgumentException("daemon state " + state + " is neither master (1) nor backup (2)");
        }
        Objects.requireNonNull(mcastIfn, "mcastIfn");
        if (mcastIfn.length() > 15) {
            throw new IllegalArgumentException("interface name '" + mcastIfn + "' is longer than 15 characters");
        }
        checkRange("syncid", syncId, 255);
        checkRange("maxlen", maxlen, 0xffff);
        checkRange("port", port, 0xffff);
        checkRange("ttl", ttl, 255);
    }

    /** A daemon with the kernel's defaults for everything but state, interface and sync id. */
    public static DaemonView withDefaults(int state, String mcastIfn, int syncId) {
        return new DaemonView(state, mcastIfn, syncId, DEFAULT_MAXLEN, DEFAULT_GROUP, DEFAULT_PORT, 1);
    }

    /** "master" or "backup". */
    public String stateName() {
        return state == MASTER ? "master" : "backup";
    }

    private static void checkRange(String name, int v, int max) {
        if (v < 0 || v > max) {
            throw new IllegalArgumentException(name + " " + v + " is out of range 0.." + max);
        }
    }
}
