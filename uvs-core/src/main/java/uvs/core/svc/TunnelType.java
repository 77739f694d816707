package uvs.core.svc;

import java.util.Locale;

/** Tunnel encapsulation of a TUNNEL real server ({@code --tun-type}). */
public enum TunnelType {
    /** IP-in-IP (default). */
    IPIP,
    /** Generic UDP Encapsulation; needs a port. */
    GUE,
    /** GRE. */
    GRE;

    /** Name as ipvsadm spells it. */
    public String ipvsadmName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
