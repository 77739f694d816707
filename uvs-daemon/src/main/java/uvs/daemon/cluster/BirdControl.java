package uvs.daemon.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * BIRD's control socket, as {@code birdc} speaks it: every reply line starts with a four-digit code, followed by
 * '-' while more lines come and by ' ' on the last; codes 0xxx are success, 8xxx and 9xxx errors. UVS asks only
 * {@code configure} (re-read the configuration, which includes the file uvsd writes).
 */
public final class BirdControl {
    private static final int TIMEOUT_MILLIS = 10_000;

    private final Path socket;

    /** BIRD listening on {@code socket} (e.g. {@code /run/bird/bird.ctl}). */
    public BirdControl(Path socket) {
        this.socket = socket;
    }

    /**
     * Asks BIRD to re-read its configuration.
     *
     * @return BIRD's reply lines
     * @throws IOException when BIRD is unreachable or refuses (its message included)
     */
    public List<String> configure() throws IOException {
        return command("configure");
    }

    /** Sends one command and returns the reply lines; an error reply is thrown with its text. */
    public List<String> command(String command) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch),
                StandardCharsets.UTF_8));
            Thread watchdog = Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(TIMEOUT_MILLIS);
                    ch.close();
                } catch (InterruptedException | IOException e) {
                    // finished in time, or closed anyway
                }
            });
            try {
                reply(in, "hello");
                ch.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8)));
                return reply(in, command);
            } finally {
                watchdog.interrupt();
            }
        } catch (IOException e) {
            throw new IOException("BIRD at " + socket + ": " + e.getMessage(), e);
        }
    }

    /** Reads one reply; an error code is thrown with its text. */
    static List<String> reply(BufferedReader in, String what) throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = in.readLine();
            if (line == null) {
                throw new IOException("connection closed during '" + what + "'");
            }
            lines.add(line);
            if (line.length() >= 5 && isCode(line) && line.charAt(4) == ' ') {
                char c = line.charAt(0);
                if (c == '8' || c == '9') {
                    throw new IOException("'" + what + "' failed: " + String.join(" | ", lines));
                }
                return lines;
            }
        }
    }

    private static boolean isCode(String line) {
        for (int i = 0; i < 4; i++) {
            if (!Character.isDigit(line.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
