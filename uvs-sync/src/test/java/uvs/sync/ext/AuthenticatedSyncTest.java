package uvs.sync.ext;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import uvs.core.Engine;
import uvs.sync.SyncDaemonConfig;
import uvs.sync.backup.SyncBackup;
import uvs.sync.backup.SyncBackupCounters;
import uvs.sync.transport.SyncTransport;

/**
 * Authenticated mode (without reliable mode): every datagram a master sends carries the trailer with its
 * HMAC and a sequence number per port; the backup verifies before parsing and refuses, counted by reason,
 * tampered and foreign-key datagrams, missing or garbled trailers, replays and numbers older than the
 * window, while accepting reordering within the window and a new window for a new sender id.
 */
class AuthenticatedSyncTest {
    private static final int MASTER_ID = 0x0a0b0c0d;
    /** 100 - 52 trailer = 48 bytes of IPVS message: one 36-byte entry after the 8-byte header. */
    private static final SyncDaemonConfig MASTER = SyncDaemonConfig.master().withMaxlen(100).withAuthKey(SyncRig.KEY);
    private static final SyncDaemonConfig BACKUP = SyncDaemonConfig.backup().withAuthKey(SyncRig.KEY);

    private final SyncRig rig = new SyncRig(1, 1, 0, 0);

    /** Datagrams of {@code count} UDP conns, one entry each, as the master sent them, from {@code firstClient}. */
    private List<byte[]> capture(int count, int firstClient, int masterId) {
        rig.startMaster(MASTER, masterId);
        for (int i = 0; i < count; i++) {
            // the 3rd packet syncs the conn (3 % 50 == 3); its entry closes the previous one-entry message
            for (int k = 0; k < 3; k++) {
                rig.packet(SyncRig.DNS, firstClient + i, 6000, 0, null);
            }
        }
        // the full messages go first; the last, partial one once the queue is empty and it is 2 s old
        while (rig.sender.doWork() > 0) {
            // until the queue is empty
        }
        rig.clock.advanceMillis(2000);
        rig.masterEngine.doWork();
        rig.master.doWork(rig.masterEngine.nowJiffies());
        rig.sender.doWork();
        rig.master.stop();
        List<byte[]> out = new ArrayList<>();
        UnsafeBuffer buf = new UnsafeBuffer(new byte[65535]);
        int n;
        while ((n = rig.wire.receive(buf, 0)) != SyncTransport.NONE) {
            byte[] d = new byte[n];
            buf.getBytes(0, d);
            out.add(d);
        }
        assertThat(out).hasSize(count);
        return out;
    }

    private SyncBackup backup(SyncDaemonConfig config) {
        SyncBackup b = new SyncBackup(rig.backupEngine, config, rig.wire, 1500, 0x77);
        b.start();
        return b;
    }

    private static int feed(SyncBackup b, byte[] d) {
        return b.onDatagram(new UnsafeBuffer(d), 0, d.length);
    }

    private static long refused(SyncBackupCounters c) {
        return c.authFailures() + c.replays() + c.noTrailer();
    }

    @Test
    void shouldNumberEveryDatagramAndAcceptThemReorderedWithinTheWindow() {
        List<byte[]> d = capture(10, 0x0a00_0100, MASTER_ID);
        for (int i = 0; i < d.size(); i++) {
            byte[] x = d.get(i);
            int t = x.length - 52;
            // 44-byte message + trailer: AUTH only, DATA, the sender id, sequence numbers 0, 1, 2, ...
            assertThat(x.length).isEqualTo(44 + 52);
            assertThat(UvsTrailer.flags(new UnsafeBuffer(x), t)).isEqualTo(UvsTrailer.FLAG_AUTH);
            assertThat(UvsTrailer.sender(new UnsafeBuffer(x), t)).isEqualTo(MASTER_ID);
            assertThat(UvsTrailer.seq(new UnsafeBuffer(x), t)).isEqualTo(i);
        }
        SyncBackup b = backup(BACKUP);
        // pairs swapped: 1 0 3 2 5 4 7 6 9 8, each within the 64-number window
        for (int i = 0; i < 10; i += 2) {
            assertThat(feed(b, d.get(i + 1))).isEqualTo(1);
            assertThat(feed(b, d.get(i))).isEqualTo(1);
        }
        assertThat(b.counters().created()).isEqualTo(10);
        assertThat(refused(b.counters())).isZero();
        // without reliable mode a backup never answers: no NACK for the reordering, no resync request
        b.doWork();
        assertThat(rig.wire.repliesSent()).isZero();
    }

