package uvs.daemon.health;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import uvs.ctl.health.CheckKind;

/**
 * DNS check over UDP (keepalived DNS_CHECK, ldirectord service=dns): one query with recursion desired.
 * Replies with another ID or without the response bit are skipped, as keepalived does; the first real
 * reply decides: up when its RCODE is 0 and, with {@code receive} (ldirectord), one of its A records'
 * address matches it.
 */
public final class DnsCheck extends TargetedCheck {
    private static final int HEADER = 12;
    private static final int TYPE_A = 1;

    private final CheckKind.Dns spec;

    /** A check of {@code target} from {@code source} (null = any). */
    public DnsCheck(InetSocketAddress target, InetSocketAddress source, CheckKind.Dns spec, Duration timeout) {
        super(target, source, timeout);
        this.spec = spec;
    }

    /** The query keepalived sends for {@code name} and {@code type}, with {@code id}. */
    static byte[] query(int id, String name, int type) {
        ByteArrayOutputStream q = new ByteArrayOutputStream();
        q.write(id >> 8);
        q.write(id);
        // flags: RD; one question
        q.writeBytes(new byte[] {1, 0, 0, 1, 0, 0, 0, 0, 0, 0});
        for (String label : name.split("\\.")) {
            if (!label.isEmpty()) {
                byte[] b = label.getBytes(StandardCharsets.US_ASCII);
                q.write(b.length);
                q.writeBytes(b);
            }
        }
        q.write(0);
        q.writeBytes(new byte[] {(byte) (type >> 8), (byte) type, 0, 1});
        return q.toByteArray();
    }

    @Override
    public CheckResult run() {
        Deadline deadline = Deadline.after(timeout);
        int id = ThreadLocalRandom.current().nextInt(0x10000);
        byte[] query = query(id, spec.name(), spec.type());
        try (DatagramSocket s = CheckSockets.udp(source)) {
            s.connect(target);
            s.send(new DatagramPacket(query, query.length));
            byte[] buf = new byte[4096];
            while (true) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                s.setSoTimeout(deadline.remainingMillis());
                s.receive(p);
                int n = p.getLength();
                if (n < HEADER || u16(buf, 0) != id || (buf[2] & 0x80) == 0) {
                    continue;
                }
                int rcode = buf[3] & 0x0f;
                if (rcode != 0) {
                    return CheckResult.down("rcode " + rcode);
                }
                if (spec.receive() == null) {
                    return CheckResult.up("answered");
                }
                String a = matchingA(buf, n, spec.receive());
                return a != null ? CheckResult.up("A " + a + " matches")
                    : CheckResult.down("no A record matches '" + spec.receive() + "'");
            }
        } catch (SocketTimeoutException e) {
            return CheckResult.down("no reply within " + timeout.toMillis() + " ms");
        } catch (PortUnreachableException e) {
            return CheckResult.down("port unreachable");
        } catch (IOException | RuntimeException e) {
            return CheckResult.down(e instanceof IOException io ? LogText.describe(io) : "malformed reply");
        }
    }

    // the first A record of the answer section whose dotted address matches, or null
    private static String matchingA(byte[] m, int n, String receive) {
        Pattern p = Pattern.compile(receive);
        int questions = u16(m, 4);
        int answers = u16(m, 6);
        int at = HEADER;
        for (int i = 0; i < questions; i++) {
            at = skipName(m, at, n) + 4;
        }
        for (int i = 0; i < answers; i++) {
            at = skipName(m, at, n);
            if (at + 10 > n) {
                throw new IllegalArgumentException("record cut off");
            }
            int type = u16(m, at);
            int length = u16(m, at + 8);
            at += 10;
            if (at + length > n) {
                throw new IllegalArgumentException("record cut off");
            }
            if (type == TYPE_A && length == 4) {
                String a = (m[at] & 0xff) + "." + (m[at + 1] & 0xff) + "." + (m[at + 2] & 0xff) + "." + (m[at + 3] & 0xff);
                if (p.matcher(a).find()) {
                    return a;
                }
            }
            at += length;
        }
        return null;
    }

    private static int skipName(byte[] m, int at, int n) {
        while (true) {
            if (at >= n) {
                throw new IllegalArgumentException("name cut off");
            }
            int len = m[at] & 0xff;
            if (len == 0) {
                return at + 1;
            }
            if ((len & 0xc0) == 0xc0) {
                return at + 2;
            }
            at += 1 + len;
        }
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | b[at + 1] & 0xff;
    }
}
