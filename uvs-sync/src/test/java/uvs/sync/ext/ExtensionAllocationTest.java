package uvs.sync.ext;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import uvs.sync.SyncDaemonConfig;

/** The extensions add no per-datagram allocation on the master's, the sender's or the backup's path. */
class ExtensionAllocationTest {
    @Test
    void shouldNotAllocatePerDatagramInReliableAuthenticatedMode() {
        var threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        // 2 % loss on the data channel: NACKs, retransmissions and the hold-back run too
        SyncRig rig = new SyncRig(1, 5, 2, 0).start(
            SyncRig.reliable(SyncDaemonConfig.master().withMaxlen(300), true),
            SyncRig.reliable(SyncDaemonConfig.backup(), true), 1, 2);
        for (int round = 0; round < 3; round++) {
            drive(rig, round);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        long datagrams = rig.backup.counters().datagrams();
        long recovered = rig.backup.counters().recovered();
        drive(rig, 3);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        datagrams = rig.backup.counters().datagrams() - datagrams;
        // 3000 one-entry conns in messages of 6 entries (300 - 52 trailer - 8 header = 240 = 6 x 36)
        assertThat(datagrams).isGreaterThanOrEqualTo(500);
        assertThat(rig.backup.counters().recovered() - recovered).as("losses recovered while measuring").isPositive();
        assertThat(allocated).as("bytes allocated for %d datagrams", datagrams).isLessThan(4096);
    }

    private static void drive(SyncRig rig, int round) {
        for (int i = 0; i < 3000; i++) {
            int client = 0x0b00_0000 + round * 3000 + i;
            for (int k = 0; k < 3; k++) {
                rig.packet(SyncRig.DNS, client, 1000, 0, null);
            }
            if ((i & 63) == 0) {
                rig.clock.advanceMillis(40);
                rig.pump();
            }
        }
    }
}
