package uvs.sync.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import uvs.core.net.Af;

/**
 * Encoding and decoding must not allocate: many v1 and v0 messages (IPv4, IPv6, SEQ, PE options, and
 * faulty datagrams that are dropped or skipped) are written and read, measured with the JVM's per-thread
 * allocation counter after a warm-up.
 */
class SyncCodecAllocationTest {
    private static final int MESSAGES = 20_000;

    private final ThreadMXBean threads =
        (ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[SyncMessageWriter.requiredCapacity(1472)]);
    private final SyncMessageWriter writer = new SyncMessageWriter().wrap(buffer, 0, 1472);
    private final SyncMessageReader reader = new SyncMessageReader();
    private final SyncReceiveCounters counters = new SyncReceiveCounters();
    private final SyncEntry entry = new SyncEntry();
    private final CountingHandler handler = new CountingHandler();

    @Test
    void shouldNotAllocatePerMessageOrEntry() {
        for (int round = 0; round < 3; round++) {
            drive();
        }
        long entriesBefore = handler.entries;
        long before = threads.getCurrentThreadAllocatedBytes();
        drive();
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(allocated).as("bytes allocated for %d messages", MESSAGES).isLessThan(1024);
        assertThat(handler.entries - entriesBefore).as("entries decoded").isGreaterThan(MESSAGES * 10L);
        assertThat(counters.droppedTotal()).isPositive();
        assertThat(counters.skippedTotal()).isPositive();
    }

    private void drive() {
        entry.peName("sip");
        for (int i = 0; i < MESSAGES; i++) {
            int version = (i & 3) == 0 ? 0 : 1;
            writer.start(version, 5);
            for (int k = 0; ; k++) {
                fill(i, k);
                SyncAppendResult r = writer.tryAppend(entry);
                if (r == SyncAppendResult.FULL) {
                    break;
                }
            }
            int length = writer.finish();
            if (i % 7 == 0) {
                // v1: first entry's format version 7 → dropped; v0: nr_conns 255 → rest dropped as truncated
                buffer.putByte(version == 1 ? 8 + 2 : 0, (byte) (version == 1 ? 0x70 : 0xff));
            }
            reader.read(buffer, 0, length, 5, handler, counters);
        }
    }

    private void fill(int i, int k) {
        entry.af = (k % 5 == 4) ? Af.INET6 : Af.INET;
        entry.protocol = (k % 11 == 3) ? 1 : 6;
        entry.flags = 0x83 | ((k % 3 == 0) ? 0x0600 : 0) | ((k % 4 == 1) ? 0x1000 : 0);
        entry.state = k & 1;
        entry.cport = (i + k) & 0xffff;
        entry.vport = 80;
        entry.dport = 8080;
        entry.fwmark = k;
        entry.timeout = 900;
        entry.caddrHi = entry.af == Af.INET6 ? 0x20010db800000000L : 0;
        entry.caddrLo = 0x0a000000L + k;
        entry.vaddrHi = entry.caddrHi;
        entry.vaddrLo = 0x0a010101L;
        entry.daddrHi = entry.caddrHi;
        entry.daddrLo = 0x0a020202L;
        entry.seq(i, k, 0, -i, -k, 1);
        entry.peDataLength = (k % 4 == 1) ? 1 + k % 40 : 0;
    }

    /** Counts entries without keeping them. */
    private static final class CountingHandler implements SyncEntryHandler {
        long entries;
        long checksum;

        @Override
        public void onEntry(SyncEntry e) {
            entries++;
            checksum += e.cport + e.flags + e.peDataLength;
        }
    }
}
