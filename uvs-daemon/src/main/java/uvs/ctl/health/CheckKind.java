package uvs.ctl.health;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import uvs.core.net.IpAddress;

/** What a health check does, with the fields of its kind. */
public sealed interface CheckKind {

    /** True for the kinds that talk to a port of the real server (all but {@link External} and {@link Ping}). */
    default boolean isNetwork() {
        return true;
    }

    /** TCP connect: up when the three-way handshake completes (keepalived TCP_CHECK, ldirectord connect). */
    record Tcp() implements CheckKind {
    }

    /**
     * HTTP or HTTPS GET (keepalived HTTP_GET / SSL_GET, ldirectord negotiate with service http/https).
     * The request is {@code GET path HTTP/1.0} on a fresh connection. HTTPS does not verify the server's
     * certificate unless {@code verifyCertificate}, as keepalived's SSL_GET: real servers commonly present
     * self-signed certificates or ones issued for the virtual name, not the real address.
     *
     * @param tls HTTPS instead of HTTP
     * @param verifyCertificate HTTPS only: check the certificate chain and the name ({@code host}, or the
     *     real server's address) against the JDK's trust store, or against {@code caFile}
     * @param path request path, starting with {@code /}
     * @param host Host header and TLS server name (keepalived {@code virtualhost}); null = the address
     *     (and port when it is not the scheme's default)
     * @param statusCodes accepted status codes (keepalived {@code status_code})
     * @param expect text the body must contain (ldirectord {@code receive}, taken literally), or null
     * @param digest MD5 of the body as 32 hex digits (keepalived {@code digest}, from genhash), or null
     * @param caFile PEM (or DER) file of the certificates trusted to issue the server's (keepalived's global
     *     {@code SSL { ca FILE }}); the chain is verified against them, and the name too when {@code host} is
     *     set (a real server is usually addressed by its IP, its certificate issued for the virtual name);
     *     null: the JDK's trust store when {@code verifyCertificate}
     */
    record Http(boolean tls, boolean verifyCertificate, String path, String host, StatusCodes statusCodes,
                String expect, String digest, Path caFile) implements CheckKind {
        /** Validates the fields; the digest is kept in lower case. */
        public Http {
            if (verifyCertificate && !tls) {
                throw new IllegalArgumentException("verifyCertificate needs tls (HTTPS)");
            }
            if (caFile != null && !verifyCertificate) {
                throw new IllegalArgumentException("caFile needs verifyCertificate");
            }
            String problem = pathProblem(path);
            if (problem == null && host != null) {
                problem = hostProblem(host);
            }
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            if (statusCodes == null) {
                throw new IllegalArgumentException("statusCodes must not be null");
            }
            if (expect != null && expect.isEmpty()) {
                throw new IllegalArgumentException("expect must be null (no body check) or non-empty");
            }
            if (digest != null) {
                if (digest.length() != 32 || !digest.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                    throw new IllegalArgumentException("digest must be an MD5 of 32 hex digits, got '" + digest + "'");
                }
                digest = digest.toLowerCase(Locale.ROOT);
            }
        }

        /** Why {@code path} cannot be requested (it must start with '/', with no blank or control), or null. */
        public static String pathProblem(String path) {
            return path == null || !path.startsWith("/") || hasSpaceOrControl(path)
                ? "path must start with '/' and have no spaces or control characters: '" + path + "'" : null;
        }

        /** Why {@code host} cannot be sent as the Host header and TLS server name, or null. */
        public static String hostProblem(String host) {
            return host == null || host.isEmpty() || hasSpaceOrControl(host)
                ? "host must be non-empty without spaces or control characters: '" + host + "'" : null;
        }

        /** A check trusting the JDK's trust store when it verifies. */
        public Http(boolean tls, boolean verifyCertificate, String path, String host, StatusCodes statusCodes,
                    String expect, String digest) {
            this(tls, verifyCertificate, path, host, statusCodes, expect, digest, null);
        }

        /** HTTP GET of {@code path} accepting any 2xx. */
        public static Http get(String path) {
            return new Http(false, false, path, null, StatusCodes.SUCCESS, null, null);
        }

        /** HTTPS GET of {@code path} accepting any 2xx, certificate not verified. */
        public static Http tlsGet(String path) {
            return new Http(true, false, path, null, StatusCodes.SUCCESS, null, null);
        }

        /** Copy with a Host header / TLS server name. */
        public Http withHost(String h) {
            return new Http(tls, verifyCertificate, path, h, statusCodes, expect, digest, caFile);
        }

        /** Copy accepting {@code codes}, e.g. {@code 200-299,301}. */
        public Http withStatusCodes(String codes) {
            return new Http(tls, verifyCertificate, path, host, StatusCodes.parse(codes), expect, digest, caFile);
        }

        /** Copy requiring the body to contain {@code text}. */
        public Http withExpect(String text) {
            return new Http(tls, verifyCertificate, path, host, statusCodes, text, digest, caFile);
        }

        /** Copy requiring the body's MD5 to be {@code md5Hex}. */
        public Http withDigest(String md5Hex) {
            return new Http(tls, verifyCertificate, path, host, statusCodes, expect, md5Hex, caFile);
        }

        /** Copy that verifies the server certificate (HTTPS only). */
        public Http verifyingCertificate() {
            return new Http(tls, true, path, host, statusCodes, expect, digest, caFile);
        }

        /** Copy verifying the server's certificate against the certificates in {@code ca}. */
        public Http verifyingAgainst(Path ca) {
            return new Http(tls, true, path, host, statusCodes, expect, digest, ca);
        }

        private static boolean hasSpaceOrControl(String s) {
            return s.chars().anyMatch(c -> c <= ' ' || c == 0x7f);
        }
    }

