package uvs.core.svc;

/**
 * The settable parameters of a real server ({@code ipvsadm -a/-e}).
 *
 * @param weight 0..INT_MAX (0 = quiescent)
 * @param forward forwarding method
 * @param tunnelType tunnel encapsulation (TUNNEL only)
 * @param tunnelPort GUE destination port (GUE only)
 * @param tunnelChecksum tunnel checksum mode
 * @param upperThreshold upper connection threshold, 0 = none
 * @param lowerThreshold lower connection threshold, 0 = none
 */
public record RealServerConfig(int weight, ForwardMethod forward, TunnelType tunnelType, int tunnelPort,
                               TunnelChecksum tunnelChecksum, int upperThreshold, int lowerThreshold) {
    /** Highest weight of health-checked and imported real servers (ipvsadm itself takes up to INT_MAX). */
    public static final int MAX_WEIGHT = 65535;

    /** Weight 1, direct routing: ipvsadm's defaults. */
    public static RealServerConfig defaults() {
        return new RealServerConfig(1, ForwardMethod.ROUTE, TunnelType.IPIP, 0, TunnelChecksum.NOCSUM, 0, 0);
    }

    /** Plain configuration with a weight and method, no tunnel options, no thresholds. */
    public static RealServerConfig of(int weight, ForwardMethod forward) {
        return new RealServerConfig(weight, forward, TunnelType.IPIP, 0, TunnelChecksum.NOCSUM, 0, 0);
    }

    /** Copy with other thresholds. */
    public RealServerConfig withThresholds(int upper, int lower) {
        return new RealServerConfig(weight, forward, tunnelType, tunnelPort, tunnelChecksum, upper, lower);
    }

    /** Copy with another weight. */
    public RealServerConfig withWeight(int w) {
        return new RealServerConfig(w, forward, tunnelType, tunnelPort, tunnelChecksum, upperThreshold, lowerThreshold);
    }
}
