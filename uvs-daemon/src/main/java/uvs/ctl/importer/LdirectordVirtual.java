package uvs.ctl.importer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import uvs.core.net.Af;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.sched.SchedulerRegistry;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceFlags;
import uvs.core.svc.ServiceKey;
import uvs.ctl.cli.IpvsadmException;
import uvs.ctl.cli.IpvsadmParser;
import uvs.ctl.health.CheckKind;
import uvs.ctl.health.CheckTiming;
import uvs.ctl.health.FailureAction;
import uvs.ctl.health.SorryServer;
import uvs.ctl.health.StatusCodes;

/**
 * One ldirectord {@code virtual=} section (ldirectord(8), read_config and ld_setup): its indented lines, then
 * its rules and checks. Defaults: scheduler wrr, protocol tcp (udp for port 53), checktype negotiate, service
 * from the virtual port, request "/", a real server's port the virtual port, weight 1.
 */
final class LdirectordVirtual {
    private static final SchedulerRegistry SCHEDULERS = SchedulerRegistry.defaultRegistry();
    private static final Set<String> SERVICES = Set.of("dns", "ftp", "http", "https", "http_proxy", "imap", "imaps",
        "ldap", "nntp", "mysql", "none", "oracle", "pop", "pops", "radius", "pgsql", "sip", "smtp", "submission",
        "simpletcp");
    private static final Set<String> NOT_APPLICABLE = Set.of("emailalert", "emailalertfreq", "emailalertstatus",
        "monitorfile", "cleanstop", "smtp", "servicename", "comment");
    // address[->address][:port] then the rest (ldirectord's own pattern, IPv6 in brackets)
    private static final Pattern REAL = Pattern.compile(
        "(\\d+\\.\\d+\\.\\d+\\.\\d+|[A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+])(?:->(\\d+\\.\\d+\\.\\d+\\.\\d+|[A-Za-z0-9.-]+"
        + "|\\[[0-9A-Fa-f:.]+]))?(?::(\\d+|[A-Za-z0-9_-]+))?\\s+(.*)");
    private static final Pattern VIRTUAL = Pattern.compile("([0-9A-Za-z._+-]+):([0-9A-Za-z_-]+)");
    private static final Pattern VIRTUAL6 = Pattern.compile("\\[([0-9A-Fa-f:.]+)]:([0-9A-Za-z_-]+)");
    private static final Pattern REAL_OPTIONS = Pattern.compile(
        "(\\w+)(?:\\s+(\\d+))?(?:\\s+\"(.*)\"[, ]\\s*\"(.*)\")?\\s*");
    private static final int MAX_RANGE = KeepalivedGroup.MAX_RANGE;

    /** One real server line (ranges expanded). */
    private record Real(SourceLocation at, IpAddress address, int port, ForwardMethod method, int weight,
                        String request, String receive) {
    }

    private final SourceLocation at;
    private final boolean v6;
    private final Diagnostics d;
    private IpAddress vip;
    private int vport;
    private long fwmark;
    private String protocol;
    private String service;
    private String scheduler = "wrr";
    private String schedflags;
    private SourceLocation schedflagsAt;
    private Integer persistent;
    private String netmask;
    private SourceLocation netmaskAt;
    private boolean ops;
    private SourceLocation opsAt;
    private String checktype = "negotiate";
    private int connectsPerNegotiate;
    private String checkcommand = "/bin/true";
    private String request = "/";
    private String receive = "";
    private String httpmethod = "GET";
    private String login;
    private String passwd;
    private String database;
    private String secret;
    private String virtualhost;
    // the order the section first set those five in (by their keywords): the report shows them so
    private final List<String> optionalOrder = new ArrayList<>();
    private int checkport;
    private int checkinterval;
    private SourceLocation checkintervalAt;
    private final LdirectordSettings own = new LdirectordSettings();
    private final List<Real> reals = new ArrayList<>();

    private LdirectordVirtual(SourceLocation at, boolean v6, Diagnostics d) {
        this.at = at;
        this.v6 = v6;
        this.d = d;
    }

