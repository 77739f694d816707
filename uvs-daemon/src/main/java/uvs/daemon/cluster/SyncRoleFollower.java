package uvs.daemon.cluster;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uvs.core.net.IpAddress;
import uvs.ctl.importer.SyncFollow;
import uvs.net.sys.LinkInfo;

/**
 * Gives the sync daemon the role keepalived gives it with {@code lvs_sync_daemon IF INSTANCE}: master while the
 * VRRP instance is MASTER, backup otherwise. The instance's state is read from the interface, where keepalived
 * puts the instance's virtual addresses exactly while it is MASTER; a missing interface counts as not MASTER.
 */
final class SyncRoleFollower {
    private static final Logger LOG = LoggerFactory.getLogger(SyncRoleFollower.class);

    private final SyncFollow follow;
    private final ClusterAgent.SyncRoles roles;
    private Boolean master;

    SyncRoleFollower(SyncFollow follow, ClusterAgent.SyncRoles roles) {
        this.follow = follow;
        this.roles = roles;
    }

    /** Reads the interface and switches the role when the instance's state changed. */
    void tick() throws Exception {
        boolean now = follow.master(addresses(follow.iface()));
        if (master != null && now == master) {
            return;
        }
        roles.become(now);
        master = now;
        LOG.info("{} is {}: sync {} daemon running", follow.describe(), now ? "MASTER" : "not MASTER",
            now ? "master" : "backup");
    }

    private static List<IpAddress> addresses(String iface) {
        try {
            return LinkInfo.of(iface).addresses().stream().map(LinkInfo.Address::address).toList();
        } catch (IllegalArgumentException e) {
            return List.of();
        }
    }
}
