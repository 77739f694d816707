package uvs.ctl.health;

import uvs.core.net.IpAddress;

/** Text for logs, check details and Host headers. */
public final class LogText {
    private LogText() {
    }

    /** {@code 10.0.0.1:80} or {@code [2001:db8::1]:80}. */
    public static String hostPort(IpAddress a, int port) {
        return host(a) + ":" + port;
    }

    /** {@code 10.0.0.1} or {@code [2001:db8::1]}. */
    public static String host(IpAddress a) {
        return a.isV6() ? "[" + a + "]" : a.toString();
    }

    /** {@code SocketTimeoutException: Read timed out}: an exception as a check detail. */
    public static String describe(Exception e) {
        String name = e.getClass().getSimpleName();
        return e.getMessage() == null ? name : name + ": " + e.getMessage();
    }
}
