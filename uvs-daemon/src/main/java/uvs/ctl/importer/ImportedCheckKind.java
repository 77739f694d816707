package uvs.ctl.importer;

/** What an {@link ImportedCheck} does to decide whether a real server is up. */
public enum ImportedCheckKind {
    /** TCP connect (keepalived TCP_CHECK, ldirectord checktype=connect). */
    TCP,
    /** HTTP request (keepalived HTTP_GET, ldirectord negotiate with service=http). */
    HTTP,
    /** HTTP over TLS (keepalived SSL_GET, ldirectord negotiate with service=https). */
    HTTPS,
    /** SMTP dialogue. */
    SMTP,
    /** DNS query. */
    DNS,
    /** UDP datagram, optionally expecting a reply (keepalived UDP_CHECK). */
    UDP,
    /** ICMP echo. */
    PING,
    /** A tracked file's number decides (keepalived FILE_CHECK; fields {@code file}, {@code weight}, {@code reverse}). */
    FILE,
    /** A program whose exit status decides (keepalived MISC_CHECK, ldirectord external). */
    EXTERNAL,
    /** ldirectord's request/receive negotiation of another service (field {@code service} names it). */
    NEGOTIATE,
    /** No check: the real server is always up (ldirectord checktype=on or service=none). */
    ALWAYS_UP,
    /** No check: the real server is never activated (ldirectord checktype=off). */
    ALWAYS_DOWN
}
