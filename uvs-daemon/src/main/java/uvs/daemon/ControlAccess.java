package uvs.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.List;
import jdk.net.UnixDomainPrincipal;

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
            && !Files.getPosixFilePermissions(dir).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
            org.slf4j.LoggerFactory.getLogger(ControlAccess.class).warn("{} is not searchable by other users: "
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

    /** Supplementary membership, from /etc/group (SO_PEERCRED carries only the primary group). */
    private static boolean memberOf(String user, String group) {
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
