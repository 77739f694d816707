package uvs.ctl.importer;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import uvs.core.net.IpAddress;
import uvs.ctl.model.CheckSpec;
import uvs.ctl.health.CheckKind;
import uvs.ctl.health.CheckTiming;
import uvs.ctl.health.ServiceQuorum;
import uvs.ctl.health.StatusCodes;

/**
 * One keepalived checker block of a real server (TCP_CHECK, HTTP_GET, SSL_GET, SMTP_CHECK, DNS_CHECK,
 * MISC_CHECK, UDP_CHECK, PING_CHECK, FILE_CHECK), its settings typed as they are read, and the settings as
 * written for the report ({@link CheckText}); the timing it inherits is resolved by {@link #timing}. Defaults
 * follow keepalived.conf(5): delay_loop 60 s, connect_timeout 5 s, retry 1 (DNS 3, MISC 0),
 * delay_before_retry 3 s for HTTP_GET/SSL_GET, delay_loop for DNS_CHECK and 1 s otherwise, warmup up to
 * delay_loop; misc_timeout defaults to delay_loop.
 */
final class KeepalivedChecker {
    static final Duration DEFAULT_DELAY_LOOP = Duration.ofSeconds(60);
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration HTTP_DELAY_BEFORE_RETRY = Duration.ofSeconds(3);
    private static final Duration OTHER_DELAY_BEFORE_RETRY = Duration.ofSeconds(1);
    private static final String DEFAULT_STATUS_CODES = "200-299";
    private static final Map<String, Integer> DNS_TYPES = Map.of("A", 1, "NS", 2, "CNAME", 5, "SOA", 6, "MX", 15,
        "TXT", 16, "AAAA", 28);

    /** Where a checker (or one of SMTP_CHECK's host blocks) connects: unset values are the real server's. */
    private static final class Target {
        IpAddress ip;
        int port;
        IpAddress bind;
    }

    /** One HTTP_GET / SSL_GET {@code url} block. */
    private record Url(String path, String digest, String virtualhost, StatusCodes statusCodes) {
    }

    final SourceLocation at;
    private final String type;
    final CheckDefaults settings = new CheckDefaults();
    private final CheckText text = new CheckText();
    private final Target target = new Target();
    private Duration miscTimeout;
    private String virtualhost;
    private final List<Url> urls = new ArrayList<>();
    private int urlBlocks;
    private String helo;
    private final List<Target> hosts = new ArrayList<>();
    private String dnsType;
    private String dnsName;
    private String payload;
    private String requireReply;
    private String command;
    private boolean dynamic;
    private String trackFile;
    private Integer fileWeight;
    private boolean fileReverse;
    // where the FILE_CHECK's own weight is written, replaced by the track_file's when it is 0
    private int weightFrom = -1;
    private int weightTo = -1;
    // the block is missing: an error, so the import fails and the checker runs nothing
    private boolean broken;

    private KeepalivedChecker(SourceLocation at, String type) {
        this.at = at;
        this.type = type;
    }

    /** True for a keyword that names a checker block (supported or not). */
    static boolean isChecker(String keyword) {
        return switch (keyword) {
            case "TCP_CHECK", "HTTP_GET", "SSL_GET", "SMTP_CHECK", "DNS_CHECK", "MISC_CHECK", "UDP_CHECK",
                 "PING_CHECK", "BFD_CHECK", "FILE_CHECK" -> true;
            default -> false;
        };
    }

    /** The checker of block {@code s}, or null when it is not supported (a warning says so). */
    static KeepalivedChecker parse(ConfStatement s, KeepalivedValues v) {
        if (!isChecker(s.keyword()) || s.keyword().equals("BFD_CHECK")) {
            v.diagnostics().warn(s.at(), s.keyword() + " is not supported: this check is left out");
            return null;
        }
        if (!s.args().isEmpty()) {
            v.diagnostics().warn(s.at(), "extra words after '" + s.keyword() + "' ignored: "
                + String.join(" ", s.args()));
        }
        KeepalivedChecker c = new KeepalivedChecker(s.at(), s.keyword());
        if (s.block() == null) {
            v.diagnostics().error(s.at(), s.keyword() + " needs a { } block");
            c.broken = true;
            return c;
        }
        for (ConfStatement st : s.block()) {
            c.statement(st, v);
        }
        c.finish(v);
        return c;
    }