    @Test
    void shouldDropTamperedDatagramsAndGarbledTrailers() {
        List<byte[]> d = capture(8, 0x0a00_0200, MASTER_ID);
        SyncBackup b = backup(BACKUP);
        int len = d.get(0).length;
        int t = len - 52;
        byte[] body = d.get(0).clone();
        body[20] ^= 1;
        byte[] mac = d.get(1).clone();
        mac[len - 1] ^= (byte) 0x80;
        byte[] seq = d.get(2).clone();
        seq[t + UvsTrailer.SEQ_OFFSET + 7] ^= 1;
        byte[] magic = d.get(3).clone();
        magic[t] = 'X';
        byte[] flags = d.get(4).clone();
        flags[t + UvsTrailer.FLAGS_OFFSET] = UvsTrailer.FLAG_SEQ | UvsTrailer.FLAG_AUTH;
        byte[] truncated = Arrays.copyOf(d.get(5), len - 1);
        byte[] plain = Arrays.copyOf(d.get(6), 44);
        for (byte[] x : List.of(body, mac, seq)) {
            assertThat(feed(b, x)).isZero();
        }
        assertThat(b.counters().authFailures()).as("body, HMAC and sequence number tampered").isEqualTo(3);
        for (byte[] x : List.of(magic, flags, truncated, plain)) {
            assertThat(feed(b, x)).isZero();
        }
        // a wrong magic, another mode's flags, a trailer shifted by a lost byte, none at all
        assertThat(b.counters().noTrailer()).isEqualTo(4);
        assertThat(b.counters().replays()).isZero();
        assertThat(rig.backupEngine.conns4().size()).isZero();
        // the untouched last datagram still goes in
        assertThat(feed(b, d.get(7))).isEqualTo(1);
    }

    @Test
    void shouldDropDatagramsSignedWithAnotherKey() {
        List<byte[]> d = capture(5, 0x0a00_0300, MASTER_ID);
        byte[] other = SyncRig.KEY.clone();
        other[31] ^= 1;
        SyncBackup b = backup(SyncDaemonConfig.backup().withAuthKey(other));
        for (byte[] x : d) {
            assertThat(feed(b, x)).isZero();
        }
        assertThat(b.counters().authFailures()).isEqualTo(5);
        assertThat(rig.backupEngine.conns4().size()).isZero();
    }

    @Test
    void shouldDropReplayedAndTooOldDatagrams() {
        List<byte[]> d = capture(70, 0x0a00_0400, MASTER_ID);
        SyncBackup b = backup(BACKUP);
        // 0 and 10 held back; 1..9 and 11..69 in order: the highest number seen is 69
        for (int i = 1; i < 70; i++) {
            if (i != 10) {
                feed(b, d.get(i));
            }
        }
        assertThat(b.counters().created()).isEqualTo(68);
        // a repeat of 69 and of 30 (39 behind, seen): replays
        assertThat(feed(b, d.get(69))).isZero();
        assertThat(feed(b, d.get(30))).isZero();
        // 10 was never seen and is 59 behind: within the window of 64, accepted once, then a replay
        assertThat(feed(b, d.get(10))).isEqualTo(1);
        assertThat(feed(b, d.get(10))).isZero();
        // 0 was never seen but is 69 behind: too old to judge, refused
        assertThat(feed(b, d.get(0))).isZero();
        assertThat(b.counters().replays()).isEqualTo(4);
        assertThat(b.counters().created()).isEqualTo(69);
        assertThat(b.counters().authFailures() + b.counters().noTrailer()).isZero();
    }

    @Test
    void shouldStartANewWindowForANewSenderId() {
        List<byte[]> first = capture(3, 0x0a00_0500, MASTER_ID);
        // a restarted master: a new random id, numbering from 0 again
        Engine old = rig.masterEngine;
        List<byte[]> second = capture(3, 0x0a00_0600, MASTER_ID + 1);
        assertThat(rig.masterEngine).isSameAs(old);
        SyncBackup b = backup(BACKUP);
        for (byte[] x : first) {
            feed(b, x);
        }
        for (byte[] x : second) {
            assertThat(feed(b, x)).as("numbers 0..2 again, under the new id").isEqualTo(1);
        }
        assertThat(feed(b, first.get(2))).as("the old id's window still stands").isZero();
        assertThat(b.counters().newMasters()).isEqualTo(2);
        assertThat(b.counters().replays()).isEqualTo(1);
        assertThat(b.counters().created()).isEqualTo(6);
    }
}
