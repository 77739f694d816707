package uvs.daemon.health;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLSocket;

/**
 * A line-based TCP exchange (SMTP, POP3, IMAP, NNTP, FTP) that never waits past its deadline: lines are
 * sent with CRLF, replies read a line at a time (bytes as Latin-1, at most {@link #MAX_LINE}).
 */
final class TextDialogue implements AutoCloseable {
    /** Longest reply line read. */
    static final int MAX_LINE = 4096;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Deadline deadline;

    private TextDialogue(Socket socket, Deadline deadline) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.deadline = deadline;
    }

    /** Connects to {@code target} from {@code source} (null = any) within {@code deadline}. */
    static TextDialogue open(InetSocketAddress target, InetSocketAddress source, Deadline deadline)
            throws IOException {
        Socket s = CheckSockets.tcp(source);
        try {
            s.connect(target, deadline.remainingMillis());
            return new TextDialogue(s, deadline);
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    /**
     * Connects to {@code target} from {@code source} and starts TLS at once (POP3S, IMAPS), within
     * {@code deadline}; the server's certificate is not verified (real servers are reached by address).
     */
    static TextDialogue openTls(InetSocketAddress target, InetSocketAddress source, Deadline deadline)
            throws IOException {
        TextDialogue plain = open(target, source, deadline);
        try {
            SSLSocket tls = (SSLSocket) InsecureTls.FACTORY.createSocket(plain.socket,
                target.getAddress().getHostAddress(), target.getPort(), true);
            tls.setSoTimeout(deadline.remainingMillis());
            tls.startHandshake();
            return new TextDialogue(tls, deadline);
        } catch (IOException e) {
            plain.socket.close();
            throw e;
        }
    }

    /** Sends {@code line} and CRLF. */
    void send(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Sends {@code text} as it is (Latin-1) and shuts the sending side, as a request that ends the input. */
    void sendRaw(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        socket.shutdownOutput();
    }

    /** The next line without its line end. */
    String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            socket.setSoTimeout(deadline.remainingMillis());
            int c = in.read();
            if (c < 0) {
                throw new EOFException("connection closed by the server");
            }
            if (c == '\n') {
                String s = b.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            if (b.size() >= MAX_LINE) {
                throw new IOException("reply line longer than " + MAX_LINE + " bytes");
            }
            b.write(c);
        }
    }

    /**
     * A complete numbered reply (SMTP, FTP): continuation lines {@code NNN-...} up to the last {@code NNN ...};
     * returns its last line.
     */
    String reply() throws IOException {
        String l = line();
        while (l.length() >= 4 && l.charAt(3) == '-') {
            l = line();
        }
        return l;
    }

    /** Reads up to {@code max} bytes, as many as the first read returns (at least one). */
    String some(int max) throws IOException {
        byte[] buf = new byte[max];
        socket.setSoTimeout(deadline.remainingMillis());
        int n = in.read(buf);
        if (n < 0) {
            throw new EOFException("connection closed by the server");
        }
        return new String(buf, 0, n, StandardCharsets.ISO_8859_1);
    }

    /** The code of a numbered reply line, or -1. */
    static int code(String line) {
        if (line.length() < 3) {
            return -1;
        }
        int code = 0;
        for (int i = 0; i < 3; i++) {
            char c = line.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            code = code * 10 + c - '0';
        }
        return line.length() == 3 || line.charAt(3) == ' ' || line.charAt(3) == '-' ? code : -1;
    }

    /** The deadline of this exchange. */
    Deadline deadline() {
        return deadline;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
