package uvs.daemon.health;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A DNS server for checks to query, on a loopback datagram socket the test opens. */
public final class LoopbackDns {
    private LoopbackDns() {
    }

    /**
     * Answers each query until {@code s} is closed: first a datagram with another ID and one without QR (both
     * to be skipped), then the answer: A 10.0.0.5 for www.example.com, NXDOMAIN for nx.*, an empty answer
     * otherwise.
     */
    public static void serve(DatagramSocket s) {
        byte[] buf = new byte[512];
        while (!s.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                s.receive(p);
                byte[] q = Arrays.copyOf(p.getData(), p.getLength());
                String name = new String(q, 12, q.length - 16, StandardCharsets.US_ASCII);
                byte[] foreign = q.clone();
                foreign[0] ^= 1;
                foreign[2] |= (byte) 0x80;
                s.send(new DatagramPacket(foreign, foreign.length, p.getSocketAddress()));
                s.send(new DatagramPacket(q, q.length, p.getSocketAddress()));
                byte[] answer = q.clone();
                answer[2] |= (byte) 0x80;
                if (name.startsWith("\2nx")) {
                    answer[3] = 3;
                } else if (name.startsWith("\3www")) {
                    answer[7] = 1;
                    byte[] rr = {(byte) 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, 5};
                    answer = Arrays.copyOf(answer, answer.length + rr.length);
                    System.arraycopy(rr, 0, answer, q.length, rr.length);
                }
                s.send(new DatagramPacket(answer, answer.length, p.getSocketAddress()));
            } catch (IOException closed) {
                return;
            }
        }
    }
}
