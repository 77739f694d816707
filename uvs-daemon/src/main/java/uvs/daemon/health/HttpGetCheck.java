package uvs.daemon.health;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import uvs.core.net.IpAddress;
import uvs.ctl.health.CheckKind;

/**
 * HTTP/HTTPS GET check on a fresh connection: {@code GET path HTTP/1.0} with a Host header and
 * {@code Connection: close}; up when the status is accepted and the body contains the expected text and
 * has the expected MD5, all within the timeout. The body is read only when it is checked. See
 * {@link CheckKind.Http} for certificate handling.
 */
public final class HttpGetCheck implements HealthCheck {
    /** Most body bytes kept to look for the expected text; a longer body fails such a check. */
    public static final int MAX_KEPT_BODY = 1 << 20;

    private static final int MAX_LINE = 8192;

    private final InetSocketAddress target;
    private final InetSocketAddress source;
    private final CheckKind.Http spec;
    private final Duration timeout;
    private final String hostHeader;
    private final byte[] request;
    // the CA file's trust, read on the first check (a check thread, never at construction)
    private SSLSocketFactory trusted;

    /** A check of {@code target} as {@code spec} says. */
    public HttpGetCheck(InetSocketAddress target, CheckKind.Http spec, Duration timeout) {
        this(target, null, spec, timeout);
    }

    /** A check of {@code target} from local address {@code source} (null = any) as {@code spec} says. */
    public HttpGetCheck(InetSocketAddress target, InetSocketAddress source, CheckKind.Http spec, Duration timeout) {
        this.target = target;
        this.source = source;
        this.spec = spec;
        this.timeout = timeout;
        this.hostHeader = spec.host() != null ? spec.host() : defaultHost(target, spec.tls());
        this.request = ("GET " + spec.path() + " HTTP/1.0\r\n"
            + "Host: " + hostHeader + "\r\n"
            + "User-Agent: uvs-health\r\n"
            + "Connection: close\r\n"
            + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    // the address, with the port only when it is not the scheme's, as browsers write Host
    private static String defaultHost(InetSocketAddress target, boolean tls) {
        String host = LogText.host(IpAddress.fromBytes(target.getAddress().getAddress()));
        return target.getPort() == (tls ? 443 : 80) ? host : host + ":" + target.getPort();
    }

    /** The request bytes as text (what goes on the wire, inside TLS for HTTPS). */
    public String request() {
        return new String(request, StandardCharsets.US_ASCII);
    }

    /**
     * The TLS server name sent as SNI (and checked when verifying): the Host name without its port, or
     * null when the Host is an address literal (SNI carries names only).
     */
    public String serverName() {
        String h = hostHeader;
        if (h.startsWith("[")) {
            return null;
        }
        int colon = h.lastIndexOf(':');
        String name = colon < 0 ? h : h.substring(0, colon);
        if (name.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))) {
            return null;
        }
        return name;
    }

    @Override
    public CheckResult run() {
        Deadline deadline = Deadline.after(timeout);
        try (Socket raw = CheckSockets.tcp(source)) {
            raw.connect(target, deadline.remainingMillis());
            Socket s = spec.tls() ? handshake(raw, deadline) : raw;
            s.setSoTimeout(deadline.remainingMillis());
            OutputStream out = s.getOutputStream();
            out.write(request);
            out.flush();
            return response(new ResponseReader(s, deadline));
        } catch (IOException e) {
            return CheckResult.down(LogText.describe(e));
        }
    }

    private SSLSocket handshake(Socket raw, Deadline deadline) throws IOException {
        SSLSocketFactory f = spec.caFile() != null ? trusted()
            : spec.verifyCertificate() ? (SSLSocketFactory) SSLSocketFactory.getDefault() : InsecureTls.FACTORY;
        String name = serverName();
        String peer = name != null ? name : target.getAddress().getHostAddress();
        SSLSocket ssl = (SSLSocket) f.createSocket(raw, peer, target.getPort(), true);
        SSLParameters p = ssl.getSSLParameters();
        if (name != null) {
            try {
                p.setServerNames(List.of(new SNIHostName(name)));
            } catch (IllegalArgumentException notADnsName) {
                // the Host header is still sent; only SNI is left out
            }
        }
        // against a CA file the name is checked only when the check names the host: a real server is
        // usually reached by its address while its certificate names the virtual host
        if (spec.verifyCertificate() && (spec.caFile() == null || spec.host() != null)) {
            p.setEndpointIdentificationAlgorithm("HTTPS");
        }
        ssl.setSSLParameters(p);
        ssl.setSoTimeout(deadline.remainingMillis());
        ssl.startHandshake();
        return ssl;
    }

    private SSLSocketFactory trusted() throws IOException {
        if (trusted == null) {
            trusted = TrustedCas.factory(spec.caFile());
        }
        return trusted;
    }

