package uvs.sync.ext;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import uvs.core.net.IpProto;
import uvs.core.proto.TcpState;
import uvs.sync.SyncDaemonConfig;
import uvs.sync.backup.SyncBackupCounters;
import uvs.sync.master.SyncMasterCounters;

/**
 * Reliable mode end to end over the seeded in-memory wire: NACK recovery under loss on both channels with
 * entries applied in the master's order, heartbeats revealing a lost tail, "gone" answers and give-ups
 * leading to a resync, the startup bulk resync of a restarted backup and the resync after a master restart.
 */
class ReliableSyncTest {
    private static final int FLOWS = 1500;
    /** Small messages (about 6 entries each) make many datagrams, so that loss hits often. */
    private static final int MAXLEN = 300;
    private static final int MASTER_ID = 0x11111111;
    private static final int BACKUP_ID = 0x22222222;

    /** The backup's table after a loss-free plain run: the reference every recovered run must reach. */
    private static TreeMap<String, String> reference(long seed, int ports) {
        SyncRig rig = new SyncRig(ports, seed, 0, 0)
            .start(SyncDaemonConfig.master(), SyncDaemonConfig.backup(), MASTER_ID, BACKUP_ID);
        rig.run(SyncRig.flows(seed, FLOWS, 0x0a01_0000), seed);
        rig.idle(3000, 100);
        return rig.backupView();
    }

    /** A reliable run with the given loss; returns the rig once everything settled. */
    private static SyncRig reliableRun(long seed, int ports, double loss, double replyLoss, boolean auth) {
        SyncRig rig = new SyncRig(ports, seed, loss, replyLoss).start(
            SyncRig.reliable(SyncDaemonConfig.master().withMaxlen(MAXLEN), auth),
            SyncRig.reliable(SyncDaemonConfig.backup(), auth), MASTER_ID, BACKUP_ID);
        // the backup hears the master's first heartbeats (on every port) and gets the (empty) table before traffic
        assertThat(rig.idleUntil(() -> rig.backup.counters().resyncsCompleted() == 1, 10_000))
            .as("seed %d: startup resync", seed).isTrue();
        rig.run(SyncRig.flows(seed, FLOWS, 0x0a01_0000), seed);
        // flush (2 s), heartbeats (1 s idle) for lost tails, NACK retries (100 ms)
        rig.idle(5000, 50);
        return rig;
    }

    private static void assertConverged(SyncRig rig, long seed, double loss) {
        TreeMap<String, String> expected = reference(seed, rig.wire.ports());
        SyncBackupCounters b = rig.backup.counters();
        SyncMasterCounters m = rig.master.counters();
        assertThat(rig.wire.lost()).as("seed %d: the wire lost datagrams", seed).isPositive();
        assertThat(rig.backupView()).as("seed %d, %.0f %% loss: backup table against a loss-free plain run; %s",
            seed, loss, b).isEqualTo(expected);
        // every loss was noticed and recovered; nothing given up, so no resync beyond the startup one
        assertThat(b.lost()).as("seed %d: %s", seed, b).isPositive();
        assertThat(b.recovered()).as("seed %d: %s", seed, b).isEqualTo(b.lost());
        assertThat(b.givenUp()).isZero();
        assertThat(b.resyncsCompleted()).as("seed %d: %s", seed, b).isEqualTo(1);
        assertThat(m.resyncsStarted()).as("seed %d: %s %s", seed, m, b).isEqualTo(1);
        assertThat(b.nacksSent()).isPositive();
        assertThat(m.nacksReceived()).isPositive().isLessThanOrEqualTo(b.nacksSent());
        assertThat(m.retransmitted()).isGreaterThanOrEqualTo(b.recovered());
        assertThat(m.gone()).isZero();
        assertThat(b.receive().droppedTotal() + b.receive().skippedTotal() + b.noTrailer() + b.authFailures()
            + b.replays()).isZero();
    }

    @Test
    void shouldConvergeToTheLossFreeTableWithOnePercentLoss() {
        long seed = 101;
        SyncRig rig = reliableRun(seed, 1, 1, 5, false);
        assertConverged(rig, seed, 1);
    }