    // what the report calls the check, and the warnings its kind
    private String label() {
        return switch (type) {
            case "TCP_CHECK" -> "tcp";
            case "HTTP_GET" -> "http";
            case "SSL_GET" -> "https";
            case "SMTP_CHECK" -> "smtp";
            case "DNS_CHECK" -> "dns";
            case "MISC_CHECK" -> "external";
            case "UDP_CHECK" -> "udp";
            case "PING_CHECK" -> "ping";
            default -> "file";
        };
    }

    private boolean http() {
        return type.equals("HTTP_GET") || type.equals("SSL_GET");
    }

    private void statement(ConfStatement s, KeepalivedValues v) {
        if (!s.keyword().equals("inhibit_on_failure") && v.common(s, settings)) {
            if (type.equals("MISC_CHECK") && s.keyword().equals("connect_timeout")) {
                v.diagnostics().warn(s.at(),
                    "connect_timeout has no effect on MISC_CHECK (misc_timeout sets its timeout)");
            }
            return;
        }
        if (s.keyword().equals("log_all_failures")) {
            Boolean b = v.optionalBool(s);
            if (b != null) {
                text.add("log_all_failures", b ? "yes" : "no");
            }
            return;
        }
        boolean handled = switch (type) {
            case "MISC_CHECK" -> misc(s, v);
            case "HTTP_GET", "SSL_GET" -> connection(s, v, target, "") || http(s, v);
            case "SMTP_CHECK" -> connection(s, v, target, "") || helo(s, v) || host(s, v);
            case "DNS_CHECK" -> connection(s, v, target, "") || dns(s, v);
            case "UDP_CHECK" -> connection(s, v, target, "") || udp(s, v);
            case "FILE_CHECK" -> trackFile(s, v);
            default -> connection(s, v, target, "");
        };
        if (!handled) {
            v.unknown(s, type);
        }
    }

