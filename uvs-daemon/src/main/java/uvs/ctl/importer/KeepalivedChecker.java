package uvs.ctl.importer;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import uvs.core.net.IpAddress;
import uvs.daemon.health.CheckTiming;

/**
 * One keepalived checker block of a real server (TCP_CHECK, HTTP_GET, SSL_GET, SMTP_CHECK, DNS_CHECK,
 * MISC_CHECK, UDP_CHECK, PING_CHECK) with its own settings; the timing it inherits is resolved by
 * {@link #timing}. Defaults follow keepalived.conf(5): delay_loop 60 s, connect_timeout 5 s, retry 1 (DNS 3,
 * MISC 0), delay_before_retry 3 s for HTTP_GET/SSL_GET, delay_loop for DNS_CHECK and 1 s otherwise, warmup
 * up to delay_loop; misc_timeout defaults to delay_loop.
 */
final class KeepalivedChecker {
    static final Duration DEFAULT_DELAY_LOOP = Duration.ofSeconds(60);
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration HTTP_DELAY_BEFORE_RETRY = Duration.ofSeconds(3);
    private static final Duration OTHER_DELAY_BEFORE_RETRY = Duration.ofSeconds(1);
    private static final String DEFAULT_STATUS_CODES = "200-299";
    private static final Set<String> DNS_TYPES = Set.of("A", "NS", "CNAME", "SOA", "MX", "TXT", "AAAA");

    final SourceLocation at;
    final ImportedCheckKind kind;
    final CheckDefaults settings = new CheckDefaults();
    final Map<String, String> fields = new LinkedHashMap<>();
    private final String type;
    private Duration miscTimeout;
    private String virtualhost;
    private int urls;
    private int hosts;

    private KeepalivedChecker(SourceLocation at, String type, ImportedCheckKind kind) {
        this.at = at;
        this.type = type;
        this.kind = kind;
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
        ImportedCheckKind kind = switch (s.keyword()) {
            case "TCP_CHECK" -> ImportedCheckKind.TCP;
            case "HTTP_GET" -> ImportedCheckKind.HTTP;
            case "SSL_GET" -> ImportedCheckKind.HTTPS;
            case "SMTP_CHECK" -> ImportedCheckKind.SMTP;
            case "DNS_CHECK" -> ImportedCheckKind.DNS;
            case "MISC_CHECK" -> ImportedCheckKind.EXTERNAL;
            case "UDP_CHECK" -> ImportedCheckKind.UDP;
            case "PING_CHECK" -> ImportedCheckKind.PING;
            case "FILE_CHECK" -> ImportedCheckKind.FILE;
            default -> null;
        };
        if (kind == null) {
            v.diagnostics().warn(s.at(), s.keyword() + " is not supported: this check is left out");
            return null;
        }
        if (!s.args().isEmpty()) {
            v.diagnostics().warn(s.at(), "extra words after '" + s.keyword() + "' ignored: "
                + String.join(" ", s.args()));
        }
        KeepalivedChecker c = new KeepalivedChecker(s.at(), s.keyword(), kind);
        if (s.block() == null) {
            v.diagnostics().error(s.at(), s.keyword() + " needs a { } block");
            return c;
        }
        for (ConfStatement st : s.block()) {
            c.statement(st, v);
        }
        c.finish(v);
        return c;
    }

    private void statement(ConfStatement s, KeepalivedValues v) {
        if (!s.keyword().equals("inhibit_on_failure") && v.common(s, settings)) {
            if (kind == ImportedCheckKind.EXTERNAL && s.keyword().equals("connect_timeout")) {
                v.diagnostics().warn(s.at(),
                    "connect_timeout has no effect on MISC_CHECK (misc_timeout sets its timeout)");
            }
            return;
        }
        if (s.keyword().equals("log_all_failures")) {
            Boolean b = v.optionalBool(s);
            if (b != null) {
                fields.put("log_all_failures", b ? "yes" : "no");
            }
            return;
        }
        boolean handled = switch (kind) {
            case EXTERNAL -> misc(s, v);
            case HTTP, HTTPS -> connection(s, v) || http(s, v);
            case SMTP -> connection(s, v) || text(s, v, "helo_name") || host(s, v);
            case DNS -> connection(s, v) || dns(s, v);
            case UDP -> connection(s, v) || udp(s, v);
            case FILE -> trackFile(s, v);
            default -> connection(s, v);
        };
        if (!handled) {
            v.unknown(s, type);
        }
    }

