package uvs.daemon.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import uvs.ctl.health.CheckKind;

class HttpGetCheckTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    private static final String BODY = "hello OK world";
    // printf 'hello OK world' | md5sum
    private static final String BODY_MD5 = "510a7c0e33f9b95049dd5ec3e7c85693";

    @TempDir
    Path dir;
    private HttpServer server;
    private final AtomicReference<String> hostSeen = new AtomicReference<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    // /ok: 200 with BODY; /moved: 301 without body; /error: 503 "down"
    private void handle(HttpExchange x) throws IOException {
        hostSeen.set(x.getRequestHeaders().getFirst("Host"));
        String path = x.getRequestURI().getPath();
        int status = switch (path) {
            case "/ok" -> 200;
            case "/moved" -> 301;
            default -> 503;
        };
        byte[] body = (status == 200 ? BODY : status == 503 ? "down" : "").getBytes(StandardCharsets.US_ASCII);
        x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(body);
        }
    }

    private InetSocketAddress startHttp() throws IOException {
        server = Loopback.http();
        server.createContext("/", this::handle);
        server.start();
        return server.getAddress();
    }

    private static CheckResult get(InetSocketAddress a, CheckKind.Http spec) {
        return new HttpGetCheck(a, spec, TIMEOUT).run();
    }

    @Test
    void shouldAcceptConfiguredStatusRanges() throws IOException {
        InetSocketAddress a = startHttp();
        assertThat(get(a, CheckKind.Http.get("/ok"))).isEqualTo(CheckResult.up("status 200"));
        assertThat(get(a, CheckKind.Http.get("/moved"))).isEqualTo(CheckResult.down("status 301 not in 200-299"));
        assertThat(get(a, CheckKind.Http.get("/moved").withStatusCodes("200-299,301")))
            .isEqualTo(CheckResult.up("status 301"));
        assertThat(get(a, CheckKind.Http.get("/error").withStatusCodes("200-299,301")))
            .isEqualTo(CheckResult.down("status 503 not in 200-299,301"));
        assertThat(get(a, CheckKind.Http.get("/error").withStatusCodes("500-599")).up()).isTrue();
    }

    @Test
    void shouldCheckBodySubstringAndDigest() throws IOException {
        InetSocketAddress a = startHttp();
        assertThat(get(a, CheckKind.Http.get("/ok").withExpect("OK"))).isEqualTo(CheckResult.up("status 200, body as expected"));
        assertThat(get(a, CheckKind.Http.get("/ok").withExpect("FAIL")))
            .isEqualTo(CheckResult.down("status 200, body lacks 'FAIL'"));
        assertThat(get(a, CheckKind.Http.get("/ok").withDigest(BODY_MD5)).up()).isTrue();
        // printf 'OK' | md5sum
        assertThat(get(a, CheckKind.Http.get("/ok").withDigest("e0aa021e21dddbd6d8cecec71e9cf564")))
            .isEqualTo(CheckResult.down("status 200, body MD5 " + BODY_MD5 + " is not e0aa021e21dddbd6d8cecec71e9cf564"));
        assertThat(get(a, CheckKind.Http.get("/ok").withExpect("OK").withDigest(BODY_MD5)).up()).isTrue();
        // the status is checked before the body
        assertThat(get(a, CheckKind.Http.get("/error").withExpect("down")))
            .isEqualTo(CheckResult.down("status 503 not in 200-299"));
    }

    @Test
    void shouldSendTheVirtualHostOrTheAddress() throws IOException {
        InetSocketAddress a = startHttp();
        get(a, CheckKind.Http.get("/ok"));
        assertThat(hostSeen.get()).isEqualTo("127.0.0.1:" + a.getPort());
        get(a, CheckKind.Http.get("/ok").withHost("www.example.com"));
        assertThat(hostSeen.get()).isEqualTo("www.example.com");
    }

    @Test
    void shouldBuildTheRequestAsOnTheWire() throws IOException {
        InetAddress r1 = InetAddress.getByAddress(new byte[] {10, 2, 2, 1});
        HttpGetCheck https = new HttpGetCheck(new InetSocketAddress(r1, 443), CheckKind.Http.tlsGet("/health"), TIMEOUT);
        assertThat(https.request()).isEqualTo(
            "GET /health HTTP/1.0\r\nHost: 10.2.2.1\r\nUser-Agent: uvs-health\r\nConnection: close\r\n\r\n");
        assertThat(https.serverName()).isNull();
        HttpGetCheck other = new HttpGetCheck(new InetSocketAddress(r1, 8443), CheckKind.Http.tlsGet("/"), TIMEOUT);
        assertThat(other.request()).contains("\r\nHost: 10.2.2.1:8443\r\n");
        HttpGetCheck named = new HttpGetCheck(new InetSocketAddress(r1, 443),
            CheckKind.Http.tlsGet("/a?b=c").withHost("www.example.com:8443"), TIMEOUT);
        assertThat(named.request()).startsWith("GET /a?b=c HTTP/1.0\r\nHost: www.example.com:8443\r\n");
        assertThat(named.serverName()).isEqualTo("www.example.com");
        InetAddress v6 = InetAddress.getByAddress(new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
        HttpGetCheck plain6 = new HttpGetCheck(new InetSocketAddress(v6, 8080), CheckKind.Http.get("/"), TIMEOUT);
        assertThat(plain6.request()).contains("\r\nHost: [2001:db8::1]:8080\r\n");
        assertThat(plain6.serverName()).isNull();
        HttpGetCheck plain80 = new HttpGetCheck(new InetSocketAddress(r1, 80), CheckKind.Http.get("/"), TIMEOUT);
        assertThat(plain80.request()).contains("\r\nHost: 10.2.2.1\r\n");
    }

    @Test
    void shouldDecodeChunkedBodies() throws IOException {
        try (ServerSocket s = Loopback.silent()) {
            // "hello" + " world" in two chunks, a chunk extension on the first
            Loopback.serveRaw(s, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;x=y\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
            InetSocketAddress a = (InetSocketAddress) s.getLocalSocketAddress();
            // printf 'hello world' | md5sum
            assertThat(get(a, CheckKind.Http.get("/").withDigest("5eb63bbbe01eeed093cb22bb8f5acdc3")).up()).isTrue();
            assertThat(get(a, CheckKind.Http.get("/").withExpect("lo wo")).up()).isTrue();
        }
    }

    @Test
    void shouldReadBodiesWithoutLengthToTheEnd() throws IOException {
        try (ServerSocket s = Loopback.silent()) {
            Loopback.serveRaw(s, "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n" + BODY);
            InetSocketAddress a = (InetSocketAddress) s.getLocalSocketAddress();
            assertThat(get(a, CheckKind.Http.get("/").withDigest(BODY_MD5)).up()).isTrue();
        }
    }

    @Test
    void shouldBeDownOnMalformedOrShortResponses() throws IOException {
        try (ServerSocket s = Loopback.silent()) {
            Loopback.serveRaw(s, "SSH-2.0-OpenSSH\r\n\r\n");
            InetSocketAddress a = (InetSocketAddress) s.getLocalSocketAddress();
            assertThat(get(a, CheckKind.Http.get("/"))).isEqualTo(
                CheckResult.down("malformed status line 'SSH-2.0-OpenSSH'"));
        }
        try (ServerSocket s = Loopback.silent()) {
            Loopback.serveRaw(s, "HTTP/1.0 200 OK\r\nContent-Length: 20\r\n\r\nshort");
            InetSocketAddress a = (InetSocketAddress) s.getLocalSocketAddress();
            assertThat(get(a, CheckKind.Http.get("/").withExpect("short")))
                .isEqualTo(CheckResult.down("EOFException: body ended 15 bytes early"));
        }
    }

    @Test
    void shouldTimeOutOnAServerThatNeverAnswers() throws IOException {
        try (ServerSocket s = Loopback.silent()) {
            InetSocketAddress a = (InetSocketAddress) s.getLocalSocketAddress();
            AtomicReference<CheckResult> r = new AtomicReference<>();
            long ms = Loopback.millis(() -> r.set(new HttpGetCheck(a, CheckKind.Http.get("/"), Duration.ofMillis(300)).run()));
            assertThat(r.get().up()).isFalse();
            assertThat(r.get().detail()).startsWith("SocketTimeoutException");
            assertThat(ms).as("300 ms timeout").isBetween(250L, 2_000L);
        }
    }

    @Test
    void shouldBeDownWhenRefused() throws IOException {
        InetSocketAddress a = new InetSocketAddress(Loopback.LOOPBACK, Loopback.closedTcpPort());
        assertThat(get(a, CheckKind.Http.get("/")).detail()).startsWith("ConnectException");
    }

    @Test
    void shouldGetOverTlsWithoutVerifyingTheSelfSignedCertificate() throws Exception {
        InetSocketAddress a = startHttps();
        assertThat(get(a, CheckKind.Http.tlsGet("/ok").withExpect("OK").withDigest(BODY_MD5)))
            .isEqualTo(CheckResult.up("status 200, body as expected"));
        assertThat(hostSeen.get()).isEqualTo("127.0.0.1:" + a.getPort());
        assertThat(get(a, CheckKind.Http.tlsGet("/error")).up()).isFalse();
        // with verification the self-signed certificate is refused
        CheckResult verified = get(a, CheckKind.Http.tlsGet("/ok").withHost("localhost").verifyingCertificate());
        assertThat(verified.up()).isFalse();
        assertThat(verified.detail()).startsWith("SSLHandshakeException");
        // plain HTTP to a TLS port is not a valid response
        assertThat(get(a, CheckKind.Http.get("/ok")).up()).isFalse();
    }

    @Test
    void shouldVerifyTheCertificateAgainstTheCaFileWhenOneIsGiven() throws Exception {
        InetSocketAddress a = startHttps();
        Path ca = SelfSignedTls.exportCertificate(dir, "server.p12", "ca.pem");
        SelfSignedTls.keyPair(dir, "other.p12", "CN=other");
        Path otherCa = SelfSignedTls.exportCertificate(dir, "other.p12", "other.pem");

        // its own certificate is the CA: the chain verifies; by address the name is not checked
        assertThat(get(a, CheckKind.Http.tlsGet("/ok").verifyingAgainst(ca))).isEqualTo(CheckResult.up("status 200"));
        // with the virtual host named, the name is checked too (the certificate is for localhost)
        assertThat(get(a, CheckKind.Http.tlsGet("/ok").withHost("localhost").verifyingAgainst(ca)).up()).isTrue();
        CheckResult wrongName = get(a, CheckKind.Http.tlsGet("/ok").withHost("www.example.com").verifyingAgainst(ca));
        assertThat(wrongName.up()).isFalse();
        assertThat(wrongName.detail()).startsWith("SSLHandshakeException");
        // another CA: refused
        CheckResult other = get(a, CheckKind.Http.tlsGet("/ok").verifyingAgainst(otherCa));
        assertThat(other.up()).isFalse();
        assertThat(other.detail()).startsWith("SSLHandshakeException");
        // a CA file that cannot be read: down, saying why, never up unverified
        Path missing = dir.resolve("missing.pem");
        CheckResult unreadable = get(a, CheckKind.Http.tlsGet("/ok").verifyingAgainst(missing));
        assertThat(unreadable.up()).isFalse();
        assertThat(unreadable.detail()).contains("cannot read CA file " + missing);
    }

    // an HTTPS server on loopback with a self-signed certificate for localhost
    private InetSocketAddress startHttps() throws IOException, InterruptedException, GeneralSecurityException {
        SSLContext tls = SelfSignedTls.context(dir);
        HttpsServer https = HttpsServer.create(new InetSocketAddress(Loopback.LOOPBACK, 0), 0);
        server = https;
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        https.createContext("/", this::handle);
        https.start();
        return https.getAddress();
    }

}