    /** The forwarding method of gate|masq|ipip, or null. */
    static ForwardMethod forward(String word) {
        return switch (word) {
            case "gate" -> ForwardMethod.ROUTE;
            case "masq" -> ForwardMethod.MASQ;
            case "ipip" -> ForwardMethod.TUNNEL;
            default -> null;
        };
    }

    /** Starts a section from its {@code virtual=} / {@code virtual6=} value; null after an error. */
    static LdirectordVirtual start(SourceLocation at, String value, boolean v6, Diagnostics d) {
        LdirectordVirtual vs = new LdirectordVirtual(at, v6, d);
        return vs.identity(value) ? vs : null;
    }

    private boolean identity(String value) {
        if (value.matches("\\d+")) {
            long mark = ConfValues.number(value, 1, 0xffff_ffffL);
            if (mark < 0) {
                d.error(at, "invalid firewall mark '" + value + "' (1..4294967295)");
                return false;
            }
            fwmark = mark;
            protocol = "fwm";
            service = "none";
            return true;
        }
        Matcher m = (v6 ? VIRTUAL6 : VIRTUAL).matcher(value);
        if (!m.matches()) {
            d.error(at, "invalid address for virtual server '" + value + "' ("
                + (v6 ? "[ipv6]:port or a firewall mark" : "address:port or a firewall mark") + ")");
            return false;
        }
        vip = ConfValues.address(m.group(1));
        if (vip == null || vip.isV6() != v6) {
            d.error(at, "invalid virtual server address '" + m.group(1) + "' (a numeric "
                + (v6 ? "IPv6" : "IPv4") + " address is needed; names are not resolved)");
            return false;
        }
        vport = ServicePorts.port(m.group(2));
        if (vport < 0) {
            d.error(at, "invalid virtual server port '" + m.group(2) + "' (a number, or a well-known name)");
            return false;
        }
        protocol = vport == 53 ? "udp" : "tcp";
        return true;
    }

    /** One indented line {@code key = value} of the section. */
    void statement(SourceLocation where, String key, String value, boolean quoted) {
        switch (key) {
            case "real", "real6" -> {
                if (key.equals("real6") != v6) {
                    d.error(where, "cannot use \"" + key + "\" in a " + (v6 ? "virtual6" : "virtual")
                        + " section; use \"" + (v6 ? "real6" : "real") + "\"");
                    return;
                }
                real(where, value);
            }
            case "request" -> {
                if (required(where, key, value, quoted)) {
                    request = value.startsWith("/") ? value : "/" + value;
                }
            }
            case "receive" -> {
                if (required(where, key, value, quoted)) {
                    receive = value;
                }
            }
            case "checktype" -> checktype(where, value);
            case "checkcommand" -> checkcommand = value;
            case "checktimeout" -> own.checktimeout = positive(where, key, value);
            case "negotiatetimeout" -> own.negotiatetimeout = positive(where, key, value);
            case "connecttimeout" -> d.error(where, "connecttimeout is deprecated in favour of negotiatetimeout");
            case "checkcount" -> {
                own.checkcount = positive(where, key, value);
                d.warn(where, "checkcount is deprecated (see failurecount)");
            }
            case "failurecount" -> own.failurecount = positive(where, key, value);
            case "checkinterval" -> {
                checkinterval = positive(where, key, value);
                checkintervalAt = where;
            }
            case "checkport" -> {
                checkport = (int) ConfValues.number(value, 1, 65_535);
                if (checkport < 0) {
                    d.error(where, "checkport must be a number in 1..65535, not '" + value + "'");
                }
            }
            case "login", "passwd", "database", "secret" -> {
                if (required(where, key, value, quoted)) {
                    optional(key, value);
                }
            }
            case "schedflags" -> {
                schedflags = value.split("\\s+")[0];
                schedflagsAt = where;
            }
            case "scheduler" -> {
                if (!value.matches("[a-z]+")) {
                    d.error(where, "invalid scheduler '" + value + "' (lower-case letters only)");
                } else {
                    scheduler = value;
                }
            }
            case "persistent" -> {
                long p = ConfValues.number(value, 1, ServiceConfig.MAX_PERSIST_TIMEOUT);
                if (p < 0) {
                    d.error(where, "invalid persistent timeout '" + value + "' (1.." + ServiceConfig.MAX_PERSIST_TIMEOUT
                        + " seconds)");
                } else {
                    persistent = (int) p;
                }
            }
            case "netmask" -> {
                netmask = value;
                netmaskAt = where;
            }
            case "protocol" -> protocol(where, value);
            case "ops" -> {
                if (yesNo(where, key, value) != null) {
                    ops = value.equals("yes");
                    opsAt = where;
                }
            }
            case "service" -> {
                if (!SERVICES.contains(value)) {
                    d.error(where, "unknown service '" + value + "' (one of " + String.join(" ",
                        SERVICES.stream().sorted().toList()) + ")");
                } else {
                    service = value;
                }
            }
            case "httpmethod" -> {
                String m = value.toUpperCase(Locale.ROOT);
                if (!m.equals("GET") && !m.equals("HEAD")) {
                    d.error(where, "httpmethod must be GET or HEAD, not '" + value + "'");
                } else {
                    httpmethod = m;
                }
            }
            case "virtualhost" -> optional(key, value);
            case "fallback", "fallback6" -> {
                if (key.equals("fallback6") != v6) {
                    d.error(where, "cannot use \"" + key + "\" in a " + (v6 ? "virtual6" : "virtual") + " section");
                    return;
                }
                own.fallback = LdirectordFallback.parse(where, value, v6, d);
            }
            case "fallbackcommand" -> d.warn(where, "fallbackcommand is not supported: UVS runs no scripts");
            case "quiescent" -> {
                if (yesNo(where, key, value) != null) {
                    own.quiescent = value;
                }
            }
            case "load" -> d.warn(where, "'load' is not supported: ignored");
            default -> {
                if (NOT_APPLICABLE.contains(key)) {
                    d.info(where, "'" + key + "' does not apply to UVS: ignored");
                } else {
                    d.warn(where, "unknown keyword '" + key + "' in a virtual section: ignored");
                }
            }
        }
    }

