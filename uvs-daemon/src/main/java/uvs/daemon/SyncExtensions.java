package uvs.daemon;

import java.nio.file.Path;
import java.util.List;

/**
 * UVS's sync options beyond ipvsadm, given with {@code --start-daemon}: {@code --sync-reliable} and
 * {@code --sync-auth-key FILE} (docs/sync.md). Both ends must use the same; Linux IPVS directors cannot.
 *
 * @param reliable sequence numbers, retransmission and startup resync
 * @param authKeyFile the shared HMAC key file, or null
 */
record SyncExtensions(boolean reliable, Path authKeyFile) {
    static final SyncExtensions NONE = new SyncExtensions(false, null);

    boolean isEmpty() {
        return !reliable && authKeyFile == null;
    }

    /** Removes the UVS options from {@code args} (leaving what ipvsadm parses) and returns them. */
    static SyncExtensions take(List<String> args) {
        boolean reliable = args.remove("--sync-reliable");
        Path key = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--sync-auth-key")) {
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException("--sync-auth-key needs a key file");
                }
                key = Path.of(args.remove(i + 1));
                args.remove(i);
                break;
            }
            if (a.startsWith("--sync-auth-key=")) {
                key = Path.of(a.substring("--sync-auth-key=".length()));
                args.remove(i);
                break;
            }
        }
        return new SyncExtensions(reliable, key);
    }
}
