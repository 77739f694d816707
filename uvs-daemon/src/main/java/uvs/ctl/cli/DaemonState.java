package uvs.ctl.cli;

import java.util.Locale;

/** Sync daemon role as {@code --start-daemon} / {@code --stop-daemon} name it (IP_VS_STATE_* values). */
public enum DaemonState {
    /** {@code master} (IP_VS_STATE_MASTER = 1). */
    MASTER(1),
    /** {@code backup} (IP_VS_STATE_BACKUP = 2). */
    BACKUP(2);

    private final int value;

    DaemonState(int value) {
        this.value = value;
    }

    /** The netlink IPVS_DAEMON_ATTR_STATE value. */
    public int value() {
        return value;
    }

    /** The word ipvsadm uses ("master", "backup"). */
    public String ipvsadmName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
