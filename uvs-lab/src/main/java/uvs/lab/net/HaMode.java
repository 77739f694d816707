package uvs.lab.net;

import java.util.Locale;

/** How traffic for the VIP finds the active director(s). */
public enum HaMode {
    /** The router routes the VIP on-link to the LAN; keepalived's VRRP MASTER director holds it. */
    VRRP,
    /** Each director's BIRD announces the VIP by BGP (with BFD); the router's BIRD installs ECMP routes. */
    BGP,
    /** The lab sets the router's VIP routes itself ({@link RouteMode}), for tests that move them by hand. */
    STATIC;

    /** The name used on the command line ({@code vrrp}, {@code bgp}, {@code static}). */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a command-line name; the exception message lists the valid ones. */
    public static HaMode parse(String s) {
        for (HaMode m : values()) {
            if (m.cliName().equalsIgnoreCase(s.strip())) {
                return m;
            }
        }
        throw new IllegalArgumentException("HA mode '" + s + "': expected vrrp, bgp or static");
    }
}
