package uvs.daemon.health;

import uvs.core.net.IpAddress;

/**
 * Runs a check only while the virtual address is on this host (keepalived {@code ha_suspend}); otherwise
 * reports {@link CheckResult#suspended}, which leaves the real server as it was.
 */
final class WhileLocalCheck implements HealthCheck {
    private final HealthCheck check;
    private final LocalAddresses local;
    private final IpAddress address;

    WhileLocalCheck(HealthCheck check, LocalAddresses local, IpAddress address) {
        this.check = check;
        this.local = local;
        this.address = address;
    }

    @Override
    public CheckResult run() {
        if (!local.has(address)) {
            return CheckResult.suspended("suspended: " + address + " is not on this host");
        }
        return check.run();
    }
}
