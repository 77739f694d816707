package uvs.ctl.importer;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.ctl.model.CheckSpec;
import uvs.daemon.health.CheckKind;
import uvs.daemon.health.CheckTiming;
import uvs.daemon.health.ServiceQuorum;
import uvs.daemon.health.StatusCodes;

/**
 * Turns the checks an importer read (keyword settings by the source tool's names) into the typed
 * {@link CheckSpec}s the health checker runs, once, when the file is read. Everything that does not run as
 * written becomes a warning at its line: a check kind UVS does not run (its server stays up unchecked), a
 * setting it does not honour, a further checker of one server whose timing differs from the first's (the
 * checkers of one server run as one {@link CheckKind.AllOf}).
 */
final class CheckPlanner {
    /** Keys every kind honours: the service's quorum and the check's target. */
    private static final Set<String> COMMON = Set.of("alpha", "quorum", "hysteresis", "quorum_up", "quorum_down",
        "omega", "connect_port", "connect_ip", "bindto", "log_all_failures", "tls_compliant", "service");
    private static final Set<String> HTTP = Set.of("virtualhost", "request", "receive", "httpmethod", "http_protocol",
        "ssl_ca");
    private static final Set<String> URL = Set.of("path", "status_code", "digest", "virtualhost", "tls_compliant");
    private static final Set<String> UDP = Set.of("payload", "require_reply");
    private static final Set<String> FILE = Set.of("track_file", "file", "weight", "reverse");
    private static final Set<String> EXTERNAL = Set.of("misc_path", "misc_dynamic", "checkcommand");
    private static final Set<String> SMTP = Set.of("helo_name", "request", "receive");
    private static final Set<String> DNS = Set.of("type", "name", "request", "receive");
    private static final Set<String> NEGOTIATE = Set.of("login", "passwd", "request", "receive", "secret", "database");
    private static final Map<String, Integer> DNS_TYPES = Map.of("A", 1, "NS", 2, "CNAME", 5, "SOA", 6, "MX", 15,
        "TXT", 16, "AAAA", 28);

    // one checker planned: its source and typed kind, before the checkers of one server are joined
    private record Planned(ImportedCheck source, CheckKind kind, ServiceQuorum quorum, IpAddress connectIp,
                           int connectPort) {
    }

    private final List<CheckSpec> planned = new ArrayList<>();
    private final Diagnostics diagnostics;
    private int unchecked;

