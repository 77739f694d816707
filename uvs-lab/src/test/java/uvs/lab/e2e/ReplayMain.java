package uvs.lab.e2e;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * Traffic that gives the same packets every time it runs, for comparing two directors' books of it. Run in a
 * namespace:
 * <ul>
 * <li>{@code server PORT VIP}: a UDP echo and a lock-step TCP echo (each request answered by one segment) on
 *     PORT; datagrams to VIP (direct routing) are answered from VIP, the others (NAT) from the real server;
 * <li>{@code client VIP PORT FLOWS ROUNDS SIZE HOLD_MS FIRST_SRC_PORT}: FLOWS UDP flows from source ports
 *     FIRST_SRC_PORT.. and FLOWS TCP connections (no delay), each doing ROUNDS request/answer rounds of SIZE
 *     bytes in lock step; then prints {@code ready}, keeps the TCP connections open HOLD_MS and closes them.
 *     Prints {@code lost N} for answers that did not come (exit 1 when N &gt; 0).
 * </ul>
 * Lock step keeps the segments alike: the answer carries the ACK of the request and the next request the ACK of
 * the answer, and no two writes share a segment.
 */
public final class ReplayMain {
    private static final int TIMEOUT_MILLIS = 1_000;
    private static final int MOST_LOST = 5;

    private ReplayMain() {}

    /** Runs the server or the client. */
    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("server")) {
            serve(Integer.parseInt(args[1]), InetAddress.getByName(args[2]));
        } else if (args.length == 8 && args[0].equals("client")) {
            System.exit(client(InetAddress.getByName(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                Integer.parseInt(args[4]), Integer.parseInt(args[5]), Long.parseLong(args[6]),
                Integer.parseInt(args[7])));
        } else {
            System.err.println("usage: server PORT VIP | client VIP PORT FLOWS ROUNDS SIZE HOLD_MS FIRST_SRC_PORT");
            System.exit(2);
        }
    }

    private static void serve(int port, InetAddress vip) throws IOException {
        udpEcho(bound(new InetSocketAddress(vip, port)));
        udpEcho(bound(new InetSocketAddress(port)));
        try (ServerSocket tcp = new ServerSocket(port, 64)) {
            System.out.println("listening " + port);
            System.out.flush();
            while (true) {
                Socket s = tcp.accept();
                Thread.ofPlatform().daemon().start(() -> echo(s));
            }
        }
    }

    // the VIP's socket and the wildcard one share the port
    private static DatagramSocket bound(InetSocketAddress at) throws IOException {
        DatagramSocket s = new DatagramSocket(null);
        s.setReuseAddress(true);
        s.bind(at);
        return s;
    }

    private static void udpEcho(DatagramSocket udp) {
        Thread.ofPlatform().daemon().start(() -> {
            byte[] buf = new byte[65536];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            while (true) {
                try {
                    p.setLength(buf.length);
                    udp.receive(p);
                    udp.send(new DatagramPacket(buf, p.getLength(), p.getSocketAddress()));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    private static void echo(Socket s) {
        try (s) {
            s.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            byte[] buf = new byte[65536];
            while (true) {
                int size = in.readInt();
                in.readFully(buf, 0, size);
                out.write(buf, 0, size);
                out.flush();
            }
        } catch (IOException e) {
            // the client closed
        }
    }

    private static int client(InetAddress vip, int port, int flows, int rounds, int size, long holdMillis,
                              int firstSrcPort) throws Exception {
        int lost = 0;
        byte[] payload = new byte[size];
        for (int i = 0; i < size; i++) {
            payload[i] = (byte) i;
        }
        byte[] answer = new byte[65536];
        for (int f = 0; f < flows; f++) {
            try (DatagramSocket udp = new DatagramSocket(firstSrcPort + f)) {
                udp.setSoTimeout(TIMEOUT_MILLIS);
                udp.connect(new InetSocketAddress(vip, port));
                for (int r = 0; r < rounds; r++) {
                    udp.send(new DatagramPacket(payload, size));
                    try {
                        udp.receive(new DatagramPacket(answer, answer.length));
                    } catch (SocketTimeoutException e) {
                        if (++lost >= MOST_LOST) {
                            System.out.println("lost " + lost);
                            return 1;
                        }
                    }
                }
            }
        }
        List<Socket> open = new ArrayList<>();
        byte[] request = new byte[4 + size];
        request[0] = (byte) (size >>> 24);
        request[1] = (byte) (size >>> 16);
        request[2] = (byte) (size >>> 8);
        request[3] = (byte) size;
        System.arraycopy(payload, 0, request, 4, size);
        try {
            for (int f = 0; f < flows; f++) {
                Socket s = new Socket();
                open.add(s);
                s.setTcpNoDelay(true);
                s.setSoTimeout(TIMEOUT_MILLIS);
                s.connect(new InetSocketAddress(vip, port), TIMEOUT_MILLIS);
                DataInputStream in = new DataInputStream(s.getInputStream());
                for (int r = 0; r < rounds; r++) {
                    s.getOutputStream().write(request);
                    try {
                        in.readFully(answer, 0, size);
                    } catch (SocketTimeoutException e) {
                        System.out.println("lost " + ++lost);
                        return 1;
                    }
                }
            }
            System.out.println("ready");
            System.out.println("lost " + lost);
            System.out.flush();
            Thread.sleep(holdMillis);
        } finally {
            for (Socket s : open) {
                s.close();
            }
        }
        return lost == 0 ? 0 : 1;
    }
}
