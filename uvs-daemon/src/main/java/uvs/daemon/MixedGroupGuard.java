package uvs.daemon;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uvs.sync.backup.SyncBackup;

/**
 * Keeps UVS's sync extensions out of a group with a plain master in it, such as a Linux director: a Linux
 * backup drops every datagram that carries UVS's trailer, and a UVS backup in reliable or authenticated
 * mode drops every plain one, so either side would learn nothing without a word. A Linux backup sends
 * nothing and cannot be seen; a plain master can, by this director's backup (docs/sync.md).
 *
 * <p>Starting a master with {@code --sync-reliable} or {@code --sync-auth-key} is refused while the running
 * backup has heard a plain datagram, unless {@code --sync-mixed-group} is given. A daemon already using the
 * extensions logs once per backup run when a plain sender appears; every such datagram is counted
 * ({@code plainDatagrams}). Engine thread.
 */
final class MixedGroupGuard {
    private static final Logger LOG = LoggerFactory.getLogger(MixedGroupGuard.class);

    private boolean warned;

    /**
     * Refuses an extension master while {@code backup} (null: none runs) has heard a plain sender.
     *
     * @throws IllegalArgumentException naming the sender and the option that starts it anyway
     */
    static void checkMasterStart(SyncBackup backup, SyncExtensions ext) {
        if (ext.uses() && !ext.mixedGroup() && heard(backup)) {
            throw new IllegalArgumentException("the backup heard a plain sync master " + senderName(backup)
                + " (a Linux director?), whose backup would drop --sync-reliable/--sync-auth-key datagrams; "
                + "add --sync-mixed-group to start anyway");
        }
    }

    /**
     * Logs once per backup run that a plain sender is in the group of a daemon using the extensions.
     *
     * @param extended true if a running master or the backup uses the extensions
     * @return true if it logged now
     */
    boolean warnOnce(SyncBackup backup, boolean extended) {
        if (warned || !extended || !heard(backup)) {
            return false;
        }
        warned = true;
        LOG.warn("plain sync master {} in the group of a sync daemon using UVS's extensions: a Linux director "
            + "drops their datagrams and they drop its (counted in plainDatagrams, docs/sync.md)", senderName(backup));
        return true;
    }

    /** Forgets the warning (the backup stopped; a new one starts unaware). */
    void reset() {
        warned = false;
    }

    private static boolean heard(SyncBackup backup) {
        return backup != null && backup.counters().plainDatagrams() > 0;
    }

    /** The sender's IP address, or "(address unknown)". */
    static String senderName(SyncBackup backup) {
        SocketAddress a = backup.plainSender();
        if (a instanceof InetSocketAddress i && i.getAddress() != null) {
            return i.getAddress().getHostAddress();
        }
        return a == null ? "(address unknown)" : a.toString();
    }
}
