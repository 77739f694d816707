package uvs.lab.demo;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-real-server load read from a director's ipvsadm listings ({@code -L -n} for connections,
 * {@code -L -n --rate} for rates), summed over the services a real server address serves.
 */
public record RealServerLoad(int active, int inactive, long cps, long inPps) {

    /** Loads by real-server address (without port), in listing order. */
    public static Map<String, RealServerLoad> parse(String list, String rate) {
        Map<String, RealServerLoad> m = new LinkedHashMap<>();
        for (String line : list.split("\n")) {
            String[] f = fields(line);
            if (f != null && f.length >= 6) {
                m.merge(host(f[1]), new RealServerLoad(Integer.parseInt(f[4]), Integer.parseInt(f[5]), 0, 0),
                    RealServerLoad::plus);
            }
        }
        for (String line : rate.split("\n")) {
            String[] f = fields(line);
            if (f != null && f.length >= 4) {
                m.merge(host(f[1]), new RealServerLoad(0, 0, Long.parseLong(f[2]), Long.parseLong(f[3])),
                    RealServerLoad::plus);
            }
        }
        return m;
    }

    private RealServerLoad plus(RealServerLoad o) {
        return new RealServerLoad(active + o.active, inactive + o.inactive, cps + o.cps, inPps + o.inPps);
    }

    private static String[] fields(String line) {
        String t = line.strip();
        return t.startsWith("-> ") && !t.startsWith("-> RemoteAddress") ? t.split("\\s+") : null;
    }

    /** {@code 10.100.1.11:80} → {@code 10.100.1.11}; {@code [fd00::11]:80} → {@code fd00::11}. */
    static String host(String addrPort) {
        if (addrPort.startsWith("[")) {
            return addrPort.substring(1, addrPort.indexOf(']'));
        }
        int colon = addrPort.lastIndexOf(':');
        return colon < 0 ? addrPort : addrPort.substring(0, colon);
    }
}