    private CheckResult response(ResponseReader r) throws IOException {
        String statusLine = r.line();
        int code = statusCode(statusLine);
        if (code < 0) {
            return CheckResult.down("malformed status line '" + statusLine + "'");
        }
        long length = -1;
        boolean chunked = false;
        for (String h = r.line(); !h.isEmpty(); h = r.line()) {
            int colon = h.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = h.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = h.substring(colon + 1).strip();
            if (name.equals("content-length")) {
                length = parseLength(value);
            } else if (name.equals("transfer-encoding")) {
                chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
            }
        }
        if (!spec.statusCodes().contains(code)) {
            return CheckResult.down("status " + code + " not in " + spec.statusCodes());
        }
        if (spec.expect() == null && spec.digest() == null) {
            return CheckResult.up("status " + code);
        }
        Body body = new Body(spec.digest() != null, spec.expect() != null);
        if (chunked) {
            for (long n = chunkSize(r.line()); n > 0; n = chunkSize(r.line())) {
                r.copy(n, body);
                r.line();
            }
        } else if (length >= 0) {
            r.copy(length, body);
        } else {
            r.copyToEnd(body);
        }
        if (spec.digest() != null) {
            String md5 = body.md5Hex();
            if (!md5.equals(spec.digest())) {
                return CheckResult.down("status " + code + ", body MD5 " + md5 + " is not " + spec.digest());
            }
        }
        if (spec.expect() != null && !body.contains(spec.expect().getBytes(StandardCharsets.UTF_8))) {
            return CheckResult.down("status " + code + ", body lacks '" + spec.expect() + "'");
        }
        return CheckResult.up("status " + code + ", body as expected");
    }

    // "HTTP/1.1 200 OK" -> 200, or -1
    private static int statusCode(String line) {
        int sp = line.indexOf(' ');
        if (!line.startsWith("HTTP/") || sp < 0 || line.length() < sp + 4
            || line.length() > sp + 4 && line.charAt(sp + 4) != ' ') {
            return -1;
        }
        int code = 0;
        for (int i = sp + 1; i < sp + 4; i++) {
            char c = line.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            code = code * 10 + (c - '0');
        }
        return code;
    }

    private static long parseLength(String v) throws IOException {
        try {
            long n = Long.parseLong(v);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IOException("bad Content-Length '" + v + "'");
    }

    private static long chunkSize(String line) throws IOException {
        int semi = line.indexOf(';');
        String hex = (semi < 0 ? line : line.substring(0, semi)).strip();
        try {
            long n = Long.parseLong(hex, 16);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IOException("bad chunk size '" + line + "'");
    }

    /** The body as far as the check needs it: its MD5 and/or its first bytes. */
    private static final class Body {
        private final MessageDigest md5;
        private final ByteArrayOutputStream kept;

        Body(boolean digest, boolean keep) {
            try {
                md5 = digest ? MessageDigest.getInstance("MD5") : null;
            } catch (NoSuchAlgorithmException e) {
                // every JDK provides MD5
                throw new IllegalStateException(e);
            }
            kept = keep ? new ByteArrayOutputStream() : null;
        }

        void accept(byte[] b, int off, int len) throws IOException {
            if (md5 != null) {
                md5.update(b, off, len);
            }
            if (kept != null) {
                if (kept.size() + len > MAX_KEPT_BODY) {
                    throw new IOException("body longer than " + MAX_KEPT_BODY + " bytes");
                }
                kept.write(b, off, len);
            }
        }

        String md5Hex() {
            return HexFormat.of().formatHex(md5.digest());
        }

        boolean contains(byte[] needle) {
            byte[] hay = kept.toByteArray();
            outer:
            for (int i = 0; i + needle.length <= hay.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (hay[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return true;
            }
            return false;
        }
    }

    /** Buffered reads that never wait past the check's deadline. */
    private static final class ResponseReader {
        private final Socket socket;
        private final InputStream in;
        private final Deadline deadline;
        private final byte[] buf = new byte[8192];
        private int pos;
        private int limit;

        ResponseReader(Socket socket, Deadline deadline) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.deadline = deadline;
        }

        private boolean fill() throws IOException {
            socket.setSoTimeout(deadline.remainingMillis());
            int n = in.read(buf);
            if (n < 0) {
                return false;
            }
            pos = 0;
            limit = n;
            return true;
        }

        // a header or chunk-size line without its CRLF, bytes as Latin-1
        String line() throws IOException {
            StringBuilder b = new StringBuilder();
            while (true) {
                if (pos == limit && !fill()) {
                    throw new EOFException("connection closed before the end of the response head");
                }
                byte c = buf[pos++];
                if (c == '\n') {
                    return b.toString();
                }
                if (c != '\r') {
                    b.append((char) (c & 0xff));
                }
                if (b.length() > MAX_LINE) {
                    throw new IOException("response line longer than " + MAX_LINE + " bytes");
                }
            }
        }

        void copy(long n, Body body) throws IOException {
            long left = n;
            while (left > 0) {
                if (pos == limit && !fill()) {
                    throw new EOFException("body ended " + left + " bytes early");
                }
                int k = (int) Math.min(limit - pos, left);
                body.accept(buf, pos, k);
                pos += k;
                left -= k;
            }
        }

        void copyToEnd(Body body) throws IOException {
            while (pos < limit || fill()) {
                body.accept(buf, pos, limit - pos);
                pos = limit;
            }
        }
    }
}
