package uvs.ctl.importer;

import java.util.Map;

/**
 * Port names: the well-known names of /etc/services that configurations use instead of numbers (UVS reads
 * no system database, so other names must be written as numbers), and ldirectord's own mapping between its
 * check services and ports ({@code ld_port_to_service} / {@code ld_service_to_port}).
 */
final class ServicePorts {
    private static final Map<String, Integer> WELL_KNOWN = Map.ofEntries(
        Map.entry("ftp", 21), Map.entry("ssh", 22), Map.entry("telnet", 23), Map.entry("smtp", 25),
        Map.entry("domain", 53), Map.entry("http", 80), Map.entry("www", 80), Map.entry("pop3", 110),
        Map.entry("nntp", 119), Map.entry("ntp", 123), Map.entry("imap", 143), Map.entry("imap2", 143),
        Map.entry("snmp", 161), Map.entry("ldap", 389), Map.entry("https", 443), Map.entry("submission", 587),
        Map.entry("ldaps", 636), Map.entry("imaps", 993), Map.entry("pop3s", 995), Map.entry("radius", 1812),
        Map.entry("mysql", 3306), Map.entry("sip", 5060), Map.entry("postgresql", 5432),
        Map.entry("http-alt", 8080));

    // ldirectord's check services and their ports
    private static final Map<String, Integer> LDIRECTORD = Map.ofEntries(
        Map.entry("ftp", 21), Map.entry("smtp", 25), Map.entry("dns", 53), Map.entry("http", 80),
        Map.entry("pop", 110), Map.entry("nntp", 119), Map.entry("imap", 143), Map.entry("ldap", 389),
        Map.entry("https", 443), Map.entry("submission", 587), Map.entry("imaps", 993), Map.entry("pops", 995),
        Map.entry("oracle", 1521), Map.entry("radius", 1812), Map.entry("http_proxy", 3128),
        Map.entry("mysql", 3306), Map.entry("sip", 5060), Map.entry("pgsql", 5432));

    private ServicePorts() {
    }

    /** A port number 0..65535 or a well-known port name; -1 for anything else. */
    static int port(String text) {
        int p = ConfValues.port(text);
        if (p >= 0) {
            return p;
        }
        Integer named = WELL_KNOWN.get(text);
        return named == null ? -1 : named;
    }

    /** ldirectord's default check service for a virtual port ("none" when it has none). */
    static String ldirectordService(int port) {
        for (Map.Entry<String, Integer> e : LDIRECTORD.entrySet()) {
            if (e.getValue() == port) {
                return e.getKey();
            }
        }
        return "none";
    }

    /** The port of an ldirectord check service, or 0 when it has none. */
    static int ldirectordPort(String service) {
        return LDIRECTORD.getOrDefault(service, 0);
    }
}
