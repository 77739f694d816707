package uvs.ctl.importer;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import uvs.core.net.IpAddress;
import uvs.core.svc.ForwardMethod;

/**
 * An ldirectord {@code fallback} (or {@code fallback6}): {@code address[:port] [gate|masq|ipip]}, gate when
 * no method is given.
 *
 * @param at its line
 * @param address the server
 * @param port the port, -1 when none is given (the virtual port is used)
 * @param method the forwarding method
 */
record LdirectordFallback(SourceLocation at, IpAddress address, int port, ForwardMethod method) {
    private static final Pattern FORM = Pattern.compile("(\\S+?)(?::([0-9A-Za-z_-]+))?(?:\\s+(\\S+))?\\s*");

    /** Parses the value; null after an error. */
    static LdirectordFallback parse(SourceLocation at, String value, boolean v6, Diagnostics d) {
        Matcher m = FORM.matcher(value);
        if (!m.matches()) {
            d.error(at, "invalid fallback server '" + value + "' (address[:port] [gate|masq|ipip])");
            return null;
        }
        String host = m.group(1);
        if (v6 != (host.startsWith("[") && host.endsWith("]"))) {
            d.error(at, v6 ? "fallback6 needs a bracketed IPv6 address, e.g. [2001:db8::1]:80"
                : "fallback needs a numeric IPv4 address (use fallback6 for IPv6)");
            return null;
        }
        IpAddress a = ConfValues.address(v6 ? host.substring(1, host.length() - 1) : host);
        if (a == null || a.isV6() != v6) {
            d.error(at, "invalid fallback server address '" + host + "' (a numeric address is needed; names are not "
                + "resolved)");
            return null;
        }
        int port = -1;
        if (m.group(2) != null) {
            port = ServicePorts.port(m.group(2));
            if (port < 0) {
                d.error(at, "invalid fallback server port '" + m.group(2) + "'");
                return null;
            }
        }
        ForwardMethod method = ForwardMethod.ROUTE;
        if (m.group(3) != null) {
            method = LdirectordVirtual.forward(m.group(3));
            if (method == null) {
                d.error(at, "forward method must be gate, masq or ipip, not '" + m.group(3) + "'");
                return null;
            }
        }
        return new LdirectordFallback(at, a, port, method);
    }
}
