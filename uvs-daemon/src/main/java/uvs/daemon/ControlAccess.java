package uvs.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.LoggerFactory;

/**
 * Who may use the control socket: root, plus the user of {@code --allow-user} and the members of the group
 * of {@code --allow-group}. The socket file is made to match, since the kernel checks its mode before uvsd
 * sees the peer: owner root and mode 0600 by default; owner the allowed user; group the allowed group
 * with mode 0660.
 *
 * @param user the user allowed besides root, or null
 * @param group the group whose members are allowed, or null
 */
public record ControlAccess(String user, String group) {
    /** Root only. */
    public static final ControlAccess ROOT_ONLY = new ControlAccess(null, null);

    /** Sets the socket file's owner, group and mode for these principals. */
    void applyTo(Path socket) throws IOException {
        UserPrincipalLookupService names = socket.getFileSystem().getUserPrincipalLookupService();
        PosixFileAttributeView view = Files.getFileAttributeView(socket, PosixFileAttributeView.class);
        if (user != null) {
            view.setOwner(lookupUser(names));
        }
        if (group != null) {
            view.setGroup(lookupGroup(names));
        }
        view.setPermissions(PosixFilePermissions.fromString(group != null ? "rw-rw----" : "rw-------"));
        Path dir = socket.toAbsolutePath().getParent();
        if ((user != null || group != null) && dir != null
            && !Files.getPosixFilePermissions(dir).contains(PosixFilePermission.OTHERS_EXECUTE)) {
            LoggerFactory.getLogger(ControlAccess.class).warn("{} is not searchable by other users: "
                + "the allowed user or group cannot reach the control socket in it (make it mode 0755)", dir);
        }
    }

    /** Checks that the named user and group exist (before the socket is made). */
    void validate(Path socket) throws IOException {
        UserPrincipalLookupService names = socket.getFileSystem().getUserPrincipalLookupService();
        if (user != null) {
            lookupUser(names);
        }
        if (group != null) {
            lookupGroup(names);
        }
    }

    private UserPrincipal lookupUser(UserPrincipalLookupService names) throws IOException {
        try {
            return names.lookupPrincipalByName(user);
        } catch (UserPrincipalNotFoundException e) {
            throw new IllegalArgumentException("--allow-user " + Messages.clip(user) + ": no such user", e);
        }
    }

    private GroupPrincipal lookupGroup(UserPrincipalLookupService names) throws IOException {
        try {
            return names.lookupPrincipalByGroupName(group);
        } catch (UserPrincipalNotFoundException e) {
            throw new IllegalArgumentException("--allow-group " + Messages.clip(group) + ": no such group", e);
        }
    }

    /** True if {@code peer} may send requests. */
    boolean allows(UnixDomainPrincipal peer) {
        String name = peer.user().getName();
        if ("root".equals(name) || "0".equals(name) || name.equals(user)) {
            return true;
        }
        if (group == null) {
            return false;
        }
        return group.equals(peer.group().getName()) || memberOf(name, group);
    }

    /**
     * Supplementary membership (SO_PEERCRED carries only the primary group): the user's groups as the system's
     * name service has them ({@code id -Gn}, so LDAP and other NSS sources count), else /etc/group.
     */
    private static boolean memberOf(String user, String group) {
        List<String> groups = GROUPS.get(user);
        return groups != null ? groups.contains(group) : listedInEtcGroup(user, group);
    }

    private static final GroupCache GROUPS = new GroupCache();

    /** {@code id -Gn USER}, remembered for a minute per user (a client connects per command). */
    static final class GroupCache {
        private static final long TTL_NANOS = 60_000_000_000L;

        private record Entry(long at, List<String> groups) {
        }

        private final Map<String, Entry> cache = new ConcurrentHashMap<>();

        /** The user's group names, or null when {@code id} could not tell. */
        List<String> get(String user) {
            Entry e = cache.get(user);
            long now = System.nanoTime();
            if (e != null && now - e.at() < TTL_NANOS) {
                return e.groups();
            }
            List<String> groups = ask(user);
            if (groups != null) {
                cache.put(user, new Entry(now, groups));
            }
            return groups;
        }

        private static List<String> ask(String user) {
            try {
                Process p = new ProcessBuilder("id", "-Gn", "--", user).start();
                p.getOutputStream().close();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return null;
                }
                return p.exitValue() == 0 ? List.of(out.strip().split("\\s+")) : null;
            } catch (IOException e) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    private static boolean listedInEtcGroup(String user, String group) {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/group"))) {
                String[] f = line.split(":", -1);
                if (f.length >= 4 && f[0].equals(group)) {
                    return List.of(f[3].split(",")).contains(user);
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }
}
