package uvs.ctl.importer;

import java.time.Duration;
import java.util.List;
import uvs.core.net.IpAddress;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.TunnelChecksum;
import uvs.core.svc.TunnelType;
import uvs.ctl.health.CheckKind;

/**
 * Reads the values of keepalived statements: a missing or malformed value is an error at the statement, extra
 * words are a warning; every reader answers null after reporting.
 */
final class KeepalivedValues {
    private final Diagnostics d;

    KeepalivedValues(Diagnostics d) {
        this.d = d;
    }

    Diagnostics diagnostics() {
        return d;
    }

    /** The only argument. */
    String one(ConfStatement s) {
        noBlock(s);
        if (s.args().isEmpty()) {
            d.error(s.at(), "'" + s.keyword() + "' needs a value");
            return null;
        }
        extra(s, 1);
        return s.arg(0);
    }

    /** The value of a {@code virtualhost} statement, or null after an error when no HTTP request could carry it. */
    String host(ConfStatement s) {
        String h = one(s);
        String problem = h == null ? null : CheckKind.Http.hostProblem(h);
        if (problem != null) {
            d.error(s.at(), "'" + s.keyword() + "': " + problem);
            return null;
        }
        return h;
    }

    /** A statement without arguments. */
    void flag(ConfStatement s) {
        noBlock(s);
        extra(s, 0);
    }

    /** An optional BOOL argument; the bare keyword means true. */
    Boolean optionalBool(ConfStatement s) {
        noBlock(s);
        if (s.args().isEmpty()) {
            return Boolean.TRUE;
        }
        extra(s, 1);
        Boolean b = ConfValues.bool(s.arg(0));
        if (b == null) {
            d.error(s.at(), "'" + s.keyword() + "' takes on|off|true|false|yes|no, not '" + s.arg(0) + "'");
        }
        return b;
    }

    /** A TIMER (seconds, fractions allowed). */
    Duration timer(ConfStatement s) {
        String v = one(s);
        if (v == null) {
            return null;
        }
        Duration t = ConfValues.timer(v);
        if (t == null) {
            d.error(s.at(), "'" + s.keyword() + "' needs a time in seconds, not '" + v + "'");
        }
        return t;
    }

    /** A whole number in min..max. */
    Long number(ConfStatement s, long min, long max) {
        String v = one(s);
        return v == null ? null : number(s, v, min, max);
    }

    /** {@code text}, an argument of {@code s}, as a whole number in min..max. */
    Long number(ConfStatement s, String text, long min, long max) {
        long n = ConfValues.number(text, min, max);
        if (n < 0) {
            d.error(s.at(), "'" + s.keyword() + "': '" + text + "' is not a number in " + min + ".." + max);
            return null;
        }
        return n;
    }

    /** A numeric address (names are not resolved). */
    IpAddress address(ConfStatement s, String text, String what) {
        IpAddress a = ConfValues.address(text);
        if (a == null) {
            d.error(s.at(), "invalid " + what + " address '" + text + "' (a numeric IPv4 or IPv6 address is needed)");
        }
        return a;
    }

    /** A port 0..65535 (or 1..65535 when zero is not allowed); -1 after an error. */
    int port(ConfStatement s, String text, String what, boolean zeroAllowed) {
        int p = ConfValues.port(text);
        if (p < 0 || (p == 0 && !zeroAllowed)) {
            d.error(s.at(), "invalid " + what + " port '" + text + "' (a number in " + (zeroAllowed ? 0 : 1)
                + "..65535 is needed)");
            return -1;
        }
        return p;
    }

    /** {@code lvs_method NAT|DR|TUN [type ipip|gue port N|gre] [nocsum|csum|remcsum]} (also lb_kind). */
    ForwardSpec forward(ConfStatement s) {
        noBlock(s);
        List<String> a = s.args();
        if (a.isEmpty()) {
            d.error(s.at(), "'" + s.keyword() + "' needs NAT, DR or TUN");
            return null;
        }
        switch (a.get(0)) {
            case "NAT" -> {
                extra(s, 1);
                return ForwardSpec.NAT;
            }
            case "DR" -> {
                extra(s, 1);
                return ForwardSpec.of(ForwardMethod.ROUTE);
            }
            case "TUN" -> {
                return tunnel(s);
            }
            default -> {
                d.error(s.at(), "unknown forwarding method '" + a.get(0) + "' (NAT, DR or TUN)");
                return null;
            }
        }
    }

