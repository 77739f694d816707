package uvs.daemon.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import uvs.ctl.health.CheckKind;

/** SMTP, DNS and ldirectord's negotiate checks against loopback servers the test runs. */
class ProtocolChecksTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private static String smtp(String line) {
        if (line.startsWith("HELO ")) {
            return "250 pleased\r\n";
        }
        return line.equals("QUIT") ? "221 bye\r\n" : "500 what\r\n";
    }

    private static CheckKind.Smtp helo(String name) {
        return new CheckKind.Smtp(name, List.of());
    }

    @Test
    void shouldPassSmtpWithAMultiLineGreetingAndSendTheHeloName() throws IOException {
        try (ScriptedServer s = new ScriptedServer("220-mx.example ESMTP\r\n220 ready\r\n", ProtocolChecksTest::smtp)) {
            CheckResult r = new SmtpCheck(s.address(), null, helo("lb1.example"), TIMEOUT).run();
            assertThat(r.up()).as(r.detail()).isTrue();
            assertThat(s.received(2)).containsExactly("HELO lb1.example", "QUIT");
        }
    }

    @Test
    void shouldFailSmtpOnABadGreetingOrHeloReply() throws IOException {
        try (ScriptedServer s = new ScriptedServer("554 go away\r\n", ProtocolChecksTest::smtp)) {
            assertThat(new SmtpCheck(s.address(), null, helo("a"), TIMEOUT).run())
                .isEqualTo(CheckResult.down("greeting '554 go away' is not 220"));
        }
        try (ScriptedServer s = new ScriptedServer("220 ok\r\n", line -> "550 no\r\n")) {
            assertThat(new SmtpCheck(s.address(), null, helo("a"), TIMEOUT).run())
                .isEqualTo(CheckResult.down("HELO answered '550 no', not 250"));
        }
    }

    @Test
    void shouldRequireEverySmtpHost() throws IOException {
        try (ScriptedServer s = new ScriptedServer("220 ok\r\n", ProtocolChecksTest::smtp)) {
            int closed = Loopback.closedTcpPort();
            CheckKind.Smtp both = new CheckKind.Smtp("a", List.of(new InetSocketAddress(Loopback.LOOPBACK, closed)));
            CheckResult r = new SmtpCheck(s.address(), null, both, TIMEOUT).run();
            assertThat(r.up()).isFalse();
            assertThat(r.detail()).startsWith("127.0.0.1:" + closed + ": ");
            CheckKind.Smtp twice = new CheckKind.Smtp("a", List.of(s.address()));
            assertThat(new SmtpCheck(s.address(), null, twice, TIMEOUT).run().up()).isTrue();
        }
    }

    @Test
    void shouldPassPopAndImapLoginsAndFailWrongPasswords() throws IOException {
        try (ScriptedServer pop = new ScriptedServer("+OK POP3 ready\r\n", l -> switch (l) {
            case "USER alice" -> "+OK\r\n";
            case "PASS secret" -> "+OK logged in\r\n";
            case "QUIT" -> "+OK bye\r\n";
            default -> "-ERR no\r\n";
        })) {
            CheckKind.Negotiate good = new CheckKind.Negotiate(CheckKind.Negotiate.Service.POP, "alice", "secret", "", "");
            assertThat(new NegotiateCheck(pop.address(), null, good, TIMEOUT).run().up()).isTrue();
            CheckKind.Negotiate bad = new CheckKind.Negotiate(CheckKind.Negotiate.Service.POP, "alice", "wrong", "", "");
            assertThat(new NegotiateCheck(pop.address(), null, bad, TIMEOUT).run())
                .isEqualTo(CheckResult.down("login refused"));
        }
        try (ScriptedServer imap = new ScriptedServer("* OK IMAP4rev1 ready\r\n", l -> switch (l) {
            case "a1 LOGIN \"alice\" \"se\\\"cret\"" -> "* CAPABILITY IMAP4rev1\r\na1 OK done\r\n";
            case "a2 LOGOUT" -> "* BYE\r\na2 OK\r\n";
            default -> l.substring(0, 2) + " NO bad\r\n";
        })) {
            CheckKind.Negotiate good = new CheckKind.Negotiate(CheckKind.Negotiate.Service.IMAP, "alice", "se\"cret", "",
                "");
            assertThat(new NegotiateCheck(imap.address(), null, good, TIMEOUT).run().up()).isTrue();
            CheckKind.Negotiate bad = new CheckKind.Negotiate(CheckKind.Negotiate.Service.IMAP, "alice", "x", "", "");
            assertThat(new NegotiateCheck(imap.address(), null, bad, TIMEOUT).run().up()).isFalse();
        }
    }

    @Test
    void shouldSpeakPopAndImapOverTlsFromTheFirstByte(@TempDir Path dir) throws Exception {
        SSLContext tls = SelfSignedTls.context(dir);
        try (ScriptedServer pops = new ScriptedServer(tls, "+OK POP3 ready\r\n", l -> switch (l) {
            case "USER alice" -> "+OK\r\n";
            case "PASS secret" -> "+OK logged in\r\n";
            case "QUIT" -> "+OK bye\r\n";
            default -> "-ERR no\r\n";
        })) {
            CheckKind.Negotiate good = new CheckKind.Negotiate(CheckKind.Negotiate.Service.POPS, "alice", "secret", "",
                "");
            assertThat(new NegotiateCheck(pops.address(), null, good, TIMEOUT).run())
                .isEqualTo(CheckResult.up("pops ok"));
            assertThat(pops.received(3)).containsExactly("USER alice", "PASS secret", "QUIT");
            CheckKind.Negotiate bad = new CheckKind.Negotiate(CheckKind.Negotiate.Service.POPS, "alice", "x", "", "");
            assertThat(new NegotiateCheck(pops.address(), null, bad, TIMEOUT).run())
                .isEqualTo(CheckResult.down("login refused"));
            // plain POP3 to a TLS port gets no greeting it understands
            CheckKind.Negotiate plain = new CheckKind.Negotiate(CheckKind.Negotiate.Service.POP, "", "", "", "");
            assertThat(new NegotiateCheck(pops.address(), null, plain, TIMEOUT).run().up()).isFalse();
        }
        try (ScriptedServer imaps = new ScriptedServer(tls, "* OK IMAP4rev1 ready\r\n", l -> switch (l) {
            case "a1 LOGIN \"alice\" \"secret\"" -> "a1 OK done\r\n";
            case "a2 LOGOUT" -> "* BYE\r\na2 OK\r\n";
            default -> l.substring(0, 2) + " NO bad\r\n";
        })) {
            CheckKind.Negotiate good = new CheckKind.Negotiate(CheckKind.Negotiate.Service.IMAPS, "alice", "secret", "",
                "");
            assertThat(new NegotiateCheck(imaps.address(), null, good, TIMEOUT).run())
                .isEqualTo(CheckResult.up("imaps ok"));
        }
        // a plain server: the TLS handshake fails, the check is down
        try (ScriptedServer plain = new ScriptedServer("+OK POP3 ready\r\n", l -> null)) {
            CheckKind.Negotiate pops = new CheckKind.Negotiate(CheckKind.Negotiate.Service.POPS, "", "", "", "");
            assertThat(new NegotiateCheck(plain.address(), null, pops, TIMEOUT).run().up()).isFalse();
        }
    }

    @Test
    void shouldCheckTheNntpGreeting() throws IOException {
        CheckKind.Negotiate nntp = new CheckKind.Negotiate(CheckKind.Negotiate.Service.NNTP, "", "", "", "");
        try (ScriptedServer s = new ScriptedServer("200 news ready\r\n", l -> null)) {
            assertThat(new NegotiateCheck(s.address(), null, nntp, TIMEOUT).run().up()).isTrue();
        }
        try (ScriptedServer s = new ScriptedServer("502 no permission\r\n", l -> null)) {
            assertThat(new NegotiateCheck(s.address(), null, nntp, TIMEOUT).run().up()).isFalse();
        }
    }

    // an anonymous FTP server whose passive data port hands out "status: healthy"; it names 10.9.9.9 in its
    // PASV reply, as a server behind NAT does
    private static ScriptedServer ftp(ServerSocket data) throws IOException {
        return new ScriptedServer("220 ftp ready\r\n", l -> switch (l) {
            case "USER anonymous" -> "331 password\r\n";
            case "PASS -anonymous@" -> "230 in\r\n";
            case "CWD /" -> "250 ok\r\n";
            case "TYPE I" -> "200 binary\r\n";
            case "PASV" -> "227 Entering Passive Mode (10,9,9,9," + data.getLocalPort() / 256 + ","
                + data.getLocalPort() % 256 + ")\r\n";
            case "RETR health.txt" -> {
                // the check connects before it sends RETR
                try (Socket d = data.accept()) {
                    d.getOutputStream().write("status: healthy\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    yield "425 no data connection\r\n";
                }
                yield "150 sending\r\n226 done\r\n";
            }
            case "QUIT" -> "221 bye\r\n";
            default -> "550 no such file\r\n";
        });
    }

    private static CheckKind.Negotiate ftpGet(String login, String file, String receive) {
        return new CheckKind.Negotiate(CheckKind.Negotiate.Service.FTP, login, "pw", file, receive);
    }

    @Test
    void shouldFetchTheFtpRequestPassivelyAndMatchReceive() throws IOException {
        try (ServerSocket data = new ServerSocket(0, 5, Loopback.LOOPBACK); ScriptedServer ftp = ftp(data)) {
            // the data connection goes to the checked address, not to the 10.9.9.9 of the PASV reply
            CheckResult r = new NegotiateCheck(ftp.address(), null, ftpGet("", "health.txt", "status: h[a-z]+"),
                TIMEOUT).run();
            assertThat(r.up()).as(r.detail()).isTrue();
            assertThat(ftp.received(7)).containsExactly("USER anonymous", "PASS -anonymous@", "CWD /", "TYPE I", "PASV",
                "RETR health.txt", "QUIT");

            assertThat(new NegotiateCheck(ftp.address(), null, ftpGet("", "health.txt", "sick"), TIMEOUT).run())
                .isEqualTo(CheckResult.down("health.txt does not match 'sick'"));
            assertThat(new NegotiateCheck(ftp.address(), null, ftpGet("", "other.txt", ""), TIMEOUT).run().detail())
                .startsWith("RETR other.txt answered '550");
            assertThat(new NegotiateCheck(ftp.address(), null, ftpGet("bob", "health.txt", ""), TIMEOUT).run().detail())
                .startsWith("login refused");
        }
    }

    @Test
    void shouldSendTheSimpletcpRequestAndMatchAReplyLine() throws IOException {
        try (ScriptedServer s = new ScriptedServer("", l -> l.equals("STATUS") ? "hello\r\nSTATUS: ready\r\n" : null)) {
            CheckKind.Negotiate ok = new CheckKind.Negotiate(CheckKind.Negotiate.Service.SIMPLETCP, "", "",
                "STATUS\\n", "^STATUS: r");
            assertThat(new NegotiateCheck(s.address(), null, ok, TIMEOUT).run().up()).isTrue();
            assertThat(s.received(1)).containsExactly("STATUS");
            CheckKind.Negotiate other = new CheckKind.Negotiate(CheckKind.Negotiate.Service.SIMPLETCP, "", "",
                "STATUS\\n", "busy");
            assertThat(new NegotiateCheck(s.address(), null, other, TIMEOUT).run())
                .isEqualTo(CheckResult.down("no reply line matches 'busy'"));
        }
    }

    @Test
    void shouldQueryDnsSkipForeignRepliesAndMatchARecords() throws IOException {
        try (DatagramSocket server = new DatagramSocket(new InetSocketAddress(Loopback.LOOPBACK, 0))) {
            InetSocketAddress at = new InetSocketAddress(Loopback.LOOPBACK, server.getLocalPort());
            Thread.ofVirtual().start(() -> LoopbackDns.serve(server));
            CheckKind.Dns soa = new CheckKind.Dns(6, ".", null);
            assertThat(new DnsCheck(at, null, soa, TIMEOUT).run()).isEqualTo(CheckResult.up("answered"));
            CheckKind.Dns a = new CheckKind.Dns(1, "www.example.com", "^10\\.0\\.0\\.5$");
            assertThat(new DnsCheck(at, null, a, TIMEOUT).run()).isEqualTo(CheckResult.up("A 10.0.0.5 matches"));
            CheckKind.Dns other = new CheckKind.Dns(1, "www.example.com", "^10\\.0\\.0\\.6$");
            assertThat(new DnsCheck(at, null, other, TIMEOUT).run().up()).isFalse();
            CheckKind.Dns missing = new CheckKind.Dns(1, "nx.example.com", null);
            assertThat(new DnsCheck(at, null, missing, TIMEOUT).run()).isEqualTo(CheckResult.down("rcode 3"));
        }
    }

    @Test
    void shouldWriteKeepalivedsQuery() {
        byte[] q = DnsCheck.query(0x1234, "www.example.com", 28);
        assertThat(Arrays.copyOfRange(q, 0, 12)).containsExactly(0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0);
        assertThat(new String(q, 12, q.length - 16, StandardCharsets.US_ASCII)).isEqualTo("\3www\7example\3com\0");
        assertThat(Arrays.copyOfRange(q, q.length - 4, q.length)).containsExactly(0, 28, 0, 1);
        assertThat(DnsCheck.query(1, ".", 6)).hasSize(17);
    }
}