    // login, passwd, database, secret or virtualhost: the last one written counts
    private void optional(String key, String value) {
        switch (key) {
            case "login" -> login = value;
            case "passwd" -> passwd = value;
            case "database" -> database = value;
            case "secret" -> secret = value;
            default -> virtualhost = value;
        }
        if (!optionalOrder.contains(key)) {
            optionalOrder.add(key);
        }
    }

    private boolean required(SourceLocation where, String key, String value, boolean quoted) {
        if (!quoted) {
            d.error(where, key + " must be in double quotes");
            return false;
        }
        if (value.isEmpty()) {
            d.error(where, key + " must not be empty");
            return false;
        }
        return true;
    }

    private int positive(SourceLocation where, String key, String value) {
        long n = ConfValues.number(value, 1, Integer.MAX_VALUE);
        if (n < 0) {
            d.error(where, "invalid " + key + " '" + value + "' (a positive number)");
        }
        return (int) n;
    }

    private String yesNo(SourceLocation where, String key, String value) {
        if (!value.equals("yes") && !value.equals("no")) {
            d.error(where, key + " must be 'yes' or 'no', not '" + value + "'");
            return null;
        }
        return value;
    }

    private void checktype(SourceLocation where, String value) {
        if (value.matches("\\d+")) {
            long n = ConfValues.number(value, 0, Integer.MAX_VALUE);
            if (n < 0) {
                d.error(where, "checktype number '" + value + "' is too large");
                return;
            }
            connectsPerNegotiate = (int) n;
            checktype = "combined";
            return;
        }
        switch (value) {
            case "connect", "negotiate", "ping", "off", "on", "external", "external-perl" -> checktype = value;
            default -> d.error(where, "checktype must be connect, negotiate, on, off, ping, external, external-perl or"
                + " a number, not '" + value + "'");
        }
    }

    private void protocol(SourceLocation where, String value) {
        if (protocol.equals("fwm")) {
            if (!value.equals("fwm")) {
                d.error(where, "protocol must be fwm for a firewall-mark virtual service");
            }
        } else if (value.equals("tcp") || value.equals("udp")) {
            protocol = value;
        } else {
            d.error(where, "protocol must be tcp or udp for an address:port virtual service, not '" + value + "'");
        }
    }

