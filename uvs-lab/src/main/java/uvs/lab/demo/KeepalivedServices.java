package uvs.lab.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lab's services written as keepalived {@code virtual_server} blocks, so that one keepalived.conf carries
 * both the VRRP instance (run by keepalived) and the services (run by uvsd {@code --import}). Reads the
 * ipvsadm-save lines the lab writes: {@code -A -t|-u ADDR:PORT -s SCHED [-p SECS]} and
 * {@code -a -t|-u ADDR:PORT -r ADDR:PORT -g|-m|-i -w N}.
 */
public final class KeepalivedServices {
    private KeepalivedServices() {
    }

    /** The blocks for {@code rules}; a line of another shape is refused with its text. */
    public static String fromRules(String rules) {
        Map<String, StringBuilder> services = new LinkedHashMap<>();
        for (String line : rules.strip().split("\n")) {
            List<String> w = List.of(line.strip().split("\\s+"));
            if (w.size() < 3 || !(w.get(1).equals("-t") || w.get(1).equals("-u"))) {
                throw new IllegalArgumentException("not a lab rule: " + line);
            }
            String key = w.get(1) + " " + w.get(2);
            if (w.get(0).equals("-A")) {
                StringBuilder b = new StringBuilder();
                b.append("virtual_server ").append(hostPort(w.get(2))).append(" {\n");
                b.append("    protocol ").append(w.get(1).equals("-t") ? "TCP" : "UDP").append('\n');
                b.append("    lb_algo ").append(value(w, "-s", line)).append('\n');
                int p = w.indexOf("-p");
                if (p >= 0) {
                    b.append("    persistence_timeout ").append(value(w, "-p", line)).append('\n');
                }
                services.put(key, b);
            } else if (w.get(0).equals("-a") && services.containsKey(key)) {
                String kind = w.contains("-g") ? "DR" : w.contains("-m") ? "NAT" : w.contains("-i") ? "TUN" : null;
                if (kind == null) {
                    throw new IllegalArgumentException("no forwarding method in: " + line);
                }
                services.get(key).append("    real_server ").append(hostPort(value(w, "-r", line))).append(" {\n")
                    .append("        lvs_method ").append(kind).append('\n')
                    .append("        weight ").append(value(w, "-w", line)).append('\n')
                    .append("    }\n");
            } else {
                throw new IllegalArgumentException("not a lab rule: " + line);
            }
        }
        List<String> out = new ArrayList<>();
        for (StringBuilder b : services.values()) {
            out.add(b.append("}\n").toString());
        }
        return String.join("", out);
    }

    private static String value(List<String> words, String option, String line) {
        int i = words.indexOf(option);
        if (i < 0 || i + 1 >= words.size()) {
            throw new IllegalArgumentException(option + " missing in: " + line);
        }
        return words.get(i + 1);
    }

    // "10.0.0.1:80" or "[fd00::1]:80" as keepalived's "ADDR PORT"
    private static String hostPort(String s) {
        int colon = s.lastIndexOf(':');
        String host = s.substring(0, colon);
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        return host + " " + s.substring(colon + 1);
    }
}
