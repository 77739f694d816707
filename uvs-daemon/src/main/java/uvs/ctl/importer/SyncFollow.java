package uvs.ctl.importer;

import java.util.List;
import java.util.Objects;
import uvs.core.net.IpAddress;

/**
 * A sync daemon tied to a keepalived {@code vrrp_instance} ({@code lvs_sync_daemon IF INSTANCE}): as with
 * keepalived and the kernel, the director runs the sync master while the instance is MASTER and the sync
 * backup otherwise. UVS reads the instance's state where keepalived leaves it: its first virtual address is on
 * its interface exactly while the instance is MASTER.
 *
 * @param instance the vrrp_instance name
 * @param iface the interface keepalived puts {@code address} on
 * @param address the instance's first virtual address
 */
public record SyncFollow(String instance, String iface, IpAddress address) {
    /** Checks that nothing is missing. */
    public SyncFollow {
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(iface, "iface");
        Objects.requireNonNull(address, "address");
    }

    /** True when {@code addresses} (the interface's now) hold the instance's address: the instance is MASTER. */
    public boolean master(List<IpAddress> addresses) {
        return addresses.contains(address);
    }

    /** How the operator reads it in logs and {@code --import} output. */
    public String describe() {
        return "vrrp_instance " + instance + " (master while " + address + " is on " + iface + ")";
    }
}