    private void real(SourceLocation where, String value) {
        Matcher m = REAL.matcher(value);
        if (!m.matches()) {
            d.error(where, "invalid real server '" + value + "' (address[:port] gate|masq|ipip [weight] "
                + "[\"request\", \"receive\"])");
            return;
        }
        IpAddress first = realAddress(where, m.group(1));
        IpAddress last = m.group(2) == null ? first : realAddress(where, m.group(2));
        int port = 0;
        if (m.group(3) != null) {
            port = ServicePorts.port(m.group(3));
            if (port < 0) {
                d.error(where, "invalid real server port '" + m.group(3) + "' (a number, or a well-known name)");
                return;
            }
        }
        Matcher o = REAL_OPTIONS.matcher(m.group(4));
        if (!o.matches()) {
            d.error(where, "invalid real server line around \"" + m.group(4) + "\"");
            return;
        }
        ForwardMethod method = forward(o.group(1));
        if (method == null) {
            d.error(where, "forward method must be gate, masq or ipip, not '" + o.group(1) + "'");
            return;
        }
        int weight = 1;
        if (o.group(2) != null) {
            weight = (int) ConfValues.number(o.group(2), 0, 65_535);
            if (weight < 0) {
                d.error(where, "invalid real server weight '" + o.group(2) + "' (0..65535)");
                return;
            }
        }
        String req = o.group(3) == null ? null : o.group(3).startsWith("/") ? o.group(3) : "/" + o.group(3);
        if (first == null || last == null) {
            return;
        }
        List<IpAddress> range = first.equals(last) ? List.of(first)
            : KeepalivedGroup.range(first + "-" + last);
        if (range == null) {
            d.error(where, "invalid real server range " + first + "->" + last + " (the first address must not be above"
                + " the last)");
            return;
        }
        if (range.size() > MAX_RANGE) {
            d.error(where, "real server range " + first + "->" + last + " has more than " + MAX_RANGE + " addresses");
            return;
        }
        for (IpAddress a : range) {
            reals.add(new Real(where, a, port, method, weight, req, o.group(4)));
        }
    }

    private IpAddress realAddress(SourceLocation where, String text) {
        boolean bracketed = text.startsWith("[");
        IpAddress a = ConfValues.address(bracketed ? text.substring(1, text.length() - 1) : text);
        if (a == null || a.isV6() != v6 || bracketed != v6) {
            d.error(where, "invalid real server address '" + text + "' (a numeric " + (v6 ? "[IPv6]" : "IPv4")
                + " address is needed; names are not resolved)");
            return null;
        }
        return a;
    }

    /** True when the section relies on the global (or default) quiescent setting. */
    boolean usesDefaultQuiescent(LdirectordSettings global) {
        return own.quiescent == null && global.quiescent == null;
    }

