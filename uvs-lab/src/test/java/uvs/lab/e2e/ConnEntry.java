package uvs.lab.e2e;

import java.util.ArrayList;
import java.util.List;

/**
 * One line of {@code uvsadm -L -n -c}: {@code TCP 14:59  ESTABLISHED 10.100.0.100:41234 10.100.2.100:9000
 * 10.100.1.11:9000}.
 */
record ConnEntry(String protocol, String state, String source, String virtual, String destination) {

    /** The entries of a listing (header lines skipped). */
    static List<ConnEntry> parse(String listing) {
        List<ConnEntry> l = new ArrayList<>();
        for (String line : listing.split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length == 6 && !f[0].equals("pro")) {
                l.add(new ConnEntry(f[0], f[2], f[3], f[4], f[5]));
            }
        }
        return l;
    }

    /** The host part of {@code 10.0.0.1:80} or {@code [fd00::1]:80}. */
    static String host(String addrPort) {
        if (addrPort.startsWith("[")) {
            return addrPort.substring(1, addrPort.indexOf(']'));
        }
        return addrPort.substring(0, addrPort.lastIndexOf(':'));
    }

    /** The port part of {@code 10.0.0.1:80} or {@code [fd00::1]:80}. */
    static int port(String addrPort) {
        return Integer.parseInt(addrPort.substring(addrPort.lastIndexOf(':') + 1));
    }

    /** A connection (not a persistence template, whose client port is 0). */
    boolean isConnection() {
        return port(source) != 0;
    }
}
