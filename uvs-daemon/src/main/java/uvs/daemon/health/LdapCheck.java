package uvs.daemon.health;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Pattern;
import uvs.ctl.health.CheckKind;

/**
 * LDAP check (ldirectord service=ldap, as its check_ldap): a simple bind (with {@code login}/{@code password},
 * else anonymous), then a base-scope search of {@code base} for {@code (objectClass=*)}; up when the bind
 * succeeds and the search returns exactly one entry whose DN matches {@code receive} (any DN when empty).
 * LDAPv3 messages in BER, on one connection, within one timeout.
 */
public final class LdapCheck extends TargetedCheck {
    private static final int SEQUENCE = 0x30;
    private static final int INTEGER = 0x02;
    private static final int OCTETS = 0x04;
    private static final int ENUM = 0x0a;
    private static final int BOOLEAN = 0x01;
    private static final int BIND_REQUEST = 0x60;
    private static final int BIND_RESPONSE = 0x61;
    private static final int UNBIND_REQUEST = 0x42;
    private static final int SEARCH_REQUEST = 0x63;
    private static final int SEARCH_ENTRY = 0x64;
    private static final int SEARCH_DONE = 0x65;
    private static final int SIMPLE_AUTH = 0x80;
    private static final int PRESENT_FILTER = 0x87;
    private static final int MAX_MESSAGE = 1 << 20;

    private final CheckKind.Ldap spec;

    /** A check of {@code target} from {@code source} (null = any). */
    public LdapCheck(InetSocketAddress target, InetSocketAddress source, CheckKind.Ldap spec, Duration timeout) {
        super(target, source, timeout);
        this.spec = spec;
    }

    @Override
    public CheckResult run() {
        Deadline deadline = Deadline.after(timeout);
        try (Socket s = connect(deadline)) {
            OutputStream out = s.getOutputStream();
            DataInputStream in = new DataInputStream(s.getInputStream());
            out.write(message(1, tlv(BIND_REQUEST, tlv(INTEGER, new byte[] {3}), text(OCTETS, spec.login()),
                text(SIMPLE_AUTH, spec.password()))));
            out.flush();
            Ber bind = op(read(in));
            if (bind.tag != BIND_RESPONSE) {
                return CheckResult.down("no bind response");
            }
            int code = bind.result();
            if (code != 0) {
                return CheckResult.down("bind failed: result code " + code);
            }
            out.write(message(2, tlv(SEARCH_REQUEST, text(OCTETS, spec.base()), tlv(ENUM, new byte[] {0}),
                tlv(ENUM, new byte[] {0}), tlv(INTEGER, new byte[] {0}), tlv(INTEGER, new byte[] {0}),
                tlv(BOOLEAN, new byte[] {0}), text(PRESENT_FILTER, "objectClass"), tlv(SEQUENCE))));
            out.flush();
            int entries = 0;
            String dn = null;
            while (true) {
                s.setSoTimeout(deadline.remainingMillis());
                Ber reply = op(read(in));
                if (reply.tag == SEARCH_ENTRY) {
                    entries++;
                    dn = reply.firstString();
                } else if (reply.tag == SEARCH_DONE) {
                    if (reply.result() != 0 && entries == 0) {
                        return CheckResult.down("search of '" + spec.base() + "' failed: result code " + reply.result());
                    }
                    break;
                }
            }
            out.write(message(3, tlv(UNBIND_REQUEST)));
            if (entries != 1) {
                return CheckResult.down("search of '" + spec.base() + "' returned " + entries + " entries, not 1");
            }
            if (!spec.receive().isEmpty() && !Pattern.compile(spec.receive()).matcher(dn).find()) {
                return CheckResult.down("DN '" + dn + "' does not match '" + spec.receive() + "'");
            }
            return CheckResult.up("entry " + dn);
        } catch (IOException e) {
            return CheckResult.down(LogText.describe(e));
        } catch (IllegalArgumentException e) {
            return CheckResult.down("malformed LDAP reply: " + e.getMessage());
        }
    }

    private static byte[] message(int id, byte[] op) {
        return tlv(SEQUENCE, tlv(INTEGER, new byte[] {(byte) id}), op);
    }

    private static byte[] text(int tag, String s) {
        return tlv(tag, s.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] tlv(int tag, byte[]... parts) {
        ByteArrayOutputStream v = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            v.writeBytes(p);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = v.size();
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        }
        out.writeBytes(v.toByteArray());
        return out.toByteArray();
    }

    // one LDAPMessage: its bytes after the outer SEQUENCE header
    private static byte[] read(DataInputStream in) throws IOException {
        int tag = in.read();
        if (tag < 0) {
            throw new EOFException("connection closed by the server");
        }
        if (tag != SEQUENCE) {
            throw new IllegalArgumentException("message is not a SEQUENCE");
        }
        int len = in.readUnsignedByte();
        if (len >= 0x80) {
            int bytes = len & 0x7f;
            if (bytes == 0 || bytes > 3) {
                throw new IllegalArgumentException("length of " + bytes + " bytes");
            }
            len = 0;
            for (int i = 0; i < bytes; i++) {
                len = len << 8 | in.readUnsignedByte();
            }
        }
        if (len > MAX_MESSAGE) {
            throw new IllegalArgumentException("message of " + len + " bytes");
        }
        byte[] body = new byte[len];
        in.readFully(body);
        return body;
    }

    // the protocol op of a message body: skips the message ID
    private static Ber op(byte[] body) {
        Ber id = Ber.at(body, 0);
        return Ber.at(body, id.end);
    }

    /** One BER element inside a buffer. */
    private record Ber(byte[] buf, int tag, int start, int end) {
        static Ber at(byte[] b, int pos) {
            if (pos + 2 > b.length) {
                throw new IllegalArgumentException("element cut off");
            }
            int tag = b[pos] & 0xff;
            int len = b[pos + 1] & 0xff;
            int at = pos + 2;
            if (len >= 0x80) {
                int bytes = len & 0x7f;
                if (bytes == 0 || bytes > 3 || at + bytes > b.length) {
                    throw new IllegalArgumentException("bad length");
                }
                len = 0;
                for (int i = 0; i < bytes; i++) {
                    len = len << 8 | b[at++] & 0xff;
                }
            }
            if (at + len > b.length) {
                throw new IllegalArgumentException("element cut off");
            }
            return new Ber(b, tag, at, at + len);
        }

        // LDAPResult: resultCode ENUMERATED first
        int result() {
            Ber code = at(buf, start);
            int v = 0;
            for (int i = code.start; i < code.end; i++) {
                v = v << 8 | buf[i] & 0xff;
            }
            return v;
        }

        // SearchResultEntry: objectName first
        String firstString() {
            Ber name = at(buf, start);
            return new String(buf, name.start, name.end - name.start, StandardCharsets.UTF_8);
        }
    }
}