    /**
     * Several HTTP or HTTPS GETs on the same server, each on its own connection and with its own timeout,
     * in order (keepalived HTTP_GET / SSL_GET with more than one {@code url} block): up only when every one
     * passes, down at the first that fails.
     *
     * @param urls the requests, at least two, all HTTP or all HTTPS
     */
    record HttpUrls(List<Http> urls) implements CheckKind {
        /** Validates and copies the list. */
        public HttpUrls {
            // List.of's contains(null) throws: look for a null by hand
            if (urls == null || urls.size() < 2 || urls.stream().anyMatch(Objects::isNull)) {
                throw new IllegalArgumentException("HttpUrls needs at least two urls (one is an Http check), got "
                    + urls);
            }
            urls = List.copyOf(urls);
            for (Http h : urls) {
                if (h.tls() != urls.getFirst().tls()) {
                    throw new IllegalArgumentException("the urls of one check are all HTTP or all HTTPS");
                }
            }
        }
    }

    /**
     * UDP request/response (keepalived UDP_CHECK). One datagram with {@code payload} is sent from a
     * connected socket. With {@code requireReply} the server is up only if a reply arrives within the
     * timeout (and starts with {@code expect} when given); without it the server is up unless an ICMP port
     * unreachable comes back within the timeout.
     *
     * @param payload datagram to send (may be empty)
     * @param requireReply whether a reply is needed (keepalived {@code require_reply})
     * @param expect bytes the reply must start with, or null for any reply; needs {@code requireReply}
     */
    record Udp(byte[] payload, boolean requireReply, byte[] expect) implements CheckKind {
        /** Largest UDP payload over IPv4. */
        public static final int MAX_PAYLOAD = 65_507;

        /** Validates and copies the arrays. */
        public Udp {
            if (payload == null || payload.length > MAX_PAYLOAD) {
                throw new IllegalArgumentException("payload must be 0.." + MAX_PAYLOAD + " bytes, got "
                    + (payload == null ? "null" : payload.length));
            }
            if (expect != null && !requireReply) {
                throw new IllegalArgumentException("expect needs requireReply: without a required reply there is"
                    + " nothing to compare");
            }
            payload = payload.clone();
            expect = expect == null ? null : expect.clone();
        }

        /** A copy of the payload. */
        @Override
        public byte[] payload() {
            return payload.clone();
        }

