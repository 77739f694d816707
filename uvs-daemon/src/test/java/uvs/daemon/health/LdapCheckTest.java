package uvs.daemon.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import uvs.ctl.health.CheckKind;

/**
 * LDAP against a loopback directory that knows cn=monitor,dc=example,dc=com with password "pw" and one
 * entry, dc=example,dc=com; it records the bind DNs and search bases it is sent.
 */
class LdapCheckTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private ServerSocket server;

    @BeforeEach
    void setUp() throws IOException {
        server = new ServerSocket(0, 5, Loopback.LOOPBACK);
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    converse(s);
                } catch (IOException closed) {
                    // next connection, or closed
                }
            }
        });
    }

    @AfterEach
    void tearDown() throws IOException {
        server.close();
    }

    private CheckResult check(String login, String password, String base, String receive) {
        return new LdapCheck(new InetSocketAddress(Loopback.LOOPBACK, server.getLocalPort()), null,
            new CheckKind.Ldap(login, password, base, receive), TIMEOUT).run();
    }

    @Test
    void shouldBindSearchTheBaseAndMatchItsDn() {
        assertThat(check("cn=monitor,dc=example,dc=com", "pw", "dc=example,dc=com", "^dc=example"))
            .isEqualTo(CheckResult.up("entry dc=example,dc=com"));
        // the unbind may reach the server after the check returned
        Loopback.await(() -> seen.size() == 3, Duration.ofSeconds(2), "the unbind");
        assertThat(seen).containsExactly("bind cn=monitor,dc=example,dc=com", "search dc=example,dc=com", "unbind");
        assertThat(check("", "", "dc=example,dc=com", "")).as("anonymous").isEqualTo(
            CheckResult.up("entry dc=example,dc=com"));
    }

    @Test
    void shouldFailAWrongPasswordAMissingEntryOrAnotherDn() {
        assertThat(check("cn=monitor,dc=example,dc=com", "bad", "dc=example,dc=com", ""))
            .isEqualTo(CheckResult.down("bind failed: result code 49"));
        assertThat(check("", "", "dc=other", "")).isEqualTo(CheckResult.down("search of 'dc=other' failed: result code 32"));
        assertThat(check("", "", "dc=example,dc=com", "^ou=")).isEqualTo(
            CheckResult.down("DN 'dc=example,dc=com' does not match '^ou='"));
    }

    // reads LDAPMessages (short-form lengths suffice here) and answers them
    private void converse(Socket s) throws IOException {
        DataInputStream in = new DataInputStream(s.getInputStream());
        OutputStream out = s.getOutputStream();
        while (true) {
            int tag = in.read();
            if (tag < 0) {
                return;
            }
            byte[] msg = new byte[in.readUnsignedByte()];
            in.readFully(msg);
            int id = msg[2];
            int op = msg[3] & 0xff;
            int at = 5;
            if (op == 0x60) {
                at += 3;
                String dn = string(msg, at);
                at += 2 + msg[at + 1];
                String pw = string(msg, at);
                seen.add("bind " + dn);
                boolean ok = dn.isEmpty() || dn.equals("cn=monitor,dc=example,dc=com") && pw.equals("pw");
                out.write(reply(id, 0x61, result(ok ? 0 : 49)));
            } else if (op == 0x63) {
                String base = string(msg, at);
                seen.add("search " + base);
                if (base.equals("dc=example,dc=com")) {
                    out.write(reply(id, 0x64, tlv(0x04, base.getBytes(StandardCharsets.UTF_8)), tlv(0x30)));
                    out.write(reply(id, 0x65, result(0)));
                } else {
                    out.write(reply(id, 0x65, result(32)));
                }
            } else if (op == 0x42) {
                seen.add("unbind");
                return;
            }
            out.flush();
        }
    }

    private static String string(byte[] m, int at) {
        return new String(m, at + 2, m[at + 1], StandardCharsets.UTF_8);
    }

    private static byte[] result(int code) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(tlv(0x0a, new byte[] {(byte) code}));
        b.writeBytes(tlv(0x04));
        b.writeBytes(tlv(0x04));
        return b.toByteArray();
    }

    private static byte[] reply(int id, int op, byte[]... body) {
        return tlv(0x30, tlv(0x02, new byte[] {(byte) id}), tlv(op, body));
    }

    private static byte[] tlv(int tag, byte[]... parts) {
        ByteArrayOutputStream v = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            v.writeBytes(p);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        out.write(v.size());
        out.writeBytes(v.toByteArray());
        return out.toByteArray();
    }
}