    /** Adds the service, its real servers and their checks. */
    void emit(LdirectordSettings global, boolean fork, int globalInterval, RuleBook rules, List<ReadCheck> checks) {
        if (!SCHEDULERS.contains(scheduler)) {
            d.error(at, "unknown scheduler '" + scheduler + "' (UVS has: " + String.join(" ", SCHEDULERS.names())
                + ")");
            return;
        }
        int af = v6 ? Af.INET6 : Af.INET;
        ServiceKey key = fwmark != 0 ? ServiceKey.fwmark((int) fwmark, af)
            : ServiceKey.of(protocol.equals("udp") ? IpProto.UDP : IpProto.TCP, vip, vport);
        int mask = mask();
        if (ops && !protocol.equals("udp")) {
            d.warn(opsAt, "ops is only used for udp services (ldirectord leaves it out): ignored");
        }
        int flags = (persistent != null ? ServiceFlags.PERSISTENT : 0)
            | (ops && protocol.equals("udp") ? ServiceFlags.ONEPACKET : 0);
        if (schedflags != null) {
            // ldirectord hands them to ipvsadm -b
            try {
                flags |= IpvsadmParser.schedFlags(scheduler, schedflags);
            } catch (IpvsadmException e) {
                d.error(schedflagsAt, "schedflags: " + e.ipvsadmMessage().strip());
            }
        }
        ServiceConfig config = new ServiceConfig(scheduler, flags,
            persistent != null ? persistent : ServiceConfig.DEFAULT_PERSIST_TIMEOUT, mask, null);
        if (!rules.addService(at, key, config, d)) {
            return;
        }
        String quiescent = own.quiescent != null ? own.quiescent : global.quiescent != null ? global.quiescent : "no";
        FailureAction onFailure = quiescent.equals("yes") ? FailureAction.QUIESCE : FailureAction.REMOVE;
        if (onFailure == FailureAction.QUIESCE && persistent != null) {
            d.info(at, "quiescent=yes with persistence: clients keep reaching a failed real server until their "
                + "persistence template expires, unless net.ipv4.vs.expire_quiescent_template = 1");
        }
        SorryServer sorry = sorry(key, global.fallback, onFailure);
        CheckTiming timing = timing(global, fork, globalInterval);
        String label = label();
        CheckText common = new CheckText();
        if (checktype.equals("combined")) {
            // connect checks between the negotiate checks have the connect timeout
            common.ignored("connects_per_negotiate", Integer.toString(connectsPerNegotiate));
            common.ignored("connect_timeout", Integer.toString(first(own.checktimeout, own.negotiatetimeout,
                global.checktimeout, global.negotiatetimeout, LdirectordSettings.DEFAULT_CHECKTIMEOUT)));
        }
        int checkcount = first(own.checkcount, global.checkcount, 1, 1, 1);
        if (label.equals("ping") && checkcount != 1) {
            common.add("checkcount", Integer.toString(checkcount));
        }
        // checktype=off never activates a real server: quiesced from the start, or not added at all
        boolean neverUp = label.equals("always-down");
        for (Real r : reals) {
            int port = fwmark != 0 ? r.port() : r.port() == 0 ? vport : r.port();
            RealServerConfig rc = ForwardSpec.of(r.method()).config(neverUp ? 0 : r.weight(), 0, 0);
            boolean added;
            if (neverUp && onFailure == FailureAction.REMOVE) {
                added = rules.reserveDest(r.at(), key, r.address(), port, d);
                if (added) {
                    d.info(r.at(), "checktype=off: real server " + r.address() + " is never activated, so it is not"
                        + " in the rules of " + key);
                }
            } else {
                added = rules.addDest(r.at(), key, r.address(), port, rc, d);
            }
            if (added) {
                CheckedServer server = new CheckedServer(r.at(), key, r.address(), port, r.weight(), timing,
                    onFailure, sorry);
                checks.add(check(server, r, label, checkcount, common));
            }
        }
        if (reals.isEmpty()) {
            d.warn(at, "virtual service " + key + " has no real servers");
        }
    }

    private int mask() {
        int full = v6 ? 128 : 0xffff_ffff;
        if (netmask == null) {
            return full;
        }
        if (persistent == null) {
            d.warn(netmaskAt, "netmask is only used with persistent (ldirectord leaves it out): ignored");
            return full;
        }
        if (v6) {
            long len = ConfValues.number(netmask, 1, 128);
            if (len < 0) {
                d.error(netmaskAt, "invalid netmask '" + netmask + "': a prefix length between 1 and 128 is needed");
                return full;
            }
            return (int) len;
        }
        long m = ConfValues.solidNetmask(netmask);
        if (!netmask.matches("\\d+\\.\\d+\\.\\d+\\.\\d+") || m < 0) {
            d.error(netmaskAt, "invalid netmask '" + netmask + "': a dotted-quad netmask is needed");
            return full;
        }
        return (int) m;
    }

    private SorryServer sorry(ServiceKey key, LdirectordFallback globalFallback, FailureAction action) {
        LdirectordFallback f = own.fallback;
        if (f == null && globalFallback != null && globalFallback.address().isV6() == v6) {
            f = globalFallback;
        }
        if (f == null) {
            return null;
        }
        int port = f.port() >= 0 ? f.port() : key.isFwmark() ? 0 : vport;
        if (!key.isFwmark() && f.method() != ForwardMethod.MASQ && port != vport) {
            d.warn(f.at(), "fallback port " + port + " differs from the virtual port " + vport
                + ", which gate and ipip must use: port " + vport + " is used");
            port = vport;
        }
        return new SorryServer(key, f.address(), port, ForwardSpec.of(f.method()).config(1, 0, 0), action);
    }

