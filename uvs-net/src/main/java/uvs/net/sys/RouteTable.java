package uvs.net.sys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import uvs.core.net.Af;

/**
 * The kernel's main IPv4 and IPv6 routing tables, with a longest-prefix-match {@link #lookup}: as the data
 * plane's route listener hears them over netlink ({@link #of}), or as read once from
 * {@code /proc/thread-self/net/route} and {@code ipv6_route} ({@link #load}, for checks made outside the data
 * plane). Immutable; unusable routes (not up, reject) are left out.
 */
public final class RouteTable {
    private static final int RTF_UP = 0x1;
    private static final int RTF_GATEWAY = 0x2;
    private static final int RTF_REJECT = 0x200;
    private static final Path PROC = Path.of("/proc/thread-self/net");

    /** Longest prefix first, then lowest metric: the first match of a scan is the answer. */
    private final Route[] routes;

    /**
     * One route.
     *
     * @param af {@link Af#INET} or {@link Af#INET6}
     * @param destHi destination high 64 bits (0 for IPv4)
     * @param destLo destination low 64 bits (IPv4: the address in the low 32 bits)
     * @param prefixLength destination prefix length
     * @param gatewayHi gateway high 64 bits
     * @param gatewayLo gateway low 64 bits
     * @param hasGateway false when the destination is on-link
     * @param iface output interface name
     * @param metric route metric (lower wins among equal prefixes)
     */
    public record Route(int af, long destHi, long destLo, int prefixLength, long gatewayHi, long gatewayLo,
            boolean hasGateway, String iface, long metric) {

        /** Whether {@code hi/lo} of family {@code family} lies inside this route's destination prefix. */
        public boolean matches(int family, long hi, long lo) {
            if (family != af) {
                return false;
            }
            if (af == Af.INET) {
                long mask = prefixLength == 0 ? 0 : (0xffff_ffffL << (32 - prefixLength)) & 0xffff_ffffL;
                return (lo & mask) == destLo;
            }
            long maskHi = prefixLength == 0 ? 0 : prefixLength >= 64 ? -1L : -1L << (64 - prefixLength);
            long maskLo = prefixLength <= 64 ? 0 : prefixLength == 128 ? -1L : -1L << (128 - prefixLength);
            return (hi & maskHi) == destHi && (lo & maskLo) == destLo;
        }
    }

    private RouteTable(List<Route> routes) {
        this.routes = routes.stream()
                .sorted(Comparator.comparingInt(Route::prefixLength).reversed().thenComparingLong(Route::metric))
                .toArray(Route[]::new);
    }

    /** A table of {@code routes}. */
    public static RouteTable of(List<Route> routes) {
        return new RouteTable(routes);
    }

    /** Reads both tables of the calling thread's network namespace. */
    public static RouteTable load() {
        return parse(read(PROC.resolve("route")), read(PROC.resolve("ipv6_route")));
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (NoSuchFileException e) {
            return ""; // IPv6 disabled
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    /**
     * Parses the text of {@code /proc/net/route} (header line, then "Iface Destination Gateway Flags RefCnt Use
     * Metric Mask ..." with addresses as little-endian hex) and of {@code /proc/net/ipv6_route} ("dest plen src
     * plen nexthop metric refcnt use flags iface", hex).
     *
     * @throws IllegalArgumentException naming the line when one is malformed
     */
    public static RouteTable parse(String ipv4Text, String ipv6Text) {
        List<Route> routes = new ArrayList<>();
        String[] v4 = ipv4Text.split("\n");
        for (int i = 1; i < v4.length; i++) { // line 0 is the header
            parseV4(v4[i], routes);
        }
        for (String line : ipv6Text.split("\n")) {
            parseV6(line, routes);
        }
        return new RouteTable(routes);
    }

    private static void parseV4(String line, List<Route> routes) {
        String[] f = line.trim().split("\\s+");
        if (f.length == 1 && f[0].isEmpty()) {
            return;
        }
        if (f.length < 8) {
            throw new IllegalArgumentException("malformed /proc/net/route line: '" + line + "'");
        }
        try {
            int flags = Integer.parseInt(f[3], 16);
            if ((flags & RTF_UP) == 0 || (flags & RTF_REJECT) != 0) {
                return;
            }
            long dest = hostOrderHex(f[1]);
            long gateway = hostOrderHex(f[2]);
            long mask = hostOrderHex(f[7]);
            int prefix = Long.bitCount(mask);
            long contiguous = prefix == 0 ? 0 : (0xffff_ffffL << (32 - prefix)) & 0xffff_ffffL;
            if (mask != contiguous) {
                throw new IllegalArgumentException("non-contiguous netmask in /proc/net/route line: '" + line + "'");
            }
            routes.add(new Route(Af.INET, 0, dest & mask, prefix, 0, gateway, (flags & RTF_GATEWAY) != 0, f[0],
                    Long.parseLong(f[6])));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed /proc/net/route line: '" + line + "'", e);
        }
    }

    /** /proc/net/route prints the in-memory (network order) u32 as a host-order (little-endian) number. */
    private static long hostOrderHex(String hex) {
        return Integer.reverseBytes((int) Long.parseLong(hex, 16)) & 0xffff_ffffL;
    }

    private static void parseV6(String line, List<Route> routes) {
        String[] f = line.trim().split("\\s+");
        if (f.length == 1 && f[0].isEmpty()) {
            return;
        }
        if (f.length != 10 || f[0].length() != 32 || f[4].length() != 32) {
            throw new IllegalArgumentException("malformed /proc/net/ipv6_route line: '" + line + "'");
        }
        try {
            int flags = (int) Long.parseLong(f[8], 16);
            if ((flags & RTF_UP) == 0 || (flags & RTF_REJECT) != 0) {
                return;
            }
            int prefix = Integer.parseInt(f[1], 16);
            if (prefix > 128) {
                throw new IllegalArgumentException("prefix length " + prefix + " in /proc/net/ipv6_route line: '"
                        + line + "'");
            }
            routes.add(new Route(Af.INET6, half(f[0], 0), half(f[0], 16), prefix, half(f[4], 0), half(f[4], 16),
                    (flags & RTF_GATEWAY) != 0, f[9], Long.parseLong(f[5], 16)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed /proc/net/ipv6_route line: '" + line + "'", e);
        }
    }

    private static long half(String hex32, int from) {
        return Long.parseUnsignedLong(hex32.substring(from, from + 16), 16);
    }

    /**
     * The most specific usable route to {@code hi/lo} (IPv4 in the low 32 bits of {@code lo}), or null when
     * there is none. Does not allocate.
     */
    public Route lookup(int af, long hi, long lo) {
        for (Route r : routes) {
            if (r.matches(af, hi, lo)) {
                return r;
            }
        }
        return null;
    }

    /** The routes, most specific first. */
    public List<Route> routes() {
        return List.of(routes);
    }
}
