package uvs.daemon.health;

import uvs.core.net.IpAddress;

/** Text for logs, check details and Host headers. */
final class LogText {
    private LogText() {
    }

    /** {@code 10.0.0.1} or {@code [2001:db8::1]}. */
    static String host(IpAddress a) {
        return a.isV6() ? "[" + a + "]" : a.toString();
    }

    /** {@code SocketTimeoutException: Read timed out}: an exception as a check detail. */
    static String describe(Exception e) {
        String name = e.getClass().getSimpleName();
        return e.getMessage() == null ? name : name + ": " + e.getMessage();
    }
}
