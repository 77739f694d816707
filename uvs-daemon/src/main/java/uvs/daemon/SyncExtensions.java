package uvs.daemon;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import uvs.sync.ext.HmacAuthenticator;

/**
 * UVS's sync options beyond ipvsadm, given with {@code --start-daemon}: {@code --sync-reliable} and
 * {@code --sync-auth-key FILE} (docs/sync.md), and {@code --sync-mixed-group}, which starts them even though
 * a plain (Linux) sender was heard in the group. Both ends must use the same; Linux IPVS directors cannot.
 *
 * @param reliable sequence numbers, retransmission and startup resync
 * @param authKeyFile the shared HMAC key file, or null
 * @param authKey the key read from {@code authKeyFile} ({@link #loadKey}), or null
 * @param mixedGroup start the extensions although the backup heard a plain sender
 */
record SyncExtensions(boolean reliable, Path authKeyFile, byte[] authKey, boolean mixedGroup) {
    static final SyncExtensions NONE = new SyncExtensions(false, null, null, false);

    SyncExtensions(boolean reliable, Path authKeyFile) {
        this(reliable, authKeyFile, null, false);
    }

    /** With the key file read (a regular file of a few bytes; never a FIFO or a device). */
    SyncExtensions loadKey() throws IOException {
        if (authKeyFile == null || authKey != null) {
            return this;
        }
        return new SyncExtensions(reliable, authKeyFile, HmacAuthenticator.readKeyFile(authKeyFile),
            mixedGroup);
    }

    /** True without any UVS option (an ipvsadm command as it is). */
    boolean isEmpty() {
        return !uses() && !mixedGroup;
    }

    /** True if reliable or authenticated mode is asked for. */
    boolean uses() {
        return reliable || authKeyFile != null;
    }

    /** Removes the UVS options from {@code args} (leaving what ipvsadm parses) and returns them. */
    static SyncExtensions take(List<String> args) {
        boolean reliable = false;
        while (args.remove("--sync-reliable")) {
            // given twice means the same as once
            reliable = true;
        }
        boolean mixed = false;
        while (args.remove("--sync-mixed-group")) {
            mixed = true;
        }
        Path key = null;
        for (int i = 0; i < args.size(); ) {
            String a = args.get(i);
            String file;
            if (a.equals("--sync-auth-key")) {
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException("--sync-auth-key needs a key file");
                }
                file = args.remove(i + 1);
                args.remove(i);
            } else if (a.startsWith("--sync-auth-key=")) {
                file = a.substring("--sync-auth-key=".length());
                args.remove(i);
            } else {
                i++;
                continue;
            }
            if (key != null && !key.toString().equals(file)) {
                throw new IllegalArgumentException("--sync-auth-key given twice with different files");
            }
            key = Path.of(file);
        }
        if (mixed && !reliable && key == null) {
            throw new IllegalArgumentException("--sync-mixed-group goes with --sync-reliable or --sync-auth-key");
        }
        return new SyncExtensions(reliable, key, null, mixed);
    }
}