    // the generic connection options of every checker but MISC_CHECK (prefix "host.N." in an SMTP host block,
    // where only connect_ip and connect_port are honoured)
    private boolean connection(ConfStatement s, KeepalivedValues v, Target t, String prefix) {
        String key = prefix + s.keyword();
        switch (s.keyword()) {
            case "connect_ip", "bindto" -> {
                String a = v.one(s);
                IpAddress ip = a == null ? null : v.address(s, a, s.keyword());
                if (ip == null) {
                    return true;
                }
                if (s.keyword().equals("connect_ip")) {
                    t.ip = ip;
                    text.add(key, ip.toString());
                } else if (prefix.isEmpty()) {
                    t.bind = ip;
                    text.add(key, ip.toString());
                } else {
                    text.ignored(key, ip.toString());
                }
            }
            case "connect_port", "bind_port" -> {
                String p = v.one(s);
                int port = p == null ? -1 : v.port(s, p, s.keyword(), false);
                if (port > 0 && s.keyword().equals("connect_port")) {
                    t.port = port;
                    text.add(key, Integer.toString(port));
                } else if (port > 0) {
                    text.ignored(key, Integer.toString(port));
                }
            }
            case "bind_if" -> {
                String name = v.one(s);
                if (name != null) {
                    text.ignored(key, name);
                }
            }
            case "fwmark" -> {
                Long m = v.number(s, 1, 0xffff_ffffL);
                if (m != null) {
                    text.ignored(key, Long.toString(m));
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private boolean helo(ConfStatement s, KeepalivedValues v) {
        if (!s.keyword().equals("helo_name")) {
            return false;
        }
        String t = v.one(s);
        if (t != null) {
            helo = t;
            text.add("helo_name", t);
        }
        return true;
    }

    // SMTP_CHECK's deprecated host { connect_ip ... } blocks: one more server checked each
    private boolean host(ConfStatement s, KeepalivedValues v) {
        if (!s.keyword().equals("host")) {
            return false;
        }
        if (s.block() == null) {
            v.diagnostics().error(s.at(), "host needs a { } block");
            return true;
        }
        Target h = new Target();
        hosts.add(h);
        String prefix = "host." + hosts.size() + ".";
        // the block, then what it sets (unset: the real server's address and port)
        text.add("host." + hosts.size(), "yes");
        for (ConfStatement st : s.block()) {
            if (!connection(st, v, h, prefix)) {
                v.unknown(st, "host");
            }
        }
        return true;
    }

    private boolean http(ConfStatement s, KeepalivedValues v) {
        boolean tls = type.equals("SSL_GET");
        switch (s.keyword()) {
            case "url" -> url(s, v);
            case "virtualhost" -> virtualhost = v.host(s);
            case "http_protocol" -> {
                String p = v.one(s);
                if (p != null && !p.equals("1.0") && !p.equals("1.0C") && !p.equals("1.1")) {
                    v.diagnostics().error(s.at(), "http_protocol must be 1.0, 1.0C or 1.1, not '" + p + "'");
                } else if ("1.1".equals(p)) {
                    // UVS's check speaks HTTP/1.0
                    text.ignored("http_protocol", p);
                } else if (p != null) {
                    text.add("http_protocol", p);
                }
            }
            case "fast_recovery" -> {
                Boolean b = v.optionalBool(s);
                if (b != null) {
                    text.ignored("fast_recovery", b ? "yes" : "no");
                }
            }
            case "enable_sni", "tls_compliant" -> {
                if (!tls) {
                    return false;
                }
                v.flag(s);
                if (s.keyword().equals("enable_sni")) {
                    text.ignored("enable_sni", "yes");
                } else {
                    text.add("tls_compliant", "yes");
                }
            }
            case "sni_name" -> {
                if (!tls) {
                    return false;
                }
                String name = v.one(s);
                if (name != null) {
                    text.ignored("sni_name", name);
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private void url(ConfStatement s, KeepalivedValues v) {
        if (s.block() == null) {
            v.diagnostics().error(s.at(), "url needs a { } block");
            return;
        }
        urlBlocks++;
        String prefix = "url." + urlBlocks + ".";
        String path = null;
        String digest = null;
        String host = null;
        String status = null;
        boolean badPath = false;
        for (ConfStatement u : s.block()) {
            String key = prefix + u.keyword();
            switch (u.keyword()) {
                case "path", "digest", "virtualhost" -> {
                    String t = u.keyword().equals("virtualhost") ? v.host(u) : v.one(u);
                    String problem = t != null && u.keyword().equals("path") ? CheckKind.Http.pathProblem(t) : null;
                    if (problem != null) {
                        v.diagnostics().error(u.at(), "'path': " + problem);
                        badPath = true;
                        t = null;
                    }
                    if (t != null) {
                        text.add(key, t);
                        switch (u.keyword()) {
                            case "path" -> path = t;
                            case "digest" -> digest = t;
                            default -> host = t;
                        }
                    }
                }
                case "regex", "regex_options" -> {
                    String t = v.one(u);
                    if (t != null) {
                        text.ignored(key, t);
                    }
                }
                case "status_code" -> {
                    if (u.args().isEmpty()) {
                        v.diagnostics().error(u.at(), "'status_code' needs a value");
                    } else if (statusCodes(u, v)) {
                        status = String.join(" ", u.args());
                        text.add(key, status);
                    }
                }
                case "regex_no_match" -> {
                    v.flag(u);
                    text.ignored(key, "yes");
                }
                case "regex_min_offset", "regex_max_offset" -> {
                    Long n = v.number(u, 0, Integer.MAX_VALUE);
                    if (n != null) {
                        text.ignored(key, Long.toString(n));
                    }
                }
                case "regex_stack" -> text.ignored(key, String.join(" ", u.args()));
                case "tls_compliant" -> {
                    v.flag(u);
                    text.add(key, "yes");
                }
                default -> v.unknown(u, "url");
            }
        }
        if (badPath) {
            return;
        }
        if (path == null) {
            v.diagnostics().error(s.at(), "url block without 'path'");
            return;
        }
        if (status == null) {
            // keepalived.conf(5): status_code defaults to 200-299
            status = DEFAULT_STATUS_CODES;
            text.add(prefix + "status_code", status);
        }
        urls.add(new Url(path, digest, host, StatusCodes.parse(status.trim().replaceAll("\\s+", ","))));
    }

    private static boolean statusCodes(ConfStatement s, KeepalivedValues v) {
        for (String code : s.args()) {
            int dash = code.indexOf('-');
            String lo = dash < 0 ? code : code.substring(0, dash);
            String hi = dash < 0 ? code : code.substring(dash + 1);
            long a = ConfValues.number(lo, 100, 599);
            long b = ConfValues.number(hi, 100, 599);
            if (a < 0 || b < 0 || a > b) {
                v.diagnostics().error(s.at(), "invalid status_code '" + code + "' (N or N-M within 100..599)");
                return false;
            }
        }
        return true;
    }

    private boolean dns(ConfStatement s, KeepalivedValues v) {
        switch (s.keyword()) {
            case "type" -> {
                String t = v.one(s);
                if (t != null && !DNS_TYPES.containsKey(t.toUpperCase(Locale.ROOT))) {
                    v.diagnostics().error(s.at(),
                        "DNS_CHECK type must be one of A NS CNAME SOA MX TXT AAAA, not '" + t + "'");
                } else if (t != null) {
                    dnsType = t.toUpperCase(Locale.ROOT);
                    text.add("type", dnsType);
                }
            }
            case "name" -> {
                String t = v.one(s);
                if (t != null) {
                    dnsName = t;
                    text.add("name", t);
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private boolean udp(ConfStatement s, KeepalivedValues v) {
        switch (s.keyword()) {
            case "payload" -> {
                payload = String.join(" ", s.args());
                text.add("payload", payload);
            }
            case "require_reply" -> {
                requireReply = s.args().isEmpty() ? "yes" : String.join(" ", s.args());
                text.add("require_reply", requireReply);
            }
            case "min_reply_length", "max_reply_length" -> {
                Long n = v.number(s, 0, 65_535);
                if (n != null) {
                    text.ignored(s.keyword(), Long.toString(n));
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    // FILE_CHECK: the track_file it reads (resolved by name when the checks are written) and its own multiplier
    private boolean trackFile(ConfStatement s, KeepalivedValues v) {
        switch (s.keyword()) {
            case "track_file" -> {
                String name = v.one(s);
                if (name != null) {
                    trackFile = name;
                    text.add("track_file", name);
                }
            }
            case "weight" -> {
                if (s.args().isEmpty() || s.args().size() > 2 || s.args().size() == 2
                    && !s.arg(1).equals("reverse") && !s.arg(1).equals("noreverse")) {
                    v.diagnostics().warn(s.at(), "FILE_CHECK weight is a number and optionally 'reverse': ignored");
                    return true;
                }
                try {
                    fileWeight = Integer.parseInt(s.arg(0));
                    fileReverse = "reverse".equals(s.arg(1));
                    weightFrom = text.mark();
                    text.add("weight", Integer.toString(fileWeight)).add("reverse", fileReverse ? "yes" : "no");
                    weightTo = text.mark();
                } catch (NumberFormatException e) {
                    v.diagnostics().warn(s.at(), "FILE_CHECK weight '" + s.arg(0) + "' is not a number: ignored");
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private boolean misc(ConfStatement s, KeepalivedValues v) {
        switch (s.keyword()) {
            case "misc_path" -> {
                if (s.args().isEmpty()) {
                    v.diagnostics().error(s.at(), "'misc_path' needs a value");
                } else {
                    // the script and its parameters
                    command = String.join(" ", s.args());
                    text.add("misc_path", command);
                }
            }
            case "misc_timeout" -> {
                Long n = v.number(s, 1, Integer.MAX_VALUE);
                if (n != null) {
                    miscTimeout = Duration.ofSeconds(n);
                }
            }
            case "misc_dynamic" -> {
                v.flag(s);
                dynamic = true;
                text.add("misc_dynamic", "yes");
            }
            case "user" -> text.ignored("user", String.join(" ", s.args()));
            default -> {
                return false;
            }
        }
        return true;
    }

    private void finish(KeepalivedValues v) {
        if (http() && urlBlocks == 0) {
            v.diagnostics().error(at, type + " needs at least one url { path ... } block");
        }
        if (type.equals("MISC_CHECK") && command == null) {
            v.diagnostics().error(at, "MISC_CHECK needs misc_path");
        }
        if (type.equals("FILE_CHECK") && trackFile == null) {
            v.diagnostics().warn(at, "FILE_CHECK has no track_file: it checks nothing");
        }
        if (type.equals("DNS_CHECK")) {
            if (dnsType == null) {
                dnsType = "SOA";
                text.add("type", dnsType);
            }
            if (dnsName == null) {
                dnsName = ".";
                text.add("name", dnsName);
            }
        }
    }

    /** The virtualhost the check sends: its own, else the real server's, else the virtual server's. */
    String virtualhost(String inherited) {
        return CheckDefaults.pick(virtualhost, inherited);
    }

    /**
     * This checker of {@code server}, typed. {@code host} is the virtualhost the real or virtual server gives,
     * {@code service} the virtual server's settings as written, {@code ca} the global SSL block's CA (or null)
     * and {@code files} the {@code track_file} blocks.
     */
    ReadCheck read(CheckedServer server, String host, boolean alpha, CheckText service, boolean haSuspend,
                   ServiceQuorum quorum, String ca, KeepalivedTrackFiles files) {
        CheckText written = text.copy();
        String vhost = virtualhost(host);
        if (vhost != null && http()) {
            written.add("virtualhost", vhost);
        }
        written.then(service);
        if (broken || http() && urls.isEmpty()) {
            // an error at the checker (no block, no usable url): the import fails
            return ReadCheck.notRun(server, label(), written, null);
        }
        List<String> before = new ArrayList<>();
        CheckKind kind = switch (type) {
            case "TCP_CHECK" -> new CheckKind.Tcp();
            case "HTTP_GET", "SSL_GET" -> {
                if (ca != null && type.equals("SSL_GET")) {
                    written.add("ssl_ca", ca);
                }
                yield http(vhost, type.equals("SSL_GET") ? ca : null);
            }
            case "SMTP_CHECK" -> smtp(server);
            case "DNS_CHECK" -> new CheckKind.Dns(DNS_TYPES.get(dnsType), dnsName, null);
            case "MISC_CHECK" -> new CheckKind.External(Arrays.asList(
                (command == null ? "/bin/false" : command).trim().split("\\s+")), dynamic);
            case "UDP_CHECK" -> udp(server, before);
            case "PING_CHECK" -> new CheckKind.Ping(1);
            default -> file(written, files);
        };
        if (kind == null) {
            return ReadCheck.notRun(server, label(), written, "its FILE_CHECK has no file to read");
        }
        IpAddress connect = target.ip;
        int connectPort = target.port;
        if (kind instanceof CheckKind.Smtp m && !m.hosts().isEmpty() && connect == null && connectPort == 0
            && target.bind == null) {
            // keepalived: without connection settings of its own the checker takes the first host's
            InetSocketAddress first = m.hosts().getFirst();
            connect = IpAddress.fromBytes(first.getAddress().getAddress());
            connectPort = first.getPort();
            kind = new CheckKind.Smtp(m.helo(), m.hosts().subList(1, m.hosts().size()));
        }
        if (haSuspend) {
            // keepalived ha_suspend: check only while the virtual address is on this host
            kind = new CheckKind.WhileLocal(kind, server.service().address());
        }
        CheckSpec spec = server.spec(kind, alpha, connect, connectPort, target.bind, quorum);
        return ReadCheck.of(server, label(), spec, written, before, List.of());
    }

    // keepalived never fails a check on a certificate: verified only against a CA the file names
    private CheckKind http(String vhost, String ca) {
        boolean tls = type.equals("SSL_GET");
        List<CheckKind.Http> checks = new ArrayList<>();
        for (Url u : urls) {
            CheckKind.Http h = new CheckKind.Http(tls, false, u.path(), CheckDefaults.pick(u.virtualhost(), vhost),
                u.statusCodes(), null, u.digest());
            checks.add(ca == null ? h : h.verifyingAgainst(Path.of(ca)));
        }
        return checks.size() == 1 ? checks.getFirst() : new CheckKind.HttpUrls(checks);
    }

    private CheckKind smtp(CheckedServer server) {
        List<InetSocketAddress> targets = new ArrayList<>();
        for (Target h : hosts) {
            targets.add(new InetSocketAddress(inet(h.ip == null ? server.address() : h.ip),
                h.port == 0 ? server.port() : h.port));
        }
        return new CheckKind.Smtp(helo == null ? CheckKind.Smtp.DEFAULT_HELO : helo, targets);
    }

    // keepalived: payload and the reply expected are hex strings
    private CheckKind udp(CheckedServer server, List<String> warnings) {
        byte[] bytes = hex(payload == null ? "" : payload);
        byte[] expect = requireReply == null || requireReply.equals("yes") ? null : hex(requireReply);
        if (bytes == null || requireReply != null && !requireReply.equals("yes") && expect == null) {
            warnings.add(server.name() + ": UDP_CHECK payload and require_reply are hex "
                + "digits (wildcards are not supported): the check sends an empty datagram and takes any reply");
            return new CheckKind.Udp(new byte[0], requireReply != null, null);
        }
        return new CheckKind.Udp(bytes, requireReply != null, expect);
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

    // FILE_CHECK: the track_file's file, and its weight unless the checker has one of its own (not 0)
    private CheckKind file(CheckText written, KeepalivedTrackFiles files) {
        KeepalivedTrackFiles.Tracked t = trackFile == null ? null : files.resolve(trackFile, at);
        if (t == null) {
            return null;
        }
        written.add("file", t.file());
        if (fileWeight != null && fileWeight != 0) {
            return new CheckKind.TrackFile(Path.of(t.file()), fileWeight, fileReverse);
        }
        Integer w = files.weight(t);
        int weight = w == null ? 1 : w;
        boolean reverse = w != null && t.reverse();
        CheckText inherited = new CheckText().add("weight", Integer.toString(weight))
            .add("reverse", reverse ? "yes" : "no");
        if (fileWeight == null) {
            written.then(inherited);
        } else {
            written.replace(weightFrom, weightTo, inherited);
        }
        return new CheckKind.TrackFile(Path.of(t.file()), weight, reverse);
    }

    private static InetAddress inet(IpAddress a) {
        try {
            return InetAddress.getByAddress(a.toBytes());
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The check's timing given the settings its real server (and virtual server) pass down. */
    CheckTiming timing(CheckDefaults inherited) {
        CheckDefaults e = settings.under(inherited);
        if (type.equals("FILE_CHECK")) {
            // keepalived acts on each change of the file at once: UVS reads it every second, one read deciding
            return CheckTiming.imported(Duration.ofSeconds(1), Duration.ofSeconds(1), 0, Duration.ZERO,
                Duration.ZERO);
        }
        Duration interval = CheckDefaults.pick(e.delayLoop, DEFAULT_DELAY_LOOP);
        Duration timeout = type.equals("MISC_CHECK") ? CheckDefaults.pick(miscTimeout, interval)
            : CheckDefaults.pick(e.connectTimeout, DEFAULT_CONNECT_TIMEOUT);
        int defaultRetry = switch (type) {
            case "MISC_CHECK" -> 0;
            case "DNS_CHECK" -> 3;
            default -> 1;
        };
        Duration defaultRetryDelay = switch (type) {
            case "HTTP_GET", "SSL_GET" -> HTTP_DELAY_BEFORE_RETRY;
            case "DNS_CHECK" -> interval;
            default -> OTHER_DELAY_BEFORE_RETRY;
        };
        return CheckTiming.imported(interval, timeout, CheckDefaults.pick(e.retry, defaultRetry),
            CheckDefaults.pick(e.delayBeforeRetry, defaultRetryDelay), CheckDefaults.pick(e.warmup, interval));
    }

    /** True when the check starts in the failed state (alpha here, or inherited). */
    boolean alpha(CheckDefaults inherited) {
        return Boolean.TRUE.equals(CheckDefaults.pick(settings.alpha, inherited.alpha));
    }

    /** The default timing of a real server without checker. */
    static CheckTiming noCheckTiming(CheckDefaults e) {
        Duration interval = CheckDefaults.pick(e.delayLoop, DEFAULT_DELAY_LOOP);
        return CheckTiming.imported(interval, CheckDefaults.pick(e.connectTimeout, DEFAULT_CONNECT_TIMEOUT),
            CheckDefaults.pick(e.retry, 1), CheckDefaults.pick(e.delayBeforeRetry, OTHER_DELAY_BEFORE_RETRY),
            CheckDefaults.pick(e.warmup, interval));
    }
}