    @Test
    void shouldConvergeToTheLossFreeTableWithFivePercentLossOnTwoPortsAndAuthentication() {
        long seed = 102;
        SyncRig rig = reliableRun(seed, 2, 5, 10, true);
        assertConverged(rig, seed, 5);
        assertThat(rig.wire.repliesLost()).as("seed %d: NACK channel losses", seed).isPositive();
    }

    @Test
    void shouldMissEntriesInPlainModeWithTheSameLoss() {
        long seed = 102;
        SyncRig rig = new SyncRig(2, seed, 5, 10)
            .start(SyncDaemonConfig.master().withMaxlen(MAXLEN), SyncDaemonConfig.backup(), MASTER_ID, BACKUP_ID);
        rig.run(SyncRig.flows(seed, FLOWS, 0x0a01_0000), seed);
        rig.idle(5000, 50);
        TreeMap<String, String> expected = reference(seed, 2);
        TreeMap<String, String> got = rig.backupView();
        long differing = expected.entrySet().stream().filter(e -> !e.getValue().equals(got.get(e.getKey()))).count();
        assertThat(differing).as("seed %d: entries missing or stale after %d lost datagrams", seed, rig.wire.lost())
            .isPositive();
    }

    // ------------------------------------------------------------------ single losses, step by step

    /** A lossless reliable rig on one port whose startup resync is done; {@code auth} adds the key. */
    private static SyncRig quietRig(SyncDaemonConfig masterConfig, boolean auth) {
        SyncRig rig = new SyncRig(1, 7, 0, 0).start(SyncRig.reliable(masterConfig, auth),
            SyncRig.reliable(SyncDaemonConfig.backup(), auth), MASTER_ID, BACKUP_ID);
        assertThat(rig.idleUntil(() -> rig.backup.counters().resyncsCompleted() == 1, 1000)).isTrue();
        return rig;
    }

    /** Loses the first DATA datagram sent from now on, once. */
    private static void loseNextData(SyncRig rig, int trailerLength) {
        boolean[] done = {false};
        rig.wire.dropFilter((port, seq, buf, off, len) -> {
            boolean data = UvsTrailer.type(buf, off + len - trailerLength) == UvsTrailer.TYPE_DATA;
            if (data && !done[0]) {
                done[0] = true;
                return true;
            }
            return false;
        });
    }

    /** Flushes the master's partial message after 2 s and sends it, without letting the backup run. */
    private static void flushMasterOnly(SyncRig rig) {
        rig.clock.advanceMillis(2000);
        rig.masterEngine.doWork();
        rig.master.doWork(rig.masterEngine.nowJiffies());
        while (rig.sender.doWork() > 0) {
            // until the queue is empty
        }
    }

    private static String tcpKey(int client, int cport) {
        return IpProto.TCP + "/" + Long.toHexString(client) + ":" + cport + "/80";
    }

    @Test
    void shouldApplyEntriesInTheMastersOrderWhenAnEarlierDatagramIsRecoveredLate() {
        SyncRig rig = quietRig(SyncDaemonConfig.master(), false);
        loseNextData(rig, 20);
        int client = 0x0a09_0001;
        // 3rd packet of an ESTABLISHED conn: synced by count; its datagram is lost
        rig.packet(SyncRig.HTTP, client, 5000, SyncRig.SYN, null);
        rig.packet(SyncRig.HTTP, client, 5000, SyncRig.ACK, null);
        rig.packet(SyncRig.HTTP, client, 5000, SyncRig.ACK, null);
        flushMasterOnly(rig);
        // the FIN moves it to FIN_WAIT, sent at once (state change); this datagram arrives
        rig.packet(SyncRig.HTTP, client, 5000, SyncRig.FIN, null);
        flushMasterOnly(rig);
        rig.pump();
        // the backup held the FIN_WAIT datagram until the ESTABLISHED one was retransmitted and applied
        // both in order; applied as they arrived, the late ESTABLISHED copy would have won
        assertThat(rig.backupView().get(tcpKey(client, 5000))).startsWith("state=" + TcpState.FIN_WAIT + " ");
        SyncBackupCounters b = rig.backup.counters();
        assertThat(b.lost()).isEqualTo(1);
        assertThat(b.recovered()).isEqualTo(1);
        assertThat(b.nacksSent()).isEqualTo(1);
        assertThat(rig.master.counters().retransmitted()).isEqualTo(1);
        assertThat(b.updated()).as("ESTABLISHED created it, FIN_WAIT updated it").isEqualTo(1);
        assertThat(b.created()).isEqualTo(1);
    }