    // ld_setup: checktimeout and negotiatetimeout default to each other, then to the globals, then to 5 / 30
    private CheckTiming timing(LdirectordSettings g, boolean fork, int globalInterval) {
        int check = first(own.checktimeout, own.negotiatetimeout, g.checktimeout, g.negotiatetimeout,
            LdirectordSettings.DEFAULT_CHECKTIMEOUT);
        int negotiate = first(own.negotiatetimeout, own.checktimeout, g.negotiatetimeout, g.checktimeout,
            LdirectordSettings.DEFAULT_NEGOTIATETIMEOUT);
        int failures = first(own.failurecount, g.failurecount, 1, 1, 1);
        int interval = globalInterval;
        if (checkintervalAt != null) {
            if (fork) {
                interval = checkinterval;
            } else {
                d.warn(checkintervalAt, "checkinterval in a virtual section is ignored unless fork = yes");
            }
        }
        boolean negotiates = checktype.equals("negotiate") || checktype.equals("combined");
        Duration every = Duration.ofSeconds(interval);
        return CheckTiming.imported(every, Duration.ofSeconds(negotiates ? negotiate : check), failures - 1, every,
            Duration.ZERO);
    }

    private static int first(int a, int b, int c, int e, int fallback) {
        return a > 0 ? a : b > 0 ? b : c > 0 ? c : e > 0 ? e : fallback;
    }

    private String service() {
        return service != null ? service : fwmark != 0 ? "none" : ServicePorts.ldirectordService(vport);
    }

    // what the report calls the check: from the checktype, and for negotiate from the service
    private String label() {
        return switch (checktype) {
            case "on" -> "always-up";
            case "off" -> "always-down";
            case "ping" -> "ping";
            // ldirectord pings as the connect check of a UDP service
            case "connect" -> protocol.equals("udp") ? "ping" : "tcp";
            case "external", "external-perl" -> "external";
            default -> switch (service()) {
                case "http", "https", "dns" -> service();
                case "smtp", "submission" -> "smtp";
                case "none" -> "always-up";
                default -> "negotiate";
            };
        };
    }

