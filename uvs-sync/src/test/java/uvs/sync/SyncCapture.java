package uvs.sync;

import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import uvs.sync.codec.SyncEntry;
import uvs.sync.codec.SyncMessageReader;
import uvs.sync.codec.SyncReceiveCounters;
import uvs.sync.master.SyncSender;
import uvs.sync.transport.InMemorySyncTransport;
import uvs.sync.transport.SyncTransport;

/** Test helper: runs a sender until idle and decodes what reached the in-memory wire. */
public final class SyncCapture {
    /** One received datagram. */
    public record Message(int port, int version, int length, List<SyncEntry> entries, byte[] bytes) {
    }

    private SyncCapture() {
    }

    /** Sends everything queued, then receives and decodes every datagram of every port. */
    public static List<Message> drain(SyncSender sender, InMemorySyncTransport wire) {
        while (sender.doWork() > 0) {
            // until the queues are empty
        }
        return receiveAll(wire);
    }

    /** Receives and decodes every datagram waiting on the wire, port by port. */
    public static List<Message> receiveAll(InMemorySyncTransport wire) {
        List<Message> out = new ArrayList<>();
        UnsafeBuffer buf = new UnsafeBuffer(new byte[65535]);
        SyncMessageReader reader = new SyncMessageReader();
        SyncReceiveCounters counters = new SyncReceiveCounters();
        for (int port = 0; port < wire.ports(); port++) {
            int n;
            while ((n = wire.receive(buf, port)) != SyncTransport.NONE) {
                List<SyncEntry> entries = new ArrayList<>();
                reader.read(buf, 0, n, 0, e -> entries.add(new SyncEntry().copyFrom(e)), counters);
                boolean v1 = n >= 8 && buf.getByte(0) == 0 && buf.getByte(5) == 1;
                byte[] raw = new byte[n];
                buf.getBytes(0, raw);
                out.add(new Message(port, v1 ? 1 : 0, n, entries, raw));
            }
        }
        return out;
    }

    /** All entries of the messages, in order. */
    public static List<SyncEntry> entries(List<Message> messages) {
        List<SyncEntry> all = new ArrayList<>();
        for (Message m : messages) {
            all.addAll(m.entries());
        }
        return all;
    }
}