        /** A copy of the expected reply prefix, or null. */
        @Override
        public byte[] expect() {
            return expect == null ? null : expect.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Udp u && requireReply == u.requireReply && Arrays.equals(payload, u.payload)
                && Arrays.equals(expect, u.expect);
        }

        @Override
        public int hashCode() {
            return (Arrays.hashCode(payload) * 31 + Arrays.hashCode(expect)) * 31 + Boolean.hashCode(requireReply);
        }

        @Override
        public String toString() {
            HexFormat hex = HexFormat.of();
            return "Udp[payload=" + hex.formatHex(payload) + ", requireReply=" + requireReply + ", expect="
                + (expect == null ? "any" : hex.formatHex(expect)) + "]";
        }
    }

    /**
     * SMTP (keepalived SMTP_CHECK, ldirectord service=smtp): greeting 220, {@code HELO helo} answered 250, QUIT.
     *
     * @param helo the name sent with HELO (keepalived {@code helo_name}, default {@link #DEFAULT_HELO})
     * @param hosts further servers checked the same way, all of which must pass (keepalived's {@code host}
     *     blocks); usually empty
     */
    record Smtp(String helo, List<InetSocketAddress> hosts) implements CheckKind {
        /** keepalived's default HELO name. */
        public static final String DEFAULT_HELO = "smtpchecker.keepalived.org";

        /** Validates and copies. */
        public Smtp {
            if (helo == null || helo.isEmpty() || helo.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
                throw new IllegalArgumentException("HELO name must be one word without control characters: '" + helo
                    + "'");
            }
            hosts = List.copyOf(hosts);
        }
    }

    /**
     * DNS over UDP (keepalived DNS_CHECK, ldirectord service=dns).
     *
     * @param type query type code (1 A, 2 NS, 5 CNAME, 6 SOA, 15 MX, 16 TXT, 28 AAAA)
     * @param name the name asked for ({@code .} for the root)
     * @param receive regular expression one A record's address must match (ldirectord {@code receive}), or
     *     null: any reply with RCODE 0 (keepalived)
     */
    record Dns(int type, String name, String receive) implements CheckKind {
        /** Validates the fields. */
        public Dns {
            if (type < 1 || type > 65_535) {
                throw new IllegalArgumentException("DNS type " + type + " out of range 1..65535");
            }
            if (name == null || name.isEmpty() || name.length() > 253 || !name.matches("[A-Za-z0-9_.*-]+")
                || name.contains("..")) {
                throw new IllegalArgumentException("DNS name must be letters, digits, '-', '_' in dot-separated labels: '"
                    + name + "'");
            }
            if (receive != null) {
                Pattern.compile(receive);
            }
        }
    }

    /**
     * ICMP echo (keepalived PING_CHECK, ldirectord checktype=ping): up when an echo is answered.
     *
     * @param attempts echoes tried one after the other, each with the whole timeout, until one is answered
     *     (ldirectord {@code checkcount}; keepalived 1)
     */
    record Ping(int attempts) implements CheckKind {
        /** Validates the count. */
        public Ping {
            if (attempts < 1 || attempts > 100) {
                throw new IllegalArgumentException("ping attempts must be 1..100, got " + attempts);
            }
        }

        @Override
        public boolean isNetwork() {
            return false;
        }
    }