    // the generic connection options of every checker but MISC_CHECK
    private boolean connection(ConfStatement s, KeepalivedValues v) {
        switch (s.keyword()) {
            case "connect_ip", "bindto" -> {
                String a = v.one(s);
                IpAddress ip = a == null ? null : v.address(s, a, s.keyword());
                if (ip != null) {
                    fields.put(s.keyword(), ip.toString());
                }
            }
            case "connect_port", "bind_port" -> {
                String p = v.one(s);
                int port = p == null ? -1 : v.port(s, p, s.keyword(), false);
                if (port > 0) {
                    fields.put(s.keyword(), Integer.toString(port));
                }
            }
            case "bind_if" -> text(s, v, "bind_if");
            case "fwmark" -> {
                Long m = v.number(s, 1, 0xffff_ffffL);
                if (m != null) {
                    fields.put("fwmark", Long.toString(m));
                }
            }
            default -> {
                return false;
            }
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
        hosts++;
        KeepalivedChecker h = new KeepalivedChecker(s.at(), type, kind);
        for (ConfStatement st : s.block()) {
            if (!h.connection(st, v)) {
                v.unknown(st, "host");
            }
        }
        // the block, then what it sets (unset: the real server's address and port)
        fields.put("host." + hosts, "yes");
        h.fields.forEach((k, val) -> fields.put("host." + hosts + "." + k, val));
        return true;
    }

    private boolean text(ConfStatement s, KeepalivedValues v, String keyword) {
        if (!s.keyword().equals(keyword)) {
            return false;
        }
        String t = v.one(s);
        if (t != null) {
            fields.put(keyword, t);
        }
        return true;
    }

    private boolean http(ConfStatement s, KeepalivedValues v) {
        switch (s.keyword()) {
            case "url" -> url(s, v);
            case "virtualhost" -> virtualhost = v.one(s);
            case "http_protocol" -> {
                String p = v.one(s);
                if (p != null && !p.equals("1.0") && !p.equals("1.0C") && !p.equals("1.1")) {
                    v.diagnostics().error(s.at(), "http_protocol must be 1.0, 1.0C or 1.1, not '" + p + "'");
                } else if (p != null) {
                    fields.put("http_protocol", p);
                }
            }
            case "fast_recovery" -> bool(s, v);
            case "enable_sni", "tls_compliant" -> {
                if (kind != ImportedCheckKind.HTTPS) {
                    return false;
                }
                v.flag(s);
                fields.put(s.keyword(), "yes");
            }
            case "sni_name" -> {
                return kind == ImportedCheckKind.HTTPS && text(s, v, "sni_name");
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
        urls++;
        String prefix = "url." + urls + ".";
        boolean status = false;
        for (ConfStatement u : s.block()) {
            switch (u.keyword()) {
                case "path", "digest", "virtualhost", "regex", "regex_options" -> {
                    String t = v.one(u);
                    if (t != null) {
                        fields.put(prefix + u.keyword(), t);
                    }
                }
                case "status_code" -> {
                    if (u.args().isEmpty()) {
                        v.diagnostics().error(u.at(), "'status_code' needs a value");
                    } else if (statusCodes(u, v)) {
                        fields.put(prefix + "status_code", String.join(" ", u.args()));
                        status = true;
                    }
                }
                case "regex_no_match" -> {
                    v.flag(u);
                    fields.put(prefix + "regex_no_match", "yes");
                }
                case "regex_min_offset", "regex_max_offset" -> {
                    Long n = v.number(u, 0, Integer.MAX_VALUE);
                    if (n != null) {
                        fields.put(prefix + u.keyword(), Long.toString(n));
                    }
                }
                case "regex_stack" -> fields.put(prefix + "regex_stack", String.join(" ", u.args()));
                case "tls_compliant" -> {
                    v.flag(u);
                    fields.put(prefix + "tls_compliant", "yes");
                }
                default -> v.unknown(u, "url");
            }
        }
        if (!fields.containsKey(prefix + "path")) {
            v.diagnostics().error(s.at(), "url block without 'path'");
        }
        if (!status) {
            // keepalived.conf(5): status_code defaults to 200-299
            fields.put(prefix + "status_code", DEFAULT_STATUS_CODES);
        }
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
                if (t != null && !DNS_TYPES.contains(t.toUpperCase(Locale.ROOT))) {
                    v.diagnostics().error(s.at(),
                        "DNS_CHECK type must be one of A NS CNAME SOA MX TXT AAAA, not '" + t + "'");
                } else if (t != null) {
                    fields.put("type", t.toUpperCase(Locale.ROOT));
                }
            }
            case "name" -> text(s, v, "name");
            default -> {
                return false;
            }
        }
        return true;
    }

    private boolean udp(ConfStatement s, KeepalivedValues v) {
        switch (s.keyword()) {
            case "payload" -> fields.put("payload", String.join(" ", s.args()));
            case "require_reply" ->
                fields.put("require_reply", s.args().isEmpty() ? "yes" : String.join(" ", s.args()));
            case "min_reply_length", "max_reply_length" -> {
                Long n = v.number(s, 0, 65_535);
                if (n != null) {
                    fields.put(s.keyword(), Long.toString(n));
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    // FILE_CHECK: the track_file it reads (resolved by name once the file is read) and its own multiplier
    private boolean trackFile(ConfStatement s, KeepalivedValues v) {
        switch (s.keyword()) {
            case "track_file" -> {
                String name = v.one(s);
                if (name != null) {
                    fields.put("track_file", name);
                }
            }
            case "weight" -> {
                if (s.args().isEmpty() || s.args().size() > 2 || s.args().size() == 2
                    && !s.arg(1).equals("reverse") && !s.arg(1).equals("noreverse")) {
                    v.diagnostics().warn(s.at(), "FILE_CHECK weight is a number and optionally 'reverse': ignored");
                    return true;
                }
                try {
                    fields.put("weight", Integer.toString(Integer.parseInt(s.arg(0))));
                    fields.put("reverse", "reverse".equals(s.arg(1)) ? "yes" : "no");
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
                    fields.put("misc_path", String.join(" ", s.args()));
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
                fields.put("misc_dynamic", "yes");
            }
            case "user" -> fields.put("user", String.join(" ", s.args()));
            default -> {
                return false;
            }
        }
        return true;
    }

    private void bool(ConfStatement s, KeepalivedValues v) {
        Boolean b = v.optionalBool(s);
        if (b != null) {
            fields.put(s.keyword(), b ? "yes" : "no");
        }
    }

    private void finish(KeepalivedValues v) {
        if ((kind == ImportedCheckKind.HTTP || kind == ImportedCheckKind.HTTPS) && urls == 0) {
            v.diagnostics().error(at, type + " needs at least one url { path ... } block");
        }
        if (kind == ImportedCheckKind.EXTERNAL && !fields.containsKey("misc_path")) {
            v.diagnostics().error(at, "MISC_CHECK needs misc_path");
        }
        if (kind == ImportedCheckKind.FILE && !fields.containsKey("track_file")) {
            v.diagnostics().warn(at, "FILE_CHECK has no track_file: it checks nothing");
        }
        if (kind == ImportedCheckKind.DNS) {
            fields.putIfAbsent("type", "SOA");
            fields.putIfAbsent("name", ".");
        }
    }

    /** The virtualhost the check sends: its own, else the real server's, else the virtual server's. */
    String virtualhost(String inherited) {
        return CheckDefaults.pick(virtualhost, inherited);
    }

    /** The check's timing given the settings its real server (and virtual server) pass down. */
    CheckTiming timing(CheckDefaults inherited) {
        CheckDefaults e = settings.under(inherited);
        if (kind == ImportedCheckKind.FILE) {
            // keepalived acts on each change of the file at once: UVS reads it every second, one read deciding
            return CheckTiming.imported(Duration.ofSeconds(1), Duration.ofSeconds(1), 0, Duration.ZERO,
                Duration.ZERO);
        }
        Duration interval = CheckDefaults.pick(e.delayLoop, DEFAULT_DELAY_LOOP);
        Duration timeout = kind == ImportedCheckKind.EXTERNAL ? CheckDefaults.pick(miscTimeout, interval)
            : CheckDefaults.pick(e.connectTimeout, DEFAULT_CONNECT_TIMEOUT);
        int defaultRetry = switch (kind) {
            case EXTERNAL -> 0;
            case DNS -> 3;
            default -> 1;
        };
        Duration defaultRetryDelay = switch (kind) {
            case HTTP, HTTPS -> HTTP_DELAY_BEFORE_RETRY;
            case DNS -> interval;
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
