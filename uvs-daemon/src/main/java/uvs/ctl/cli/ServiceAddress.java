package uvs.ctl.cli;

import uvs.core.net.IpAddress;

/**
 * ipvsadm's {@code parse_service} for {@code -t/-u/--sctp-service/-r}: {@code host[:port]} or
 * {@code [ipv6]:port}. Only numeric forms are accepted: where ipvsadm would ask the resolver
 * (gethostbyname / getservbyname) this answers "not an address", which is exactly what ipvsadm does for a
 * name that does not resolve.
 *
 * @param address the address, or null when the text is not an address
 * @param port the port, or -1 when the text names none
 */
record ServiceAddress(IpAddress address, int port) {
    private static final ServiceAddress NONE = new ServiceAddress(null, -1);

    /** True when an address was read (ipvsadm's SERVICE_ADDR). */
    boolean hasAddress() {
        return address != null;
    }

    /** True when a port was read too (ipvsadm's SERVICE_PORT). */
    boolean hasPort() {
        return port >= 0;
    }

    /** Parses like ipvsadm 1.31 (including its quirks, e.g. {@code [1.2.3.4]:80} loses the port). */
    static ServiceAddress parse(String buf) {
        if (InetText.isAllDigits(buf)) {
            return NONE;
        }
        String host = buf;
        String portText = null;
        if (buf.startsWith("[")) {
            int close = buf.indexOf(']', 1);
            if (close < 0 || close + 1 >= buf.length() || buf.charAt(close + 1) != ':') {
                return NONE;
            }
            host = buf.substring(1, close);
            portText = buf.substring(close + 2);
        }
        IpAddress address = InetText.inetPton6(host);
        if (address == null) {
            // not IPv6: the port is whatever follows the last ':' of the (unbracketed) host part
            int colon = host.lastIndexOf(':');
            portText = colon < 0 ? null : host.substring(colon + 1);
            String v4Text = colon < 0 ? host : host.substring(0, colon);
            long v4 = InetText.inetAton(v4Text);
            if (v4 < 0) {
                return NONE;
            }
            address = IpAddress.v4((int) v4);
        }
        if (portText == null) {
            return new ServiceAddress(address, -1);
        }
        int port = InetText.stringToNumber(portText, 0, 65535);
        return port < 0 ? NONE : new ServiceAddress(address, port);
    }
}