    /**
     * ldirectord's {@code checktype=negotiate} for services where a plain exchange suffices.
     *
     * @param service the protocol
     * @param login user name (ldirectord {@code login}); empty = no login (FTP then logs in as anonymous)
     * @param password its password (ldirectord {@code passwd})
     * @param request FTP: the file fetched (empty = none); simpletcp: the text sent
     * @param receive FTP: regular expression the file must match (empty = anything); simpletcp: one a reply
     *     line must match
     */
    record Negotiate(Service service, String login, String password, String request, String receive)
        implements CheckKind {
        /** The protocols. */
        public enum Service {
            /** POP3: +OK greeting, USER/PASS when a login is set. */
            POP,
            /** IMAP: * OK greeting, LOGIN when a login is set. */
            IMAP,
            /** POP3 over TLS from the first byte (port 995), as {@link #POP}; the certificate is not verified. */
            POPS,
            /** IMAP over TLS from the first byte (port 993), as {@link #IMAP}; the certificate is not verified. */
            IMAPS,
            /** NNTP: a greeting starting with 2. */
            NNTP,
            /** FTP: login, CWD /, TYPE I, PASV and RETR of the request, matched against receive. */
            FTP,
            /** simpletcp: the request sent (backslash-n in it as a newline), then a reply line must match receive. */
            SIMPLETCP
        }

        /** Validates the fields. */
        public Negotiate {
            if (service == null || login == null || password == null || request == null || receive == null) {
                throw new IllegalArgumentException("negotiate fields must not be null (use empty strings)");
            }
            if ((login + password + (service == Service.SIMPLETCP ? "" : request)).chars()
                .anyMatch(c -> c == '\r' || c == '\n')) {
                throw new IllegalArgumentException("login, password and request must be single lines");
            }
            Pattern.compile(receive);
        }
    }

    /**
     * RADIUS (ldirectord service=radius): an Access-Request for {@code login}/{@code password}; up on an
     * Access-Accept signed with {@code secret}.
     *
     * @param login User-Name (ldirectord {@code login})
     * @param password User-Password (ldirectord {@code passwd})
     * @param secret the shared secret (ldirectord {@code secret})
     */
    record Radius(String login, String password, String secret) implements CheckKind {
        /** Validates the fields. */
        public Radius {
            if (login == null || password == null || secret == null || secret.isEmpty()) {
                throw new IllegalArgumentException("RADIUS needs a login, a password and a non-empty secret");
            }
            if (password.getBytes(StandardCharsets.UTF_8).length > 128) {
                throw new IllegalArgumentException("RADIUS password longer than 128 bytes");
            }
        }

        @Override
        public String toString() {
            return "Radius[login=" + login + "]";
        }
    }

    /**
     * The opening of a database session (ldirectord service=mysql / pgsql, handshake only: no login, no query).
     *
     * @param mysql MySQL, else PostgreSQL
     * @param login PostgreSQL: the user named in the StartupMessage (ldirectord {@code login})
     * @param database PostgreSQL: the database named (ldirectord {@code database})
     */
    record SqlHandshake(boolean mysql, String login, String database) implements CheckKind {
        /** Validates the fields. */
        public SqlHandshake {
            if (login == null || database == null || (login + database).indexOf('\0') >= 0) {
                throw new IllegalArgumentException("login and database must be strings without NUL");
            }
        }
    }

    /**
     * LDAP (ldirectord service=ldap): a simple bind, then a base search that must return one entry.
     *
     * @param login bind DN (ldirectord {@code login}); empty = anonymous
     * @param password its password (ldirectord {@code passwd})
     * @param base the entry searched (ldirectord {@code request} without its leading '/')
     * @param receive regular expression its DN must match (empty = any)
     */
    record Ldap(String login, String password, String base, String receive) implements CheckKind {
        /** Validates the fields. */
        public Ldap {
            if (login == null || password == null || base == null || receive == null) {
                throw new IllegalArgumentException("LDAP fields must not be null (use empty strings)");
            }
            Pattern.compile(receive);
        }

        @Override
        public String toString() {
            return "Ldap[login=" + login + ", base=" + base + ", receive=" + receive + "]";
        }
    }

    /**
     * Several checks of one real server, every one of which must pass (keepalived: a real server with more
     * than one checker is alive only while all of them are up). They run one after the other, each at its
     * own address with its own timeout; the first failure decides. A dynamic weight one of them reports
     * (MISC_CHECK {@code misc_dynamic}) is the server's.
     *
     * @param parts the checks, at least two, none of them an {@code AllOf}
     */
    record AllOf(List<Part> parts) implements CheckKind {
        /** Validates and copies the list. */
        public AllOf {
            // List.of's contains(null) throws: look for a null by hand
            if (parts == null || parts.size() < 2 || parts.stream().anyMatch(Objects::isNull)) {
                throw new IllegalArgumentException("AllOf needs at least two checks, got " + parts);
            }
            parts = List.copyOf(parts);
        }

