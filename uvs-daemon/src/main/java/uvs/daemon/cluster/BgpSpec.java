package uvs.daemon.cluster;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import uvs.core.net.IpAddress;

/**
 * How uvsd announces its virtual addresses through BIRD.
 *
 * @param peers the routers' addresses: an IPv4 peer carries the IPv4 VIPs, an IPv6 peer the IPv6 VIPs
 * @param localAs this director's AS number
 * @param peerAs the routers' AS number
 * @param bfdIntervalMillis BFD transmit and receive interval, 0 for no BFD
 * @param bfdMultiplier BFD detection multiplier (missed packets before the session is down)
 * @param birdSocket BIRD's control socket
 * @param include the file uvsd writes, which BIRD's configuration includes
 * @param device the interface uvsd holds open; every VIP route points at it, so the routes vanish with uvsd
 */
public record BgpSpec(List<IpAddress> peers, long localAs, long peerAs, int bfdIntervalMillis, int bfdMultiplier,
                      Path birdSocket, Path include, String device) {
    /** Default BIRD control socket of Debian's bird2. */
    public static final Path DEFAULT_SOCKET = Path.of("/run/bird/bird.ctl");
    /** Default file uvsd writes for BIRD. */
    public static final Path DEFAULT_INCLUDE = Path.of("/run/uvs/bird/uvsd.conf");
    /** Default name of the device the VIP routes point at. */
    public static final String DEFAULT_DEVICE = "uvs-vip";

    /** Checks the settings. */
    public BgpSpec {
        peers = List.copyOf(peers);
        if (peers.isEmpty()) {
            throw new IllegalArgumentException("BGP needs at least one --bgp-peer");
        }
        checkAs(localAs, "--bgp-as");
        checkAs(peerAs, "--bgp-peer-as");
        if (bfdIntervalMillis < 0 || bfdIntervalMillis > 60_000) {
            throw new IllegalArgumentException("--bfd interval " + bfdIntervalMillis + " ms: expected 0 (off) to 60000");
        }
        if (bfdIntervalMillis > 0 && (bfdMultiplier < 1 || bfdMultiplier > 255)) {
            throw new IllegalArgumentException("--bfd multiplier " + bfdMultiplier + ": expected 1 to 255");
        }
        Objects.requireNonNull(birdSocket, "birdSocket");
        Objects.requireNonNull(include, "include");
        if (device.isEmpty() || device.length() > 15 || !device.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("--bgp-device '" + device + "': expected 1 to 15 letters, digits, "
                + "'_', '.' or '-'");
        }
    }

    private static void checkAs(long as, String option) {
        if (as < 1 || as > 4_294_967_295L) {
            throw new IllegalArgumentException(option + " " + as + ": expected an AS number from 1 to 4294967295");
        }
    }

    /** Parses {@code --bfd}: {@code off}, or {@code INTERVAL_MS,MULTIPLIER} (e.g. {@code 100,3}). */
    public static int[] parseBfd(String text) {
        if (text.equals("off")) {
            return new int[] {0, 0};
        }
        String[] p = text.split(",", -1);
        try {
            if (p.length == 2) {
                return new int[] {Integer.parseInt(p[0].strip()), Integer.parseInt(p[1].strip())};
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--bfd '" + text + "': expected off or INTERVAL_MS,MULTIPLIER (e.g. 100,3)");
    }
}