    @Test
    void shouldNoticeALostLastDatagramByTheNextHeartbeat() {
        SyncRig rig = quietRig(SyncDaemonConfig.master(), true);
        loseNextData(rig, 52);
        int client = 0x0a09_0002;
        rig.packet(SyncRig.HTTP, client, 5001, SyncRig.SYN, null);
        rig.packet(SyncRig.HTTP, client, 5001, SyncRig.ACK, null);
        rig.packet(SyncRig.HTTP, client, 5001, SyncRig.ACK, null);
        flushMasterOnly(rig);
        long heartbeats = rig.master.counters().heartbeats();
        rig.pump();
        assertThat(rig.backupView()).as("nothing tells the backup yet").doesNotContainKey(tcpKey(client, 5001));
        // 1 s after the lost datagram was queued the idle port sends a heartbeat with the next number
        rig.idle(960, 40);
        assertThat(rig.backupView()).doesNotContainKey(tcpKey(client, 5001));
        rig.idle(40, 40);
        assertThat(rig.master.counters().heartbeats()).isEqualTo(heartbeats + 1);
        assertThat(rig.backupView().get(tcpKey(client, 5001))).startsWith("state=" + TcpState.ESTABLISHED + " ");
        assertThat(rig.backup.counters().recovered()).isEqualTo(1);
    }

    @Test
    void shouldAnswerARangeNoLongerInTheRingAsGoneAndResync() {
        // a 16-datagram ring; messages of one entry (96 - 52 trailer = 44 bytes: room for 8 header + 36, the
        // entry with its 6-byte EXPIRES option goes alone)
        SyncRig rig = quietRig(SyncDaemonConfig.master().withMaxlen(96).withReliableTunables(16, 100, 1000, 1024,
            1024), true);
        loseNextData(rig, 52);
        // 40 UDP conns, each sent on its 3rd packet: 40 one-entry datagrams, the first one lost; the
        // backup does not run meanwhile, so its NACK comes when the ring holds only the last 16
        for (int i = 0; i < 40; i++) {
            for (int k = 0; k < 3; k++) {
                rig.packet(SyncRig.DNS, 0x0a0a_0000 + i, 7000, 0, null);
            }
        }
        flushMasterOnly(rig);
        rig.pump();
        SyncBackupCounters b = rig.backup.counters();
        SyncMasterCounters m = rig.master.counters();
        assertThat(m.gone()).as("%s", m).isEqualTo(1);
        assertThat(b.givenUp()).as("%s", b).isEqualTo(1);
        assertThat(b.resyncsCompleted()).as("startup, then the gone datagram").isEqualTo(2);
        assertThat(b.resyncRequests()).isEqualTo(2);
        // the resync brought the lost conn: the backup holds exactly the master's table
        assertThat(rig.backupView()).hasSize(40).isEqualTo(rig.masterSyncedView());
        assertThat(b.resyncEntries()).isEqualTo(40);
    }

