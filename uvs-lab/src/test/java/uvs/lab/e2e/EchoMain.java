package uvs.lab.e2e;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A TCP echo for the two-armed lab, run in a namespace: {@code server PORT} echoes every byte back;
 * {@code client HOST PORT BYTES SEED} sends that many seeded random bytes, reads them back and prints
 * {@code intact BYTES} or {@code corrupt ...} (exit status 1).
 */
public final class EchoMain {
    private static final int TIMEOUT_MILLIS = 20_000;

    private EchoMain() {}

    /** Runs the server or the client. */
    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("server")) {
            serve(Integer.parseInt(args[1]));
        } else if (args.length == 5 && args[0].equals("client")) {
            System.exit(client(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), Long.parseLong(args[4])));
        } else {
            System.err.println("usage: server PORT | client HOST PORT BYTES SEED");
            System.exit(2);
        }
    }

    private static void serve(int port) throws IOException {
        try (ServerSocket server = new ServerSocket(port, 64)) {
            System.out.println("listening " + port);
            System.out.flush();
            while (true) {
                Socket s = server.accept();
                Thread.ofVirtual().start(() -> echo(s));
            }
        }
    }

    private static void echo(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            byte[] buf = new byte[16384];
            for (int n = in.read(buf); n > 0; n = in.read(buf)) {
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            // the client went away: nothing more to echo
        }
    }

    private static int client(String host, int port, int bytes, long seed) throws Exception {
        byte[] data = new byte[bytes];
        new SplittableRandom(seed).nextBytes(data);
        byte[] back = new byte[bytes];
        try (Socket s = new Socket()) {
            s.setSoTimeout(TIMEOUT_MILLIS);
            s.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    s.getOutputStream().write(data);
                    s.shutdownOutput();
                } catch (IOException e) {
                    // the reader reports what arrived
                }
            });
            new DataInputStream(s.getInputStream()).readFully(back);
            writer.join();
        }
        int at = Arrays.mismatch(data, back);
        if (at >= 0) {
            System.out.println("corrupt at byte " + at + " of " + bytes + " (seed " + seed + ")");
            return 1;
        }
        System.out.println("intact " + bytes);
        return 0;
    }
}
