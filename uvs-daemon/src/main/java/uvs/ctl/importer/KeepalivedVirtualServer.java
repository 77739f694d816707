package uvs.ctl.importer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import uvs.core.net.Af;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.persist.PersistenceEngines;
import uvs.core.sched.SchedulerRegistry;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceFlags;
import uvs.core.svc.ServiceKey;
import uvs.ctl.health.FailureAction;
import uvs.ctl.health.ServiceQuorum;
import uvs.ctl.health.SorryServer;

/**
 * One keepalived {@code virtual_server} block, read and then written as rules and checks. The corrections
 * keepalived makes when it validates a virtual server (check_data.c {@code validate_check_config}) are made
 * here too, each with a warning: no protocol means UDP, a zero port without persistence makes the service
 * persistent, ops needs UDP, ports of DR/TUN real servers follow the virtual port, a quorum above the total
 * weight is lowered, a virtual server without real servers is left out.
 */
final class KeepalivedVirtualServer {
    private static final SchedulerRegistry SCHEDULERS = SchedulerRegistry.defaultRegistry();
    private static final String DEFAULT_SCHEDULER = "wlc";

    /** One {@code real_server} block. */
    private static final class Real {
        SourceLocation at;
        IpAddress address;
        int port = -1;
        Integer weight;
        ForwardSpec forward;
        int upper;
        int lower;
        String virtualhost;
        final CheckDefaults settings = new CheckDefaults();
        final List<KeepalivedChecker> checkers = new ArrayList<>();
        // checker blocks UVS does not run (BFD_CHECK, FILE_CHECK)
        final List<String> notRun = new ArrayList<>();
    }

    /** A scheduler flag keyword and its line. */
    private record Flag(String name, SourceLocation at) {
    }

    private final SourceLocation at;
    private final KeepalivedValues v;
    private final Diagnostics d;
    private IpAddress vip;
    private int port = -1;
    private long fwmark;
    private KeepalivedGroup group;
    private String scheduler;
    private final List<Flag> flags = new ArrayList<>();
    private ForwardSpec forward;
    private String pe;
    private Integer persistTimeout;
    private Integer netmask;
    private int netmaskAf;
    private Integer protocol;
    private SourceLocation protocolAt;
    private boolean haSuspend;
    private boolean ops;
    private Integer quorum;
    private Integer hysteresis;
    private String quorumUp;
    private String quorumDown;
    private boolean omega;
    private int ipFamily;
    private String virtualhost;
    private Integer weight;
    private SourceLocation sorryAt;
    private IpAddress sorryAddress;
    private int sorryPort = -1;
    private boolean sorryInhibit;
    private ForwardSpec sorryForward;
    private final CheckDefaults settings = new CheckDefaults();
    private final List<Real> reals = new ArrayList<>();

    private KeepalivedVirtualServer(SourceLocation at, KeepalivedValues v) {
        this.at = at;
        this.v = v;
        this.d = v.diagnostics();
    }

    /** Reads a virtual_server statement; null when its identity is unusable (an error says why). */
    static KeepalivedVirtualServer parse(ConfStatement s, KeepalivedValues v, Map<String, KeepalivedGroup> groups) {
        KeepalivedVirtualServer vs = new KeepalivedVirtualServer(s.at(), v);
        if (!vs.identity(s, groups)) {
            return null;
        }
        if (s.block() == null) {
            v.diagnostics().error(s.at(), "virtual_server needs a { } block");
            return null;
        }
        for (ConfStatement st : s.block()) {
            vs.statement(st);
        }
        return vs;
    }