        /** The parts carry their own ports. */
        @Override
        public boolean isNetwork() {
            return false;
        }
    }

    /**
     * One check of an {@link AllOf}.
     *
     * @param kind what it does (not an AllOf)
     * @param connectAddress address it talks to, or null for the real server's
     * @param connectPort port it talks to, or 0 for the real server's
     * @param bindAddress source address, or null for any
     * @param timeout how long it may take
     */
    record Part(CheckKind kind, IpAddress connectAddress, int connectPort,
                IpAddress bindAddress, Duration timeout) {
        /** Validates the fields. */
        public Part {
            if (kind == null || kind instanceof AllOf || timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("a part needs a kind (not AllOf) and a positive timeout");
            }
            if (connectPort < 0 || connectPort > 65_535) {
                throw new IllegalArgumentException("connectPort " + connectPort + " out of range 0..65535");
            }
        }
    }

    /**
     * An external command (keepalived MISC_CHECK, ldirectord external): exit code 0 means up. With
     * {@code dynamicWeight} (keepalived {@code misc_dynamic}) exit code 1 means down and 2..255 mean up
     * with weight {@code code - 2}; 0 then means up with the configured weight. Output is discarded; a
     * command still running at the timeout is killed with its descendants and counts as a failure.
     *
     * @param command program and arguments, run without a shell (use {@code sh -c '...'} for one; ldirectord's
     *     importer appends its virtual and real address/port arguments here)
     * @param dynamicWeight keepalived {@code misc_dynamic}
     */
    record External(List<String> command, boolean dynamicWeight) implements CheckKind {
        /** Validates and copies the command. */
        public External {
            if (command == null || command.isEmpty() || command.getFirst() == null || command.getFirst().isBlank()) {
                throw new IllegalArgumentException("command must name a program, got " + command);
            }
            for (int i = 0; i < command.size(); i++) {
                if (command.get(i) == null) {
                    // List.contains(null) throws on immutable lists
                    throw new IllegalArgumentException("command argument " + i + " is null: " + command);
                }
            }
            command = List.copyOf(command);
        }

        @Override
        public boolean isNetwork() {
            return false;
        }
    }

    /**
     * Another check that runs only while {@code address}, the virtual service's, is configured on this host
     * (keepalived {@code ha_suspend}): while it is not, the check is suspended and the real server keeps the
     * state, failures and weight it had; when the address comes back, checking goes on from there.
     *
     * @param check the check (not itself a {@code WhileLocal})
     * @param address the virtual address whose presence on this host runs the check
     */
    record WhileLocal(CheckKind check, IpAddress address) implements CheckKind {
        /** Validates the fields. */
        public WhileLocal {
            if (check == null || check instanceof WhileLocal || address == null) {
                throw new IllegalArgumentException("WhileLocal needs a check (not WhileLocal) and an address");
            }
        }

        @Override
        public boolean isNetwork() {
            return check.isNetwork();
        }
    }

    /**
     * A number an agent writes to a file (keepalived FILE_CHECK on a {@code track_file}): read every check
     * (keepalived reads it on each change; UVS every interval), as C's {@code strtol} reads it (a missing or
     * empty file, or no number, is 0). With {@code weight} 0 a non-zero number means down (with
     * {@code reverse}, zero means down). Otherwise the number times {@code weight} (negated with
     * {@code reverse}) is added to the real server's configured weight (at least 0), and a product at or
     * below {@code -2147483647} means down.
     *
     * @param file the file
     * @param weight the multiplier
     * @param reverse negate the product (or, with weight 0, swap up and down)
     */
    record TrackFile(Path file, int weight, boolean reverse) implements CheckKind {
        /** Validates the file. */
        public TrackFile {
            if (file == null) {
                throw new IllegalArgumentException("file must not be null");
            }
        }

        @Override
        public boolean isNetwork() {
            return false;
        }
    }
}
