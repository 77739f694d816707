package uvs.daemon.health;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import uvs.ctl.health.CheckKind;

/**
 * ldirectord's {@code checktype=negotiate} for POP3, IMAP (each also over TLS: pops, imaps), NNTP, FTP and
 * simpletcp, with ldirectord's meaning of
 * each (see {@link CheckKind.Negotiate}). Everything happens within one timeout.
 */
public final class NegotiateCheck extends TargetedCheck {
    /** Most bytes of an FTP file kept to match {@code receive} against. */
    static final int MAX_FILE = 1 << 20;
    private static final Pattern PASV = Pattern.compile("(\\d+),(\\d+),(\\d+),(\\d+),(\\d+),(\\d+)");

    private final CheckKind.Negotiate spec;

    /** A check of {@code target} from {@code source} (null = any). */
    public NegotiateCheck(InetSocketAddress target, InetSocketAddress source, CheckKind.Negotiate spec,
                          Duration timeout) {
        super(target, source, timeout);
        this.spec = spec;
    }

    @Override
    public CheckResult run() {
        Deadline deadline = Deadline.after(timeout);
        boolean tls = spec.service() == CheckKind.Negotiate.Service.POPS
            || spec.service() == CheckKind.Negotiate.Service.IMAPS;
        try (TextDialogue d = tls ? TextDialogue.openTls(target, source, deadline)
            : TextDialogue.open(target, source, deadline)) {
            String failure = switch (spec.service()) {
                case POP, POPS -> pop(d);
                case IMAP, IMAPS -> imap(d);
                case NNTP -> nntp(d);
                case FTP -> ftp(d);
                case SIMPLETCP -> simpletcp(d);
            };
            return failure == null ? CheckResult.up(spec.service().name().toLowerCase(Locale.ROOT) + " ok")
                : CheckResult.down(failure);
        } catch (IOException e) {
            return CheckResult.down(LogText.describe(e));
        }
    }

    // Mail::POP3Client: +OK greeting, then USER/PASS when a login is set
    private String pop(TextDialogue d) throws IOException {
        String greeting = d.line();
        if (!greeting.startsWith("+OK")) {
            return "greeting '" + greeting + "' is not +OK";
        }
        if (!spec.login().isEmpty()) {
            d.send("USER " + spec.login());
            String user = d.line();
            if (!user.startsWith("+OK")) {
                return "USER answered '" + user + "'";
            }
            d.send("PASS " + spec.password());
            if (!d.line().startsWith("+OK")) {
                return "login refused";
            }
        }
        d.send("QUIT");
        return null;
    }

    // Net::IMAP::Simple: "* OK" greeting, then LOGIN when a login is set
    private String imap(TextDialogue d) throws IOException {
        String greeting = d.line();
        if (!greeting.startsWith("* OK") && !greeting.startsWith("* PREAUTH")) {
            return "greeting '" + greeting + "' is not * OK";
        }
        if (!spec.login().isEmpty()) {
            d.send("a1 LOGIN " + quoted(spec.login()) + " " + quoted(spec.password()));
            String l = d.line();
            while (!l.startsWith("a1 ")) {
                l = d.line();
            }
            if (!l.startsWith("a1 OK")) {
                return "login refused";
            }
        }
        d.send("a2 LOGOUT");
        return null;
    }

    private static String quoted(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    // ldirectord check_nntp: the first bytes (at most 64) start with '2'
    private static String nntp(TextDialogue d) throws IOException {
        String greeting = d.some(64);
        return greeting.startsWith("2") ? null : "greeting '" + greeting.strip() + "' is not 2xx";
    }

    // ldirectord check_simpletcp: the request (backslash-n as a newline), output shut, then a line matching receive
    private String simpletcp(TextDialogue d) throws IOException {
        d.sendRaw(spec.request().replace("\\n", "\n"));
        Pattern receive = Pattern.compile(spec.receive());
        while (true) {
            String line;
            try {
                line = d.line();
            } catch (EOFException end) {
                return "no reply line matches '" + spec.receive() + "'";
            }
            if (receive.matcher(line).find()) {
                return null;
            }
        }
    }

    // ldirectord check_ftp: login, CWD /, binary, passive, RETR request; the file must match receive
    private String ftp(TextDialogue d) throws IOException {
        String greeting = d.reply();
        if (TextDialogue.code(greeting) / 100 != 2) {
            return "greeting '" + greeting + "' is not 2xx";
        }
        // Net::FTP logs in as anonymous without a login
        String login = spec.login().isEmpty() ? "anonymous" : spec.login();
        String password = spec.login().isEmpty() ? "-anonymous@" : spec.password();
        d.send("USER " + login);
        String user = d.reply();
        if (TextDialogue.code(user) == 331) {
            d.send("PASS " + password);
            user = d.reply();
        }
        if (TextDialogue.code(user) != 230) {
            return "login refused: '" + user + "'";
        }
        d.send("CWD /");
        d.reply();
        d.send("TYPE I");
        d.reply();
        if (spec.request().isEmpty()) {
            d.send("QUIT");
            return null;
        }
        d.send("PASV");
        String pasv = d.reply();
        Matcher m = PASV.matcher(pasv);
        if (TextDialogue.code(pasv) != 227 || !m.find()) {
            return "PASV answered '" + pasv + "'";
        }
        int port = Integer.parseInt(m.group(5)) * 256 + Integer.parseInt(m.group(6));
        // the data connection goes to the server checked, whatever address it names (NAT)
        try (Socket data = CheckSockets.tcp(source)) {
            data.connect(new InetSocketAddress(target.getAddress(), port), d.deadline().remainingMillis());
            d.send("RETR " + spec.request());
            String retr = d.reply();
            if (TextDialogue.code(retr) != 150 && TextDialogue.code(retr) != 125) {
                return "RETR " + spec.request() + " answered '" + retr + "'";
            }
            String file = readAll(data, d.deadline());
            String done = d.reply();
            if (TextDialogue.code(done) / 100 != 2) {
                return "transfer ended with '" + done + "'";
            }
            d.send("QUIT");
            if (!spec.receive().isEmpty() && !Pattern.compile(spec.receive()).matcher(file).find()) {
                return spec.request() + " does not match '" + spec.receive() + "'";
            }
            return null;
        }
    }

    private static String readAll(Socket s, Deadline deadline) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[8192];
        while (true) {
            s.setSoTimeout(deadline.remainingMillis());
            int n = in.read(buf);
            if (n < 0) {
                return b.toString(StandardCharsets.ISO_8859_1);
            }
            if (b.size() + n > MAX_FILE) {
                throw new IOException("file longer than " + MAX_FILE + " bytes");
            }
            b.write(buf, 0, n);
        }
    }
}
