package uvs.daemon.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import uvs.core.net.IpAddress;

/**
 * Keeps the director's kernel away from traffic to the virtual addresses when a VIP sits on the director's own
 * interface (keepalived's {@code virtual_ipaddress}): without it the kernel, owning the VIP, would answer a
 * SYN to a virtual port with a reset. One nftables table, {@value #TABLE}, drops TCP, UDP and SCTP to the
 * service addresses in the prerouting hook at raw priority; UVS's packet socket has its copy of each frame
 * before netfilter runs. ARP/ND and ICMP to the VIP still reach the kernel (keepalived's gratuitous ARPs,
 * ping). The table is replaced in one nft transaction whenever the set of addresses changes, and left in
 * place when uvsd stops, so a VIP that keepalived has not moved yet is never answered with resets.
 */
public final class VipGuard {
    /** The nftables table UVS owns (family inet). */
    public static final String TABLE = "uvs_vip_guard";
    private static final long NFT_SECONDS = 10;

    private final List<String> nft;
    private Set<IpAddress> applied;

    /** A guard of this host's kernel (runs {@code nft}). */
    public VipGuard() {
        this(List.of("nft"));
    }

    /** A guard that runs {@code nft} as {@code nft} says (tests: inside a namespace). */
    VipGuard(List<String> nft) {
        this.nft = List.copyOf(nft);
    }

    /** The nft script that makes the table hold exactly {@code vips} (the table is created if missing). */
    public static String script(Set<IpAddress> vips) {
        StringBuilder v4 = new StringBuilder();
        StringBuilder v6 = new StringBuilder();
        for (IpAddress a : new TreeSet<>(vips)) {
            StringBuilder b = a.isV6() ? v6 : v4;
            b.append(b.isEmpty() ? "" : ", ").append(a);
        }
        StringBuilder s = new StringBuilder();
        // declaring the table first makes the delete succeed on a first run, all in one transaction
        s.append("table inet ").append(TABLE).append(" {}\n");
        s.append("delete table inet ").append(TABLE).append('\n');
        s.append("table inet ").append(TABLE).append(" {\n");
        s.append("  set vips4 { type ipv4_addr;").append(elements(v4)).append(" }\n");
        s.append("  set vips6 { type ipv6_addr;").append(elements(v6)).append(" }\n");
        s.append("  chain prerouting {\n");
        s.append("    type filter hook prerouting priority raw; policy accept;\n");
        s.append("    meta l4proto { tcp, udp, sctp } ip daddr @vips4 drop\n");
        s.append("    meta l4proto { tcp, udp, sctp } ip6 daddr @vips6 drop\n");
        s.append("  }\n}\n");
        return s.toString();
    }

    private static String elements(StringBuilder list) {
        return list.isEmpty() ? "" : " elements = { " + list + " };";
    }

    /**
     * Makes the table hold {@code vips}; runs nft only when they changed since the last success.
     *
     * @return true if nft ran
     * @throws IOException naming nft's complaint when it failed (retried at the next call)
     */
    public boolean apply(Set<IpAddress> vips) throws IOException {
        if (vips.equals(applied)) {
            return false;
        }
        run(script(vips));
        applied = Set.copyOf(vips);
        return true;
    }

    private void run(String script) throws IOException {
        List<String> argv = new ArrayList<>(nft);
        argv.addAll(List.of("-f", "-"));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        IOException unread = null;
        // nft may refuse and exit before it read the whole script: its own message then says why
        try (var in = p.getOutputStream()) {
            in.write(script.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            unread = e;
        }
        try {
            if (!p.waitFor(NFT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("nft did not finish within " + NFT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted while nft ran", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.exitValue() != 0) {
            throw new IOException("nft refused the " + TABLE + " table (exit " + p.exitValue() + "): "
                + out.lines().findFirst().orElse(""));
        }
        if (unread != null) {
            throw new IOException("nft did not read the whole " + TABLE + " script: " + unread.getMessage(), unread);
        }
    }
}