    private boolean identity(ConfStatement s, Map<String, KeepalivedGroup> groups) {
        List<String> a = s.args();
        if (a.isEmpty()) {
            d.error(s.at(), "virtual_server needs an address [port], 'fwmark N' or 'group NAME'");
            return false;
        }
        if (a.size() > 2) {
            d.error(s.at(), "virtual_server takes an address [port], 'fwmark N' or 'group NAME', not "
                + String.join(" ", a));
            return false;
        }
        switch (a.get(0)) {
            case "fwmark" -> {
                Long m = a.size() < 2 ? null : v.number(s, a.get(1), 1, 0xffff_ffffL);
                if (a.size() < 2) {
                    d.error(s.at(), "'virtual_server fwmark' needs a mark");
                }
                if (m == null) {
                    return false;
                }
                fwmark = m;
            }
            case "group" -> {
                group = a.size() < 2 ? null : groups.get(a.get(1));
                if (group == null) {
                    d.error(s.at(), a.size() < 2 ? "'virtual_server group' needs a name"
                        : "virtual_server_group '" + a.get(1) + "' is not defined");
                    return false;
                }
            }
            default -> {
                vip = v.address(s, a.get(0), "virtual server");
                if (vip == null) {
                    return false;
                }
                if (a.size() == 2) {
                    port = v.port(s, a.get(1), "virtual server", true);
                    if (port < 0) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private void statement(ConfStatement s) {
        if (v.common(s, settings)) {
            return;
        }
        switch (s.keyword()) {
            case "lvs_sched", "lb_algo" -> scheduler = v.one(s);
            case "flag-1", "flag-2", "flag-3", "sh-port", "sh-fallback", "mh-port", "mh-fallback" -> {
                v.flag(s);
                flags.add(new Flag(s.keyword(), s.at()));
            }
            case "ops" -> {
                v.flag(s);
                ops = true;
            }
            case "hashed" -> d.info(s.at(), "'hashed' is a kernel-internal flag: ignored");
            case "lvs_method", "lb_kind" -> forward = v.forward(s);
            case "persistence_engine" -> {
                pe = v.one(s);
                if (pe != null && PersistenceEngines.get(pe) == null) {
                    d.error(s.at(), "unknown persistence engine '" + pe + "' (UVS has: sip)");
                }
            }
            case "persistence_timeout" -> persistenceTimeout(s);
            case "persistence_granularity" -> granularity(s);
            case "protocol" -> protocol(s);
            case "ha_suspend" -> {
                v.flag(s);
                haSuspend = true;
            }
            case "virtualhost" -> virtualhost = v.host(s);
            case "omega" -> {
                v.flag(s);
                omega = true;
            }
            case "quorum" -> quorum = intValue(v.number(s, 1, Integer.MAX_VALUE));
            case "hysteresis" -> hysteresis = intValue(v.number(s, 0, Integer.MAX_VALUE));
            case "quorum_up" -> quorumUp = String.join(" ", s.args());
            case "quorum_down" -> quorumDown = String.join(" ", s.args());
            case "ip_family" -> ipFamily(s);
            case "weight" -> weight = intValue(v.number(s, 0, 65_535));
            case "sorry_server" -> sorryServer(s);
            case "sorry_server_inhibit" -> {
                v.flag(s);
                sorryInhibit = true;
            }
            case "sorry_server_lvs_method" -> sorryForward = v.forward(s);
            case "real_server" -> realServer(s);
            case "smtp_alert", "snmp_name" -> d.info(s.at(), "'" + s.keyword() + "' does not apply to UVS: ignored");
            default -> v.unknown(s, "virtual_server");
        }
    }

    private static Integer intValue(Long n) {
        return n == null ? null : n.intValue();
    }

    private void persistenceTimeout(ConfStatement s) {
        if (s.args().isEmpty()) {
            persistTimeout = ServiceConfig.DEFAULT_PERSIST_TIMEOUT;
            return;
        }
        persistTimeout = intValue(v.number(s, 1, ServiceConfig.MAX_PERSIST_TIMEOUT));
    }

    private void granularity(ConfStatement s) {
        String g = v.one(s);
        if (g == null) {
            return;
        }
        if (g.indexOf('.') >= 0) {
            long mask = ConfValues.solidNetmask(g);
            if (mask < 0) {
                d.error(s.at(), "persistence_granularity '" + g + "' is not a contiguous IPv4 netmask");
                return;
            }
            netmask = (int) mask;
            netmaskAf = Af.INET;
        } else {
            Long len = v.number(s, g, 1, 128);
            if (len == null) {
                return;
            }
            netmask = len.intValue();
            netmaskAf = Af.INET6;
        }
        if (persistTimeout == null) {
            // keepalived: a granularity makes the service persistent with the default timeout
            persistTimeout = ServiceConfig.DEFAULT_PERSIST_TIMEOUT;
        }
    }

    private void protocol(ConfStatement s) {
        String p = v.one(s);
        if (p == null) {
            return;
        }
        protocolAt = s.at();
        switch (p.toUpperCase(Locale.ROOT)) {
            case "TCP" -> protocol = IpProto.TCP;
            case "UDP" -> protocol = IpProto.UDP;
            case "SCTP" -> protocol = IpProto.SCTP;
            default -> d.error(s.at(), "unknown protocol '" + p + "' (TCP, UDP or SCTP)");
        }
    }

    private void ipFamily(ConfStatement s) {
        String f = v.one(s);
        if ("inet".equals(f)) {
            ipFamily = Af.INET;
        } else if ("inet6".equals(f)) {
            ipFamily = Af.INET6;
        } else if (f != null) {
            d.error(s.at(), "ip_family must be inet or inet6, not '" + f + "'");
        }
    }

    private void sorryServer(ConfStatement s) {
        if (s.args().isEmpty() || s.args().size() > 2) {
            d.error(s.at(), "sorry_server needs an address and optionally a port");
            return;
        }
        sorryAddress = v.address(s, s.arg(0), "sorry server");
        if (s.args().size() == 2) {
            sorryPort = v.port(s, s.arg(1), "sorry server", true);
        }
        sorryAt = s.at();
    }

    private void realServer(ConfStatement s) {
        Real r = new Real();
        r.at = s.at();
        if (s.args().isEmpty() || s.args().size() > 2) {
            d.error(s.at(), "real_server needs an address and optionally a port");
            return;
        }
        r.address = v.address(s, s.arg(0), "real server");
        if (s.args().size() == 2) {
            r.port = v.port(s, s.arg(1), "real server", true);
        }
        if (s.block() == null) {
            d.error(s.at(), "real_server needs a { } block");
            return;
        }
        for (ConfStatement st : s.block()) {
            realStatement(r, st);
        }
        if (r.address != null) {
            reals.add(r);
        }
    }

    private void realStatement(Real r, ConfStatement s) {
        if (v.common(s, r.settings)) {
            return;
        }
        if (KeepalivedChecker.isChecker(s.keyword())) {
            KeepalivedChecker c = KeepalivedChecker.parse(s, v);
            if (c != null) {
                r.checkers.add(c);
            } else {
                r.notRun.add(s.keyword());
            }
            return;
        }
        switch (s.keyword()) {
            case "weight" -> r.weight = intValue(v.number(s, 0, 65_535));
            case "lvs_method" -> r.forward = v.forward(s);
            case "uthreshold" -> r.upper = orZero(v.number(s, 0, Integer.MAX_VALUE));
            case "lthreshold" -> r.lower = orZero(v.number(s, 0, Integer.MAX_VALUE));
            case "virtualhost" -> r.virtualhost = v.host(s);
            case "notify_up", "notify_down" ->
                d.warn(s.at(), "'" + s.keyword() + "' is not supported: UVS runs no notify scripts");
            case "smtp_alert", "snmp_name" -> d.info(s.at(), "'" + s.keyword() + "' does not apply to UVS: ignored");
            default -> v.unknown(s, "real_server");
        }
    }

    private static int orZero(Long n) {
        return n == null ? 0 : n.intValue();
    }

    /**
     * Adds the services, real servers and checks of this virtual server; {@code ca} is the global SSL block's
     * CA (or null) and {@code files} the track_file blocks, both for its checkers.
     */
    void emit(RuleBook rules, List<ReadCheck> checks, String ca, KeepalivedTrackFiles files) {
        if (reals.isEmpty()) {
            d.warn(at, "virtual server has no real servers: left out (keepalived ignores it)");
            return;
        }
        List<ServiceKey> keys = keys();
        if (keys.isEmpty()) {
            return;
        }
        boolean anyAddress = keys.stream().anyMatch(k -> !k.isFwmark());
        if (haSuspend && keys.stream().anyMatch(ServiceKey::isFwmark)) {
            d.warn(at, "ha_suspend cannot be used with fwmarks: cleared");
            haSuspend = false;
        }
        if (ops && protocol != null && protocol != IpProto.UDP && anyAddress) {
            d.warn(at, "ops (one-packet scheduling) needs UDP: cleared");
            ops = false;
        }
        if (persistTimeout == null && keys.stream().anyMatch(k -> !k.isFwmark() && k.port() == 0)) {
            d.warn(at, "port 0 is only valid for a persistent service: made persistent ("
                + ServiceConfig.DEFAULT_PERSIST_TIMEOUT + " s), as keepalived does");
            persistTimeout = ServiceConfig.DEFAULT_PERSIST_TIMEOUT;
        }
        if (scheduler == null) {
            d.info(at, "no lvs_sched: keepalived's default " + DEFAULT_SCHEDULER + " is used");
            scheduler = DEFAULT_SCHEDULER;
        } else if (!SCHEDULERS.contains(scheduler)) {
            d.error(at, "unknown scheduler '" + scheduler + "' (UVS has: " + String.join(" ", SCHEDULERS.names())
                + ")");
            return;
        }
        if (forward == null && reals.stream().anyMatch(r -> r.forward == null)) {
            d.info(at, "no lvs_method: keepalived's default NAT is used");
        }
        quorum();
        int svcFlags = schedulerFlags() | (ops ? ServiceFlags.ONEPACKET : 0);
        for (ServiceKey key : keys) {
            service(key, svcFlags, rules, checks, ca, files);
        }
    }

    // the services this block stands for, with the protocol defaults and warnings keepalived applies
    private List<ServiceKey> keys() {
        boolean anyAddress = vip != null
            || (group != null && group.entries().stream().anyMatch(e -> e.address() != null));
        boolean anyMark = fwmark != 0 || (group != null && group.entries().stream().anyMatch(e -> e.address() == null));
        int proto = protocol == null ? IpProto.UDP : protocol;
        if (anyAddress && protocol == null) {
            d.warn(at, "no protocol set: UDP is used, as keepalived does (add 'protocol TCP' for TCP)");
        }
        if (!anyAddress && anyMark && protocol != null) {
            d.warn(protocolAt, "protocol is ignored for a fwmark service");
        }
        List<ServiceKey> keys = new ArrayList<>();
        if (vip != null) {
            keys.add(ServiceKey.of(proto, vip, Math.max(port, 0)));
        } else if (fwmark != 0) {
            keys.add(ServiceKey.fwmark((int) fwmark, markFamily()));
        } else {
            for (KeepalivedGroup.Entry e : group.entries()) {
                keys.add(e.address() != null ? ServiceKey.of(proto, e.address(), Math.max(e.port(), 0))
                    : ServiceKey.fwmark((int) e.fwmark(), e.af() != 0 ? e.af() : markFamily()));
            }
            if (keys.isEmpty()) {
                d.warn(at, "virtual_server_group " + group.name() + " has no entries: virtual server left out");
            }
        }
        return keys;
    }

    // a fwmark service takes its family from ip_family, the granularity, or its (non-tunnel) servers
    private int markFamily() {
        if (ipFamily != 0) {
            return ipFamily;
        }
        if (netmaskAf != 0) {
            return netmaskAf;
        }
        if (sorryAddress != null && (sorryForward == null || sorryForward.method() != ForwardMethod.TUNNEL)) {
            return sorryAddress.af();
        }
        int family = 0;
        for (Real r : reals) {
            if (method(r) != ForwardMethod.TUNNEL) {
                return r.address.af();
            }
            family = family == 0 || family == r.address.af() ? r.address.af() : -1;
        }
        return family > 0 ? family : Af.INET;
    }

    private void quorum() {
        if (quorum == null) {
            if (hysteresis != null) {
                d.warn(at, "hysteresis without quorum has no effect");
            }
            return;
        }
        long sum = 0;
        for (Real r : reals) {
            sum += weight(r);
        }
        if (quorum > sum) {
            d.warn(at, "quorum " + quorum + " exceeds the total weight " + sum + " of the real servers: lowered to "
                + sum + ", as keepalived does");
            quorum = (int) sum;
        }
        if (hysteresis != null && hysteresis >= quorum) {
            int h = Math.max(quorum - 1, 0);
            d.warn(at, "hysteresis " + hysteresis + " is not below quorum " + quorum + ": set to " + h);
            hysteresis = h;
        }
    }

    private int schedulerFlags() {
        int f = 0;
        for (Flag flag : flags) {
            String family = flag.name().substring(0, 2);
            if ((family.equals("sh") || family.equals("mh")) && !scheduler.equals(family)) {
                d.warn(flag.at(), "'" + flag.name() + "' only applies to the " + family + " scheduler: ignored");
                continue;
            }
            f |= switch (flag.name()) {
                case "flag-1", "sh-fallback", "mh-fallback" -> ServiceFlags.SCHED1;
                case "flag-2", "sh-port", "mh-port" -> ServiceFlags.SCHED2;
                default -> ServiceFlags.SCHED3;
            };
        }
        return f;
    }

    private void service(ServiceKey key, int svcFlags, RuleBook rules, List<ReadCheck> checks, String ca,
                         KeepalivedTrackFiles files) {
        List<Real> members = new ArrayList<>();
        for (Real r : reals) {
            if (method(r) != ForwardMethod.TUNNEL && r.address.af() != key.af()) {
                d.warn(r.at, "real server " + r.address + " is not of the address family of " + key
                    + " (only tunnelled servers may differ): left out of it");
            } else {
                members.add(r);
            }
        }
        if (members.isEmpty()) {
            d.warn(at, key + " has no real servers of its address family: left out");
            return;
        }
        int mask = netmask != null && netmaskAf == key.af() ? netmask : key.af() == Af.INET6 ? 128 : 0xffff_ffff;
        if (netmask != null && netmaskAf != key.af()) {
            d.warn(at, "persistence_granularity does not suit the address family of " + key + ": ignored for it");
        }
        int f = svcFlags | (persistTimeout != null ? ServiceFlags.PERSISTENT : 0);
        ServiceConfig config = new ServiceConfig(scheduler, f,
            persistTimeout != null ? persistTimeout : ServiceConfig.DEFAULT_PERSIST_TIMEOUT, mask, pe);
        if (!rules.addService(at, key, config, d)) {
            return;
        }
        SorryServer sorry = sorry(key);
        for (Real r : members) {
            real(key, r, sorry, rules, checks, ca, files);
        }
    }

    private void real(ServiceKey key, Real r, SorryServer sorry, RuleBook rules, List<ReadCheck> checks, String ca,
                      KeepalivedTrackFiles files) {
        ForwardSpec fwd = r.forward != null ? r.forward : forward != null ? forward : ForwardSpec.NAT;
        int rport = port(key, fwd.method(), r.port, r.at, "real server " + r.address);
        CheckDefaults inherited = r.settings.under(settings);
        FailureAction onFailure = Boolean.TRUE.equals(inherited.inhibit) ? FailureAction.QUIESCE : FailureAction.REMOVE;
        int w = weight(r);
        boolean startsDown = r.checkers.stream().anyMatch(c -> c.alpha(inherited));
        RealServerConfig config = fwd.config(startsDown ? 0 : w, r.upper, r.lower);
        if (!rules.addDest(r.at, key, r.address, rport, config, d)) {
            return;
        } else if (startsDown && onFailure == FailureAction.REMOVE) {
            // in the rules (weight 0) so that its method and thresholds are known when its check adds it
            d.info(r.at, "alpha: real server " + r.address + " starts down: weight 0 in the rules of " + key
                + ", taken out when the health checks start; its check adds it with weight " + w);
        } else if (startsDown) {
            d.info(r.at, "alpha: real server " + r.address + " starts down with weight 0 in " + key
                + "; its check sets weight " + w);
        }
        String vhost = CheckDefaults.pick(r.virtualhost, virtualhost);
        if (r.checkers.isEmpty()) {
            CheckText text = serviceText(false);
            CheckedServer server = new CheckedServer(r.at, key, r.address, rport, w,
                KeepalivedChecker.noCheckTiming(inherited), onFailure, sorry);
            if (r.notRun.isEmpty()) {
                checks.add(ReadCheck.notRun(server, "always-up", text, null));
            } else {
                // the real server is up unchecked: the import says so at its line
                String notRun = String.join(" ", r.notRun);
                checks.add(ReadCheck.notRun(server, "always-up", text.add("not_run", notRun),
                    "UVS does not run " + notRun + " checks"));
            }
            return;
        }
        ServiceQuorum q = quorum(key);
        for (KeepalivedChecker c : r.checkers) {
            CheckedServer server = new CheckedServer(c.at, key, r.address, rport, w, c.timing(inherited), onFailure,
                sorry);
            boolean alpha = c.alpha(inherited);
            checks.add(c.read(server, vhost, alpha, serviceText(alpha), haSuspend, q, ca, files));
        }
    }

    // the virtual server's settings of its checks, as written for the report
    private CheckText serviceText(boolean alpha) {
        CheckText t = new CheckText();
        if (alpha) {
            t.add("alpha", "yes");
        }
        if (haSuspend) {
            t.add("ha_suspend", "yes");
        }
        if (quorum != null) {
            t.add("quorum", quorum.toString());
        }
        if (hysteresis != null && quorum != null) {
            t.add("hysteresis", hysteresis.toString());
        }
        if (quorumUp != null) {
            t.add("quorum_up", quorumUp);
        }
        if (quorumDown != null) {
            t.add("quorum_down", quorumDown);
        }
        if (omega) {
            t.add("omega", "yes");
        }
        return t;
    }

    // the service's quorum when the block sets one (keepalived: quorum 1, no hysteresis otherwise)
    private ServiceQuorum quorum(ServiceKey key) {
        if (quorum == null && quorumUp == null && quorumDown == null && !omega) {
            return null;
        }
        int q = Math.max(quorum == null ? 1 : quorum, 1);
        int h = quorum == null || hysteresis == null ? 0 : hysteresis;
        return new ServiceQuorum(key, q, Math.min(h, q - 1), command(quorumUp), command(quorumDown), omega);
    }

    private static List<String> command(String text) {
        return text == null || text.isBlank() ? List.of() : List.of(text.trim().split("\\s+"));
    }

    private SorryServer sorry(ServiceKey key) {
        if (sorryAddress == null) {
            return null;
        }
        ForwardSpec fwd = sorryForward != null ? sorryForward : forward != null ? forward : ForwardSpec.NAT;
        if (fwd.method() != ForwardMethod.TUNNEL && sorryAddress.af() != key.af()) {
            d.warn(sorryAt, "sorry server " + sorryAddress + " is not of the address family of " + key + ": left out");
            return null;
        }
        int p = port(key, fwd.method(), sorryPort, sorryAt, "sorry server");
        return new SorryServer(key, sorryAddress, p, fwd.config(1, 0, 0),
            sorryInhibit ? FailureAction.QUIESCE : FailureAction.REMOVE);
    }

    // only NAT maps ports: other methods use the virtual port (none for a fwmark service)
    private int port(ServiceKey key, ForwardMethod m, int given, SourceLocation where, String what) {
        if (key.isFwmark()) {
            if (m != ForwardMethod.MASQ && given > 0) {
                d.warn(where, what + ": a port is ignored for a fwmark service unless NAT");
                return 0;
            }
            return Math.max(given, 0);
        }
        if (given <= 0) {
            return key.port();
        }
        if (m != ForwardMethod.MASQ && given != key.port()) {
            d.warn(where, what + ": port " + given + " differs from the virtual port " + key.port()
                + ", which DR and TUN must use: port " + key.port() + " is used");
            return key.port();
        }
        return given;
    }

    private ForwardMethod method(Real r) {
        return r.forward != null ? r.forward.method() : forward != null ? forward.method() : ForwardMethod.MASQ;
    }

    private int weight(Real r) {
        return r.weight != null ? r.weight : weight != null ? weight : 1;
    }
}
