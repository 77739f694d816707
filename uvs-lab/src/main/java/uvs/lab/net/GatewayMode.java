package uvs.lab.net;

import java.util.Locale;

/** Where the real servers send their replies: the router (DR) or the NAT gateway address a director answers for. */
public enum GatewayMode {
    /** Default route via the router: replies go straight to the client (direct routing, tunnelling). */
    DR,
    /** Default route via the NAT gateway address that the active director answers ARP/ND for. */
    NAT;

    /** The name used on the command line ({@code dr}, {@code nat}). */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a command-line name; the exception message lists the valid ones. */
    public static GatewayMode parse(String s) {
        for (GatewayMode m : values()) {
            if (m.cliName().equalsIgnoreCase(s.strip())) {
                return m;
            }
        }
        throw new IllegalArgumentException("gateway mode '" + s + "': expected dr or nat");
    }
}
