package uvs.lab.net;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Turns {@code ip -br addr} output into the lab status rows: interface, state and its lab addresses. */
final class LabStatus {
    private static final Set<InetAddress> CLIENT_SOURCES = clientSources();

    private LabStatus() {}

    /**
     * Rows {@code [interface, "STATE addresses"]}, without link-local and loopback addresses and without a bare
     * lo; the client's extra source addresses are only counted.
     */
    static List<String[]> addressRows(String brief) {
        List<String[]> rows = new ArrayList<>();
        for (String line : brief.lines().toList()) {
            String[] f = line.strip().split("\\s+");
            if (f.length < 2) {
                continue;
            }
            String ifName = f[0].contains("@") ? f[0].substring(0, f[0].indexOf('@')) : f[0];
            List<String> addrs = new ArrayList<>();
            int sources = 0;
            for (int i = 2; i < f.length; i++) {
                if (f[i].startsWith("fe80:") || f[i].equals("127.0.0.1/8") || f[i].equals("::1/128")) {
                    continue;
                }
                if (isClientSource(f[i])) {
                    sources++;
                } else {
                    addrs.add(f[i]);
                }
            }
            if (addrs.isEmpty() && ifName.equals("lo")) {
                continue;
            }
            String shown = f[1] + " " + String.join(" ", addrs) + (sources > 0 ? " (+" + sources + " client sources)"
                : "");
            rows.add(new String[] {ifName, shown.strip()});
        }
        return rows;
    }

    private static boolean isClientSource(String cidr) {
        int slash = cidr.indexOf('/');
        try {
            return CLIENT_SOURCES.contains(AddressRange.literal(slash < 0 ? cidr : cidr.substring(0, slash)));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Set<InetAddress> clientSources() {
        Set<InetAddress> s = new HashSet<>(LabTopology.clientSources(false));
        s.addAll(LabTopology.clientSources(true));
        return Set.copyOf(s);
    }
}
