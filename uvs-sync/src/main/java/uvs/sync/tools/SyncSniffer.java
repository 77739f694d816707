package uvs.sync.tools;

import java.io.PrintWriter;
import java.nio.ByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import uvs.sync.codec.SyncDropReason;
import uvs.sync.codec.SyncEntry;
import uvs.sync.codec.SyncEntryHandler;
import uvs.sync.codec.SyncMessageHeader;
import uvs.sync.codec.SyncMessageReader;
import uvs.sync.codec.SyncReceiveCounters;
import uvs.sync.codec.SyncSkipReason;
import uvs.sync.ext.UvsTrailer;

/**
 * Decodes sync datagrams (from a capture or a socket) with the backup's own reader and prints one line
 * per entry; datagrams the reader refuses are reported with the reason, so an operator sees exactly
 * what a UVS or Linux IPVS backup would accept.
 */
public final class SyncSniffer implements SyncEntryHandler {
    private final PrintWriter out;
    private final int syncid;
    private final SyncMessageReader reader = new SyncMessageReader();
    private final SyncReceiveCounters counters = new SyncReceiveCounters();
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
    private String prefix = "";

    /**
     * A sniffer printing to {@code out}.
     *
     * @param syncid accept only this syncid (0: all, as a backup with syncid 0 does)
     */
    public SyncSniffer(PrintWriter out, int syncid) {
        this.out = out;
        this.syncid = syncid;
    }

    /** Decodes one datagram received from {@code source}. */
    public void onDatagram(String source, ByteBuffer payload) {
        byte[] bytes = new byte[payload.remaining()];
        payload.duplicate().get(bytes);
        view.wrap(bytes);
        String version = bytes.length >= SyncMessageHeader.V1_LENGTH && isV1(bytes) ? "v1" : "v0";
        // the sniffer is a tool, not the receive path: a copy per datagram keeps the caller's buffer untouched
        int msgSyncid = bytes.length >= 2 ? bytes[1] & 0xff : -1;
        prefix = String.format("%s %s syncid=%d ", source, version, msgSyncid);
        SyncDropReason[] drops = SyncDropReason.values();
        SyncSkipReason[] skips = SyncSkipReason.values();
        long[] dropBefore = new long[drops.length];
        long[] skipBefore = new long[skips.length];
        for (int i = 0; i < drops.length; i++) {
            dropBefore[i] = counters.dropped(drops[i]);
        }
        for (int i = 0; i < skips.length; i++) {
            skipBefore[i] = counters.skipped(skips[i]);
        }
        int length = bytes.length;
        // a UVS reliable/authenticated datagram: the IPVS message is followed by a trailer
        for (int trailer : new int[] {UvsTrailer.BASE_LENGTH + UvsTrailer.MAC_LENGTH,
            UvsTrailer.BASE_LENGTH}) {
            int at = bytes.length - trailer;
            if (UvsTrailer.present(view, at, bytes.length)
                && UvsTrailer.length(UvsTrailer.flags(view, at)) == trailer) {
                prefix += String.format("uvs seq=%d type=%d%s ", UvsTrailer.seq(view, at),
                    UvsTrailer.type(view, at),
                    (UvsTrailer.flags(view, at) & UvsTrailer.FLAG_AUTH) != 0 ? " auth" : "");
                length = at;
                if (UvsTrailer.type(view, at) != UvsTrailer.TYPE_DATA) {
                    out.println(prefix + "control datagram");
                    out.flush();
                    return;
                }
                break;
            }
        }
        reader.read(view, 0, length, syncid, this, counters);
        for (int i = 0; i < drops.length; i++) {
            if (counters.dropped(drops[i]) > dropBefore[i]) {
                out.println(prefix + "message dropped (" + length + " bytes): " + drops[i]);
            }
        }
        for (int i = 0; i < skips.length; i++) {
            long n = counters.skipped(skips[i]) - skipBefore[i];
            if (n > 0) {
                out.println(prefix + n + " entr" + (n == 1 ? "y" : "ies") + " skipped: " + skips[i]);
            }
        }
        out.flush();
    }

    private static boolean isV1(byte[] b) {
        return b[0] == 0 && b[5] == 1 && b[6] == 0 && b[7] == 0;
    }

    @Override
    public void onEntry(SyncEntry e) {
        out.println(prefix + SyncEntryFormat.format(e));
    }

    /** What the reader counted so far. */
    public SyncReceiveCounters counters() {
        return counters;
    }
}