    private ForwardSpec tunnel(ConfStatement s) {
        List<String> a = s.args();
        TunnelType type = TunnelType.IPIP;
        int port = 0;
        TunnelChecksum csum = TunnelChecksum.NOCSUM;
        int i = 1;
        if (i < a.size() && a.get(i).equals("type")) {
            if (i + 1 >= a.size()) {
                d.error(s.at(), "'type' needs ipip, gue or gre");
                return null;
            }
            switch (a.get(i + 1)) {
                case "ipip" -> type = TunnelType.IPIP;
                case "gre" -> type = TunnelType.GRE;
                case "gue" -> type = TunnelType.GUE;
                default -> {
                    d.error(s.at(), "unknown tunnel type '" + a.get(i + 1) + "' (ipip, gue or gre)");
                    return null;
                }
            }
            i += 2;
            if (type == TunnelType.GUE) {
                if (i + 1 >= a.size() || !a.get(i).equals("port")) {
                    d.error(s.at(), "tunnel type gue needs 'port N'");
                    return null;
                }
                port = port(s, a.get(i + 1), "GUE tunnel", false);
                if (port < 0) {
                    return null;
                }
                i += 2;
            }
        }
        if (i < a.size()) {
            switch (a.get(i)) {
                case "nocsum" -> csum = TunnelChecksum.NOCSUM;
                case "csum" -> csum = TunnelChecksum.CSUM;
                case "remcsum" -> csum = TunnelChecksum.REMCSUM;
                default -> {
                    d.error(s.at(), "unexpected '" + a.get(i) + "' in " + s.keyword() + " TUN");
                    return null;
                }
            }
            i++;
            if (csum != TunnelChecksum.NOCSUM && type == TunnelType.IPIP
                || csum == TunnelChecksum.REMCSUM && type != TunnelType.GUE) {
                d.error(s.at(), "checksum option '" + a.get(i - 1) + "' does not go with tunnel type "
                    + type.ipvsadmName());
                return null;
            }
        }
        extra(s, i);
        return new ForwardSpec(ForwardMethod.TUNNEL, type, port, csum);
    }

    /**
     * The checker settings every level shares (connect_timeout, retry, delay_before_retry, warmup, delay_loop,
     * alpha, inhibit_on_failure); true when {@code s} was one of them.
     */
    boolean common(ConfStatement s, CheckDefaults c) {
        switch (s.keyword()) {
            case "connect_timeout" -> c.connectTimeout = timer(s);
            case "delay_loop" -> c.delayLoop = timer(s);
            case "delay_before_retry" -> c.delayBeforeRetry = timer(s);
            case "warmup" -> c.warmup = timer(s);
            case "retry", "nb_get_retry" -> {
                Long n = number(s, 0, 0xffff_ffffL);
                c.retry = n == null ? null : (int) Math.min(n, Integer.MAX_VALUE);
            }
            case "alpha" -> c.alpha = optionalBool(s);
            case "inhibit_on_failure" -> c.inhibit = optionalBool(s);
            default -> {
                return false;
            }
        }
        return true;
    }

    /** Warns about a keyword the block does not know. */
    void unknown(ConfStatement s, String where) {
        d.warn(s.at(), "unknown keyword '" + s.keyword() + "' in " + where + ": ignored");
    }

    private void noBlock(ConfStatement s) {
        if (s.hasBlock()) {
            d.warn(s.at(), "'" + s.keyword() + "' takes no { } block: block ignored");
        }
    }

    private void extra(ConfStatement s, int used) {
        if (s.args().size() > used) {
            d.warn(s.at(), "extra words after '" + s.keyword() + "' ignored: "
                + String.join(" ", s.args().subList(used, s.args().size())));
        }
    }
}
