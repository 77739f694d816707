package uvs.ctl.importer;

import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.TunnelChecksum;
import uvs.core.svc.TunnelType;

/**
 * A forwarding method with its tunnel settings, as one configuration line gives it.
 *
 * @param method MASQ, ROUTE or TUNNEL
 * @param tunnelType tunnel encapsulation (TUNNEL only)
 * @param tunnelPort GUE port, else 0
 * @param checksum tunnel checksum mode
 */
record ForwardSpec(ForwardMethod method, TunnelType tunnelType, int tunnelPort, TunnelChecksum checksum) {
    static final ForwardSpec NAT = of(ForwardMethod.MASQ);

    /** A method without tunnel options. */
    static ForwardSpec of(ForwardMethod method) {
        return new ForwardSpec(method, TunnelType.IPIP, 0, TunnelChecksum.NOCSUM);
    }

    /** A real server configuration with this method. */
    RealServerConfig config(int weight, int upperThreshold, int lowerThreshold) {
        return new RealServerConfig(weight, method, tunnelType, tunnelPort, checksum, upperThreshold, lowerThreshold);
    }
}
