package uvs.daemon.cluster;

import java.util.Set;
import java.util.TreeSet;
import uvs.core.net.IpAddress;

/**
 * The BIRD configuration uvsd owns: its BGP sessions to the routers (with BFD), and two static protocols,
 * {@code uvs_vips4} and {@code uvs_vips6}, with one route per announced VIP pointing at uvsd's device. Each BGP
 * session exports only those routes, with this director as next hop. The operator's {@code bird.conf} includes
 * the file; uvsd rewrites it and asks BIRD to re-read it whenever the announced set changes. Unchanged sessions
 * are kept by BIRD across such a reconfiguration.
 */
public final class BirdConfig {
    private BirdConfig() {
    }

    /** The text of the include file for {@code spec} announcing exactly {@code announced}. */
    public static String render(BgpSpec spec, Set<IpAddress> announced) {
        StringBuilder b = new StringBuilder();
        b.append("# Written by uvsd: its BGP sessions and the virtual addresses it announces now.\n");
        b.append("# Do not edit: uvsd rewrites this file and runs 'configure' when the set changes.\n");
        if (spec.bfdIntervalMillis() > 0) {
            b.append("protocol bfd uvs_bfd {\n  interface \"*\" { min rx interval ").append(spec.bfdIntervalMillis())
                .append(" ms; min tx interval ").append(spec.bfdIntervalMillis()).append(" ms; multiplier ")
                .append(spec.bfdMultiplier()).append("; };\n}\n");
        }
        for (int family = 4; family <= 6; family += 2) {
            b.append("protocol static uvs_vips").append(family).append(" {\n  ipv").append(family).append(";\n");
            for (IpAddress a : new TreeSet<>(announced)) {
                if (a.isV6() == (family == 6)) {
                    b.append("  route ").append(a).append(family == 6 ? "/128" : "/32").append(" via \"")
                        .append(spec.device()).append("\";\n");
                }
            }
            b.append("}\n");
        }
        int n = 0;
        for (IpAddress peer : spec.peers()) {
            int family = peer.isV6() ? 6 : 4;
            b.append("protocol bgp uvs_peer").append(++n).append(" {\n");
            b.append("  local as ").append(spec.localAs()).append(";\n");
            b.append("  neighbor ").append(peer).append(" as ").append(spec.peerAs()).append(";\n");
            if (spec.bfdIntervalMillis() > 0) {
                b.append("  bfd on;\n");
            }
            // a session that failed (a BFD flap, a router restart) comes back in seconds, not BIRD's minute
            b.append("  connect retry time 5;\n  error wait time 1, 30;\n");
            b.append("  ipv").append(family).append(" { import none; export where proto = \"uvs_vips").append(family)
                .append("\"; next hop self; };\n");
            b.append("}\n");
        }
        return b.toString();
    }
}
