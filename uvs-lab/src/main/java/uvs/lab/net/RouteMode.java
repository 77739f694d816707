package uvs.lab.net;

import java.util.Locale;

/** How the lab router sends VIP traffic to the directors. */
public enum RouteMode {
    /** One multipath route via d1 and d2: active/active, flows spread by L4 hash. */
    ECMP,
    /** Only via d1: active/standby with d1 active. */
    D1,
    /** Only via d2: active/standby with d2 active. */
    D2;

    /** The name used on the command line ({@code ecmp}, {@code d1}, {@code d2}). */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a command-line name; the exception message lists the valid ones. */
    public static RouteMode parse(String s) {
        for (RouteMode m : values()) {
            if (m.cliName().equalsIgnoreCase(s.strip())) {
                return m;
            }
        }
        throw new IllegalArgumentException("route mode '" + s + "': expected ecmp, d1 or d2");
    }
}