    private CheckPlanner(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    /** The typed checks of {@code read}, one per real server; what does not run as written goes to {@code d}. */
    static CheckPlanner of(List<ImportedCheck> read, Diagnostics d) {
        CheckPlanner p = new CheckPlanner(d);
        Map<String, List<ImportedCheck>> byServer = new LinkedHashMap<>();
        for (ImportedCheck c : read) {
            byServer.computeIfAbsent(c.service() + " " + hostPort(c), k -> new ArrayList<>()).add(c);
        }
        for (List<ImportedCheck> checks : byServer.values()) {
            ImportedCheck first = checks.getFirst();
            String server = "real server " + hostPort(first) + " of " + first.service();
            List<Planned> plans = new ArrayList<>();
            for (ImportedCheck c : checks) {
                Planned one = p.plan(c, server);
                if (one != null) {
                    plans.add(one);
                }
            }
            if (plans.size() == 1) {
                p.planned.add(spec(plans.getFirst()));
            } else if (plans.size() > 1) {
                p.planned.add(spec(p.allOf(plans, server)));
            }
        }
        return p;
    }

    private static CheckSpec spec(Planned p) {
        ImportedCheck c = p.source();
        Map<String, String> f = c.fields();
        String bind = f.get("bindto");
        CheckKind kind = p.kind();
        if ("yes".equals(f.get("ha_suspend"))) {
            // keepalived ha_suspend: check only while the virtual address is on this host
            kind = new CheckKind.WhileLocal(kind, c.service().address());
        }
        return new CheckSpec(c.source(), c.service(), c.realAddress(), c.realPort(), c.weight(), kind, c.timing(),
            c.onFailure(), "yes".equals(f.get("alpha")), p.connectIp(), p.connectPort(),
            bind == null ? null : IpAddress.parse(bind), c.sorry(), p.quorum());
    }

    // keepalived: a real server with several checkers is alive only while every one is up
    private Planned allOf(List<Planned> plans, String server) {
        Planned first = plans.getFirst();
        CheckTiming t = first.source().timing();
        List<CheckKind.Part> parts = new ArrayList<>();
        for (Planned one : plans) {
            CheckTiming o = one.source().timing();
            if (!o.interval().equals(t.interval()) || o.retries() != t.retries()
                || !o.delayBeforeRetry().equals(t.delayBeforeRetry())) {
                warn(one.source(), server + ": this checker runs with the "
                    + "interval and retries of the first one (" + first.source().source() + ")");
            }
            String bind = one.source().fields().get("bindto");
            parts.add(new CheckKind.Part(one.kind(), one.connectIp(), one.connectPort(),
                bind == null ? null : IpAddress.parse(bind), o.timeout()));
        }
        return new Planned(first.source(), new CheckKind.AllOf(parts), first.quorum(), null, 0);
    }

    private Planned plan(ImportedCheck c, String server) {
        Map<String, String> f = c.fields();
        CheckKind kind = switch (c.kind()) {
            case TCP -> new CheckKind.Tcp();
            case HTTP, HTTPS -> http(c);
            case UDP -> udp(c, server);
            case EXTERNAL -> new CheckKind.External(Arrays.asList(
                first(f, "misc_path", "checkcommand", "/bin/false").trim().split("\\s+")),
                "yes".equals(f.get("misc_dynamic")));
            case SMTP -> smtp(c);
            case DNS -> dns(c);
            case PING -> new CheckKind.Ping(Integer.parseInt(f.getOrDefault("checkcount", "1")));
            case NEGOTIATE -> negotiate(c);
            case FILE -> f.containsKey("file") ? new CheckKind.TrackFile(Path.of(f.get("file")),
                Integer.parseInt(f.getOrDefault("weight", "1")), "yes".equals(f.get("reverse"))) : null;
            case ALWAYS_UP, ALWAYS_DOWN -> null;
        };
        if (kind == null && (c.kind() == ImportedCheckKind.NEGOTIATE || c.kind() == ImportedCheckKind.FILE
            || f.containsKey("not_run"))) {
            unchecked++;
            warn(c, server + " is not checked: " + (c.kind() == ImportedCheckKind.FILE
                ? "its FILE_CHECK has no file to read" : "UVS does not run " + describe(c) + " checks")
                + "; it stays up unchecked");
        }
        if (kind == null) {
            return null;
        }
        for (String key : f.keySet()) {
            if (!honoured(c, key)) {
                String setting = key.replaceFirst("^url\\.\\d+\\.", "url ");
                warn(c, server + ": '" + setting
                    + " " + f.get(key) + "' is not honoured by UVS's " + c.kind() + " check");
            }
        }
        if (c.kind() == ImportedCheckKind.DNS && f.containsKey("request")
            && c.service().protocol() == IpProto.TCP) {
            warn(c, server + ": the DNS query is sent over UDP, not TCP");
        }
        if (kind instanceof CheckKind.SqlHandshake) {
            warn(c, server + ": only the " + f.get("service") + " server's "
                + "handshake is checked: UVS does not log in nor run the request");
        }
        if ("HEAD".equals(f.get("httpmethod"))) {
            warn(c, server + ": httpmethod HEAD is sent as GET");
        }
        String ip = f.get("connect_ip");
        String port = f.get("connect_port");
        IpAddress connectIp = ip == null ? null : IpAddress.parse(ip);
        int connectPort = port == null ? 0 : Integer.parseInt(port);
        if (kind instanceof CheckKind.Smtp m && !m.hosts().isEmpty() && ip == null && port == null
            && !f.containsKey("bindto")) {
            // keepalived: without connection settings of its own the checker takes the first host's
            InetSocketAddress first = m.hosts().getFirst();
            connectIp = IpAddress.fromBytes(first.getAddress().getAddress());
            connectPort = first.getPort();
            kind = new CheckKind.Smtp(m.helo(), m.hosts().subList(1, m.hosts().size()));
        }
        return new Planned(c, kind, quorum(c), connectIp, connectPort);
    }

    private static boolean honoured(ImportedCheck c, String key) {
        if (COMMON.contains(key) || key.equals("ha_suspend")) {
            return true;
        }
        return switch (c.kind()) {
            case HTTP, HTTPS -> HTTP.contains(key)
                && !(key.equals("http_protocol") && c.fields().get(key).equals("1.1"))
                || key.startsWith("url.") && URL.contains(key.substring(key.indexOf('.', 4) + 1));
            case UDP -> UDP.contains(key);
            case SMTP -> SMTP.contains(key) || key.matches("host\\.\\d+(\\.connect_ip|\\.connect_port)?");
            case DNS -> DNS.contains(key);
            case PING -> key.equals("checkcount");
            case NEGOTIATE -> NEGOTIATE.contains(key);
            case EXTERNAL -> EXTERNAL.contains(key);
            case FILE -> FILE.contains(key);
            default -> false;
        };
    }

    private static CheckKind http(ImportedCheck c) {
        Map<String, String> f = c.fields();
        boolean tls = c.kind() == ImportedCheckKind.HTTPS;
        // keepalived never fails a check on a certificate: verified only against a CA the file names
        List<CheckKind.Http> urls = new ArrayList<>();
        for (int i = 1; f.containsKey("url." + i + ".path"); i++) {
            String u = "url." + i + ".";
            urls.add(new CheckKind.Http(tls, false, f.get(u + "path"), first(f, u + "virtualhost", "virtualhost", null),
                statusCodes(f.getOrDefault(u + "status_code", "200-299")), null, f.get(u + "digest")));
        }
        if (urls.isEmpty()) {
            // ldirectord: request and receive; its LWP runs with verify_hostname 0, which turns off all
            // certificate verification, so none here either
            String path = f.getOrDefault("request", "/");
            urls.add(new CheckKind.Http(tls, false, path.startsWith("/") ? path : "/" + path, f.get("virtualhost"),
                StatusCodes.SUCCESS, emptyToNull(f.get("receive")), null));
        }
        String ca = f.get("ssl_ca");
        if (tls && ca != null) {
            urls.replaceAll(u -> u.verifyingAgainst(Path.of(ca)));
        }
        return urls.size() == 1 ? urls.getFirst() : new CheckKind.HttpUrls(urls);
    }

    // keepalived: payload and the reply expected are hex strings
    private CheckKind udp(ImportedCheck c, String server) {
        Map<String, String> f = c.fields();
        byte[] payload = hex(f.getOrDefault("payload", ""));
        String reply = f.get("require_reply");
        byte[] expect = reply == null || reply.equals("yes") ? null : hex(reply);
        if (payload == null || reply != null && !reply.equals("yes") && expect == null) {
            warn(c, server + ": UDP_CHECK payload and require_reply are hex "
                + "digits (wildcards are not supported): the check sends an empty datagram and takes any reply");
            return new CheckKind.Udp(new byte[0], reply != null, null);
        }
        return new CheckKind.Udp(payload, reply != null, expect);
    }

    // keepalived's read_hex_str: pairs of hex digits, blanks between bytes (a lone digit before a blank is one
    // byte); null when it is not that
    static byte[] hex(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t') {
                i++;
                continue;
            }
            int hi = Character.digit(c, 16);
            if (hi < 0) {
                return null;
            }
            i++;
            int v = hi;
            if (i < text.length() && text.charAt(i) != ' ' && text.charAt(i) != '\t') {
                int lo = Character.digit(text.charAt(i++), 16);
                if (lo < 0) {
                    return null;
                }
                v = hi << 4 | lo;
            }
            out.write(v);
        }
        return out.toByteArray();
    }

    private static CheckKind smtp(ImportedCheck c) {
        Map<String, String> f = c.fields();
        // ldirectord's Net::SMTP says hello as localhost.localdomain
        String helo = f.getOrDefault("helo_name", f.containsKey("service") ? "localhost.localdomain"
            : CheckKind.Smtp.DEFAULT_HELO);
        List<InetSocketAddress> hosts = new ArrayList<>();
        for (int i = 1; f.containsKey("host." + i); i++) {
            String ip = f.get("host." + i + ".connect_ip");
            String port = f.get("host." + i + ".connect_port");
            hosts.add(new InetSocketAddress(inet(ip == null ? c.realAddress() : IpAddress.parse(ip)),
                port == null ? c.realPort() : Integer.parseInt(port)));
        }
        return new CheckKind.Smtp(helo, hosts);
    }

    private static CheckKind dns(ImportedCheck c) {
        Map<String, String> f = c.fields();
        if (f.containsKey("type") || f.containsKey("name")) {
            return new CheckKind.Dns(DNS_TYPES.get(f.getOrDefault("type", "SOA")), f.getOrDefault("name", "."), null);
        }
        // ldirectord: an A query for the request (a leading '/' dropped); receive matches an address
        String name = f.getOrDefault("request", "").replaceFirst("^/", "");
        return new CheckKind.Dns(1, name.isEmpty() ? "." : name, emptyToNull(f.get("receive")));
    }

    private static CheckKind negotiate(ImportedCheck c) {
        Map<String, String> f = c.fields();
        if ("ldap".equals(f.get("service"))) {
            // ldirectord binds anonymously unless both login and passwd are set
            boolean auth = !f.getOrDefault("login", "").isEmpty() && !f.getOrDefault("passwd", "").isEmpty();
            return new CheckKind.Ldap(auth ? f.get("login") : "", auth ? f.get("passwd") : "",
                f.getOrDefault("request", "").replaceFirst("^/", ""), f.getOrDefault("receive", ""));
        }
        if ("mysql".equals(f.get("service")) || "pgsql".equals(f.get("service"))) {
            return new CheckKind.SqlHandshake(f.get("service").equals("mysql"), f.getOrDefault("login", ""),
                f.getOrDefault("database", ""));
        }
        if ("radius".equals(f.get("service")) && f.containsKey("secret")) {
            return new CheckKind.Radius(f.getOrDefault("login", ""), f.getOrDefault("passwd", ""), f.get("secret"));
        }
        CheckKind.Negotiate.Service service = switch (f.getOrDefault("service", "")) {
            case "pop" -> CheckKind.Negotiate.Service.POP;
            case "imap" -> CheckKind.Negotiate.Service.IMAP;
            case "pops" -> CheckKind.Negotiate.Service.POPS;
            case "imaps" -> CheckKind.Negotiate.Service.IMAPS;
            case "nntp" -> CheckKind.Negotiate.Service.NNTP;
            case "ftp" -> CheckKind.Negotiate.Service.FTP;
            case "simpletcp" -> c.service().protocol() == IpProto.TCP
                ? CheckKind.Negotiate.Service.SIMPLETCP : null;
            default -> null;
        };
        if (service == null) {
            return null;
        }
        // ldirectord puts a '/' before every request and takes it off again for these
        String request = f.getOrDefault("request", "").replaceFirst("^/", "");
        boolean exchange = service == CheckKind.Negotiate.Service.FTP
            || service == CheckKind.Negotiate.Service.SIMPLETCP;
        return new CheckKind.Negotiate(service, f.getOrDefault("login", ""), f.getOrDefault("passwd", ""),
            exchange ? request : "", exchange ? f.getOrDefault("receive", "") : "");
    }

    private static InetAddress inet(IpAddress a) {
        try {
            return InetAddress.getByAddress(a.toBytes());
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static StatusCodes statusCodes(String keepalived) {
        return StatusCodes.parse(keepalived.trim().replaceAll("\\s+", ","));
    }

    private static ServiceQuorum quorum(ImportedCheck c) {
        Map<String, String> f = c.fields();
        if (!f.containsKey("quorum") && !f.containsKey("quorum_up") && !f.containsKey("quorum_down")
            && !f.containsKey("omega")) {
            return null;
        }
        int q = Integer.parseInt(f.getOrDefault("quorum", "1"));
        int h = Integer.parseInt(f.getOrDefault("hysteresis", "0"));
        return new ServiceQuorum(c.service(), Math.max(q, 1), Math.min(h, Math.max(q, 1) - 1),
            command(f.get("quorum_up")), command(f.get("quorum_down")), f.containsKey("omega"));
    }

    private static List<String> command(String text) {
        return text == null || text.isBlank() ? List.of() : List.of(text.trim().split("\\s+"));
    }

    private static String describe(ImportedCheck c) {
        String notRun = c.fields().get("not_run");
        if (notRun != null) {
            return notRun;
        }
        String service = c.fields().get("service");
        return service != null && c.kind() == ImportedCheckKind.NEGOTIATE
            ? "negotiate (service " + service + ")" : c.kind().name();
    }

    private static String hostPort(ImportedCheck c) {
        String a = c.realAddress().toString();
        return (a.indexOf(':') >= 0 ? "[" + a + "]" : a) + ":" + c.realPort();
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    // the value of key a, else of key b, else the fallback
    private static String first(Map<String, String> f, String a, String b, String fallback) {
        String v = f.get(a);
        if (v == null && b != null) {
            v = f.get(b);
        }
        return v == null ? fallback : v;
    }

    private void warn(ImportedCheck c, String message) {
        diagnostics.warn(c.source(), message);
    }

    /** The checks to run, one per checked real server, in file order. */
    List<CheckSpec> specs() {
        return List.copyOf(planned);
    }

    /** Real servers left unchecked because UVS does not run their kind of check. */
    int unchecked() {
        return unchecked;
    }
}
