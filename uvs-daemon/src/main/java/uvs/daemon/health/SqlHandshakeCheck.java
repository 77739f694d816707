package uvs.daemon.health;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import uvs.ctl.health.CheckKind;

/**
 * The opening of a MySQL or PostgreSQL session (ldirectord service=mysql / pgsql, handshake only): MySQL's
 * greeting must be protocol 10, not an error packet ("Host ... is not allowed", "Too many connections");
 * PostgreSQL must answer a StartupMessage for {@code login} and {@code database} with an authentication
 * request, not an error ("the database system is starting up", "no pg_hba.conf entry"). The session is
 * then closed: no login and no query.
 */
public final class SqlHandshakeCheck extends TargetedCheck {
    private static final int PG_PROTOCOL_3 = 196_608;

    private final CheckKind.SqlHandshake spec;

    /** A check of {@code target} from {@code source} (null = any). */
    public SqlHandshakeCheck(InetSocketAddress target, InetSocketAddress source, CheckKind.SqlHandshake spec,
                             Duration timeout) {
        super(target, source, timeout);
        this.spec = spec;
    }

    @Override
    public CheckResult run() {
        Deadline deadline = Deadline.after(timeout);
        try (Socket s = connect(deadline)) {
            return spec.mysql() ? mysql(s.getInputStream()) : postgres(s);
        } catch (IOException e) {
            return CheckResult.down(LogText.describe(e));
        }
    }

    private static CheckResult mysql(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        byte[] head = new byte[4];
        d.readFully(head);
        int length = head[0] & 0xff | (head[1] & 0xff) << 8 | (head[2] & 0xff) << 16;
        byte[] p = new byte[Math.min(length, 1024)];
        d.readFully(p);
        if (p.length > 0 && p[0] == 10) {
            int end = 1;
            while (end < p.length && p[end] != 0) {
                end++;
            }
            return CheckResult.up("MySQL " + new String(p, 1, end - 1, StandardCharsets.ISO_8859_1));
        }
        if (p.length >= 3 && (p[0] & 0xff) == 0xff) {
            int code = p[1] & 0xff | (p[2] & 0xff) << 8;
            int text = p.length > 3 && p[3] == '#' ? 9 : 3;
            return CheckResult.down("MySQL error " + code + ": "
                + new String(p, Math.min(text, p.length), Math.max(0, p.length - text), StandardCharsets.UTF_8));
        }
        return CheckResult.down("not a MySQL greeting");
    }

    private CheckResult postgres(Socket s) throws IOException {
        ByteArrayOutputStream params = new ByteArrayOutputStream();
        for (String kv : new String[] {"user", spec.login(), "database", spec.database()}) {
            params.writeBytes(kv.getBytes(StandardCharsets.UTF_8));
            params.write(0);
        }
        params.write(0);
        int length = 8 + params.size();
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        for (int v : new int[] {length, PG_PROTOCOL_3}) {
            m.write(v >>> 24);
            m.write(v >>> 16);
            m.write(v >>> 8);
            m.write(v);
        }
        m.writeBytes(params.toByteArray());
        s.getOutputStream().write(m.toByteArray());
        s.getOutputStream().flush();
        DataInputStream d = new DataInputStream(s.getInputStream());
        int type = d.readUnsignedByte();
        int len = d.readInt();
        byte[] body = new byte[Math.max(0, Math.min(len - 4, 4096))];
        d.readFully(body);
        if (type == 'R') {
            return CheckResult.up("PostgreSQL asks for authentication");
        }
        if (type == 'E') {
            return CheckResult.down("PostgreSQL error: " + pgMessage(body));
        }
        return CheckResult.down("not a PostgreSQL reply (message type '" + (char) type + "')");
    }

    // the M (message) field of an ErrorResponse
    private static String pgMessage(byte[] body) {
        int at = 0;
        while (at < body.length && body[at] != 0) {
            int end = at + 1;
            while (end < body.length && body[end] != 0) {
                end++;
            }
            if (body[at] == 'M') {
                return new String(body, at + 1, end - at - 1, StandardCharsets.UTF_8);
            }
            at = end + 1;
        }
        return "(no message)";
    }
}