    @Test
    void shouldGiveUpAfterFiveUnansweredNacksThenSkipTheGapAndResync() {
        SyncRig rig = quietRig(SyncDaemonConfig.master().withMaxlen(96), false);
        loseNextData(rig, 20);
        rig.wire.replyDropFilter((port, seq, buf, off, len) ->
            UvsTrailer.type(buf, off + len - 20) == UvsTrailer.TYPE_NACK);
        for (int i = 0; i < 10; i++) {
            for (int k = 0; k < 3; k++) {
                rig.packet(SyncRig.DNS, 0x0a0b_0000 + i, 7000, 0, null);
            }
        }
        flushMasterOnly(rig);
        rig.pump();
        SyncBackupCounters b = rig.backup.counters();
        assertThat(rig.backupView()).as("9 later datagrams are held behind the lost one").isEmpty();
        // asked at once and after 100, 200, 300, 400 ms; given up at 500 ms
        rig.idle(480, 20);
        assertThat(b.nacksSent()).isEqualTo(5);
        assertThat(b.givenUp()).isZero();
        rig.idle(20, 20);
        assertThat(b.givenUp()).isEqualTo(1);
        assertThat(b.resyncsCompleted()).isEqualTo(2);
        assertThat(rig.master.counters().nacksReceived()).isZero();
        assertThat(rig.backupView()).hasSize(10).isEqualTo(rig.masterSyncedView());
    }

    // ------------------------------------------------------------------ restarts

