package uvs.sync.ext;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import uvs.sync.SyncDaemonConfig;
import uvs.sync.backup.SyncBackup;
import uvs.sync.transport.SyncTransport;

/**
 * Reliable mode without a key under a forger on the network: one datagram with the real master's sender id
 * and a sequence number far ahead must not make the master's next datagrams look like duplicates, and the
 * counters must neither wrap nor miss a master pushed out of the table.
 */
class ReliableSpoofingTest {
    private static final int MASTER_ID = 0x0a0b0c0d;
    /** One 36-byte entry after the 8-byte header, then the 20-byte trailer of reliable mode. */
    private static final SyncDaemonConfig MASTER = SyncDaemonConfig.master().withMaxlen(64).withReliable(true);
    private static final SyncDaemonConfig BACKUP = SyncDaemonConfig.backup().withReliable(true);
    private static final int TRAILER = UvsTrailer.BASE_LENGTH;

    private final SyncRig rig = new SyncRig(1, 1, 0, 0);

    /** The DATA datagrams of {@code count} UDP conns, one entry each, as the master sent them. */
    private List<byte[]> capture(int count, int firstClient) {
        rig.startMaster(MASTER, MASTER_ID);
        for (int i = 0; i < count; i++) {
            for (int k = 0; k < 3; k++) {
                rig.packet(SyncRig.DNS, firstClient + i, 6000, 0, null);
            }
        }
        while (rig.sender.doWork() > 0) {
            // until the queue is empty
        }
        rig.clock.advanceMillis(2000);
        rig.masterEngine.doWork();
        rig.master.doWork(rig.masterEngine.nowJiffies());
        rig.sender.doWork();
        List<byte[]> out = new ArrayList<>();
        UnsafeBuffer buf = new UnsafeBuffer(new byte[65535]);
        int n;
        while ((n = rig.wire.receive(buf, 0)) != SyncTransport.NONE) {
            if (UvsTrailer.type(buf, n - TRAILER) == UvsTrailer.TYPE_DATA) {
                byte[] d = new byte[n];
                buf.getBytes(0, d);
                out.add(d);
            }
        }
        assertThat(out).hasSize(count);
        return out;
    }

    private SyncBackup backup() {
        SyncBackup b = new SyncBackup(rig.backupEngine, BACKUP, rig.wire, 1500, 0x77);
        b.start();
        return b;
    }

    private static int feed(SyncBackup b, byte[] d) {
        return b.onDatagram(new UnsafeBuffer(d), 0, d.length);
    }

    /** {@code d} with another sequence number (no key: nothing else tells a forgery apart). */
    private static byte[] withSeq(byte[] d, long seq) {
        byte[] f = d.clone();
        new UnsafeBuffer(f).putLong(f.length - TRAILER + UvsTrailer.SEQ_OFFSET, seq, ByteOrder.BIG_ENDIAN);
        return f;
    }

    private static byte[] withSender(byte[] d, int sender) {
        byte[] f = d.clone();
        new UnsafeBuffer(f).putInt(f.length - TRAILER + UvsTrailer.SENDER_OFFSET, sender, ByteOrder.BIG_ENDIAN);
        return f;
    }

    private static long seqOf(byte[] d) {
        return UvsTrailer.seq(new UnsafeBuffer(d), d.length - TRAILER);
    }

    @Test
    void shouldKeepApplyingTheRealMasterAfterForgedSequenceJumps() {
        List<byte[]> d = capture(10, 0x0a00_0100);
        SyncBackup b = backup();
        for (int i = 0; i < 5; i++) {
            assertThat(feed(b, d.get(i))).isEqualTo(1);
        }
        long next = seqOf(d.get(5));
        // forged: the master's sender id, sequence numbers far ahead (the last one the largest there is)
        for (long jump : new long[] {next + 100_000, next + (1L << 62), Long.MAX_VALUE}) {
            assertThat(feed(b, withSeq(d.get(5), jump))).isZero();
        }
        assertThat(b.counters().outOfWindow()).isEqualTo(3);
        int applied = 0;
        for (int i = 5; i < 10; i++) {
            applied += feed(b, d.get(i));
        }
        assertThat(applied).as("the real master's datagrams after the forgeries; %s", b.counters()).isEqualTo(5);
        assertThat(b.counters().duplicates()).isZero();
        assertThat(b.counters().lost()).isZero();
        assertThat(b.counters().givenUp()).isZero();
        assertThat(rig.backupEngine.conns4().size()).isEqualTo(10);
    }

    @Test
    void shouldNotLetAForgerWhoSpeaksFirstWithTheLastNumberStallTheMaster() {
        List<byte[]> d = capture(5, 0x0a00_0300);
        SyncBackup b = backup();
        assertThat(feed(b, withSeq(d.get(0), Long.MAX_VALUE))).isZero();
        int applied = 0;
        for (byte[] x : d) {
            applied += feed(b, x);
        }
        assertThat(applied).as("%s", b.counters()).isEqualTo(5);
    }

    @Test
    void shouldCountAMasterPushedOutOfTheTableAsForgotten() {
        List<byte[]> d = capture(6, 0x0a00_0200);
        SyncBackup b = backup();
        // four masters fill the table; a fifth takes the slot of the one heard least recently
        for (int m = 0; m < 5; m++) {
            feed(b, withSender(d.get(m), MASTER_ID + m));
        }
        assertThat(b.counters().newMasters()).isEqualTo(5);
        assertThat(b.counters().mastersForgotten()).isEqualTo(1);
    }

    @Test
    void shouldSaturateLossCountersInsteadOfWrapping() {
        GapTracker g = new GapTracker();
        g.onSeq(0);
        g.onSeq(Long.MAX_VALUE - 1);
        g.reset();
        g.onSeq(0);
        g.onSeq(1_000_000);
        assertThat(g.lost()).isEqualTo(Long.MAX_VALUE);
        assertThat(g.missing()).isPositive();
        assertThat(GapTracker.add(Long.MAX_VALUE - 1, 5)).isEqualTo(Long.MAX_VALUE);
    }
}