    // the check of one real server: typed, and its settings as written (then the section's common ones)
    private ReadCheck check(CheckedServer server, Real r, String label, int checkcount, CheckText common) {
        CheckText text = new CheckText();
        String service = service();
        int port = checkport > 0 ? checkport : server.port() > 0 ? server.port() : ServicePorts.ldirectordPort(service);
        int connectPort = 0;
        boolean runs = !label.startsWith("always-");
        if (port != server.port() && runs && !label.equals("ping") && !label.equals("external")) {
            connectPort = port;
            text.add("connect_port", Integer.toString(port));
        }
        String req = r.request() != null ? r.request() : request;
        String rec = r.request() != null ? r.receive() : receive;
        boolean http = label.equals("http") || label.equals("https");
        if (label.equals("external")) {
            text.add("checkcommand", checkcommand);
            if (checktype.equals("external-perl")) {
                text.ignored("perl", "yes");
            }
        } else if (runs && !label.equals("ping") && !label.equals("tcp")) {
            if (label.equals("negotiate") || label.equals("smtp")) {
                text.add("service", service);
            }
            text.add("request", req).add("receive", rec);
            if (http) {
                text.add("httpmethod", httpmethod);
            }
            for (String key : optionalOrder) {
                String value = switch (key) {
                    case "login" -> login;
                    case "passwd" -> passwd;
                    case "database" -> database;
                    case "secret" -> secret;
                    default -> virtualhost;
                };
                if (key.equals("virtualhost") ? http : label.equals("negotiate")) {
                    text.add(key, value);
                } else {
                    text.ignored(key, value);
                }
            }
        }
        text.then(common);
        if (http) {
            String problem = CheckKind.Http.pathProblem(req);
            if (problem == null && virtualhost != null) {
                problem = CheckKind.Http.hostProblem(virtualhost);
            }
            if (problem != null) {
                return ReadCheck.notRun(server, label, text, "its HTTP request cannot be sent: " + problem);
            }
        }
        CheckKind kind = switch (label) {
            case "tcp" -> new CheckKind.Tcp();
            case "ping" -> new CheckKind.Ping(checkcount);
            case "external" -> new CheckKind.External(Arrays.asList(checkcommand.trim().split("\\s+")), false);
            // ldirectord's LWP runs with verify_hostname 0, which turns off all certificate verification, so
            // none here either
            case "http", "https" -> new CheckKind.Http(label.equals("https"), false, req, virtualhost,
                StatusCodes.SUCCESS, emptyToNull(rec), null);
            // an A query for the request (a leading '/' dropped); receive matches an address
            case "dns" -> {
                String name = req.replaceFirst("^/", "");
                yield new CheckKind.Dns(1, name.isEmpty() ? "." : name, emptyToNull(rec));
            }
            // ldirectord's Net::SMTP says hello as localhost.localdomain
            case "smtp" -> new CheckKind.Smtp("localhost.localdomain", List.of());
            case "negotiate" -> negotiate(server, req, rec);
            default -> null;
        };
        if (kind == null) {
            return ReadCheck.notRun(server, label, text,
                runs ? "UVS does not run negotiate (service " + service + ") checks" : null);
        }
        List<String> after = new ArrayList<>();
        if (label.equals("dns") && server.service().protocol() == IpProto.TCP) {
            after.add(server.name() + ": the DNS query is sent over UDP, not TCP");
        }
        if (kind instanceof CheckKind.SqlHandshake) {
            after.add(server.name() + ": only the " + service + " server's "
                + "handshake is checked: UVS does not log in nor run the request");
        }
        if (http && httpmethod.equals("HEAD")) {
            after.add(server.name() + ": httpmethod HEAD is sent as GET");
        }
        return ReadCheck.of(server, label, server.spec(kind, false, null, connectPort, null, null), text, List.of(),
            after);
    }

    // negotiate=service: the service's own dialogue, or null when UVS does not run it
    private CheckKind negotiate(CheckedServer server, String req, String rec) {
        String service = service();
        String user = login == null ? "" : login;
        String password = passwd == null ? "" : passwd;
        switch (service) {
            case "ldap" -> {
                // ldirectord binds anonymously unless both login and passwd are set
                boolean auth = !user.isEmpty() && !password.isEmpty();
                return new CheckKind.Ldap(auth ? user : "", auth ? password : "", req.replaceFirst("^/", ""), rec);
            }
            case "mysql", "pgsql" -> {
                return new CheckKind.SqlHandshake(service.equals("mysql"), user, database == null ? "" : database);
            }
            case "radius" -> {
                return secret == null ? null : new CheckKind.Radius(user, password, secret);
            }
            default -> {
            }
        }
        CheckKind.Negotiate.Service dialogue = switch (service) {
            case "pop" -> CheckKind.Negotiate.Service.POP;
            case "imap" -> CheckKind.Negotiate.Service.IMAP;
            case "pops" -> CheckKind.Negotiate.Service.POPS;
            case "imaps" -> CheckKind.Negotiate.Service.IMAPS;
            case "nntp" -> CheckKind.Negotiate.Service.NNTP;
            case "ftp" -> CheckKind.Negotiate.Service.FTP;
            case "simpletcp" -> server.service().protocol() == IpProto.TCP
                ? CheckKind.Negotiate.Service.SIMPLETCP : null;
            default -> null;
        };
        if (dialogue == null) {
            return null;
        }
        // ldirectord puts a '/' before every request and takes it off again for these
        boolean exchange = dialogue == CheckKind.Negotiate.Service.FTP
            || dialogue == CheckKind.Negotiate.Service.SIMPLETCP;
        return new CheckKind.Negotiate(dialogue, user, password, exchange ? req.replaceFirst("^/", "") : "",
            exchange ? rec : "");
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