    @Test
    void shouldGiveARestartedBackupTheWholeTableByResync() {
        long seed = 103;
        SyncRig rig = new SyncRig(2, seed, 2, 5).start(
            SyncRig.reliable(SyncDaemonConfig.master().withMaxlen(MAXLEN), true),
            SyncRig.reliable(SyncDaemonConfig.backup(), true), MASTER_ID, BACKUP_ID);
        rig.run(SyncRig.flows(seed, FLOWS, 0x0a01_0000), seed);
        rig.idle(3000, 50);
        rig.backup.stop();
        rig.backupEngine = rig.engine(2, true);
        rig.startBackup(SyncRig.reliable(SyncDaemonConfig.backup(), true), BACKUP_ID + 1);
        long walkedBefore = rig.master.counters().resyncEntries();
        assertThat(rig.idleUntil(() -> rig.backup.counters().resyncsCompleted() == 1, 10_000))
            .as("seed %d: %s", seed, rig.backup.counters()).isTrue();
        TreeMap<String, String> expected = rig.masterSyncedView();
        Map<String, String> got = rig.backupView();
        long agreeing = expected.entrySet().stream().filter(e -> e.getValue().equals(got.get(e.getKey()))).count();
        assertThat(agreeing).as("seed %d: entries in agreement right after RESYNC_DONE", seed)
            .isEqualTo(expected.size());
        assertThat(got).isEqualTo(expected);
        assertThat(expected).hasSizeGreaterThan(1000);
        SyncBackupCounters b = rig.backup.counters();
        // nothing but the resync ran: every walked entry reached the new backup exactly once
        assertThat(b.resyncEntries()).isEqualTo(expected.size());
        assertThat(rig.master.counters().resyncEntries() - walkedBefore).isEqualTo(expected.size());
        assertThat(b.lastResyncMillis()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void shouldResyncFromARestartedMasterUnderItsNewSenderId() {
        long seed = 104;
        SyncDaemonConfig masterConfig = SyncRig.reliable(SyncDaemonConfig.master().withMaxlen(MAXLEN), true);
        SyncRig rig = new SyncRig(1, seed, 1, 5).start(masterConfig,
            SyncRig.reliable(SyncDaemonConfig.backup(), true), MASTER_ID, BACKUP_ID);
        rig.run(SyncRig.flows(seed, 400, 0x0a01_0000), seed);
        rig.idle(3000, 50);
        rig.master.stop();
        // traffic while no master daemon runs is not synced
        SyncRig.Flow f = new SyncRig.Flow(SyncRig.DNS, 0x0a0c_0001, 9000, new int[3], null);
        rig.run(List.of(f), seed);
        assertThat(rig.backupView()).doesNotContainKey(IpProto.UDP + "/a0c0001:9000/53");
        // the new daemon starts numbering at 0 under a new id: a new replay window and a resync
        rig.startMaster(masterConfig, MASTER_ID + 1);
        assertThat(rig.idleUntil(() -> rig.backup.counters().resyncsCompleted() == 2, 10_000))
            .as("seed %d: %s", seed, rig.backup.counters()).isTrue();
        assertThat(rig.backupView()).isEqualTo(rig.masterSyncedView()).containsKey(IpProto.UDP + "/a0c0001:9000/53");
        SyncBackupCounters b = rig.backup.counters();
        assertThat(b.newMasters()).isEqualTo(2);
        assertThat(b.replays() + b.authFailures() + b.noTrailer()).isZero();
        // the old master is forgotten after 5 heartbeat intervals of silence
        rig.idle(6000, 100);
        assertThat(b.mastersForgotten()).isEqualTo(1);
    }

    @Test
    void shouldWalkAtMostTheConfiguredEntriesPerCycle() {
        SyncRig rig = quietRig(SyncDaemonConfig.master().withReliableTunables(1024, 100, 1000, 64, 1024), false);
        for (int i = 0; i < 200; i++) {
            for (int k = 0; k < 3; k++) {
                rig.packet(SyncRig.DNS, 0x0a0d_0000 + i, 7000, 0, null);
            }
        }
        rig.idle(3000, 100);
        rig.backup.stop();
        rig.backupEngine = rig.engine(1, true);
        rig.startBackup(SyncRig.reliable(SyncDaemonConfig.backup(), false), BACKUP_ID + 1);
        // one step per ms: engines, master cycle, sender, backup
        long walked = rig.master.counters().resyncEntries();
        int maxPerCycle = 0;
        int cycles = 0;
        boolean sawResyncing = false;
        while (rig.backup.counters().resyncsCompleted() == 0 && cycles < 5000) {
            rig.clock.advanceMillis(1);
            rig.masterEngine.doWork();
            rig.backupEngine.doWork();
            rig.master.doWork(rig.masterEngine.nowJiffies());
            sawResyncing |= rig.master.resyncing();
            maxPerCycle = Math.max(maxPerCycle, (int) (rig.master.counters().resyncEntries() - walked));
            walked = rig.master.counters().resyncEntries();
            while (rig.sender.doWork() > 0) {
                // drain
            }
            rig.backup.doWork();
            cycles++;
        }
        // 200 UDP conns, all synced: 64 + 64 + 64 + 8 entries in four cycles
        assertThat(maxPerCycle).isEqualTo(64);
        assertThat(sawResyncing).isTrue();
        assertThat(rig.master.resyncing()).isFalse();
        assertThat(rig.backup.counters().resyncEntries()).isEqualTo(200);
        assertThat(rig.backupView()).isEqualTo(rig.masterSyncedView());
        // the request goes out when the backup first hears the master (the next heartbeat, within 1 s), the
        // walk takes 4 cycles of 1 ms after the cycle that takes the request: 5 to 6 ms, seen in 4 ms jiffies
        assertThat(rig.backup.counters().lastResyncMillis()).isBetween(4L, 8L);
    }

    @Test
    void shouldResyncOnlyTemplatesAndUncontrolledConnsInSyncPersistMode() {
        long seed = 105;
        SyncRig rig = new SyncRig(1, seed, 0, 0).start(SyncRig.reliable(SyncDaemonConfig.master(), false),
            SyncRig.reliable(SyncDaemonConfig.backup(), false), MASTER_ID, BACKUP_ID);
        rig.masterEngine.setTunable("sync_persist_mode", "1");
        rig.run(SyncRig.flows(seed, 400, 0x0a01_0000), seed);
        rig.idle(3000, 100);
        rig.backup.stop();
        rig.backupEngine = rig.engine(1, true);
        rig.startBackup(SyncRig.reliable(SyncDaemonConfig.backup(), false), BACKUP_ID + 1);
        assertThat(rig.idleUntil(() -> rig.backup.counters().resyncsCompleted() == 1, 10_000)).isTrue();
        // the persistent services (HTTPS 443, SIP 5060) have every conn under a template: only the templates go
        TreeMap<String, String> expected = rig.masterSyncedView();
        expected.keySet().removeIf(k -> (k.endsWith("/443") || k.endsWith("/5060")));
        assertThat(expected.keySet()).anyMatch(k -> k.endsWith("/443/T")).anyMatch(k -> k.endsWith("/80"));
        assertThat(rig.backupView()).isEqualTo(expected);
    }
}
