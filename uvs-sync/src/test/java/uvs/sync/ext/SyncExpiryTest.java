package uvs.sync.ext;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import uvs.core.Engine;
import uvs.core.conn.ConnTable;
import uvs.core.net.IpProto;
import uvs.sync.SyncDaemonConfig;

/**
 * The EXPIRES option between UVS peers: a backup expires a persistence template when the master does. A Linux
 * backup (plain mode here) re-arms the full template timeout at every synced update, so its template outlives
 * the master's by the time between the template's last scheduling and its last sync.
 */
class SyncExpiryTest {
    private static final int CLIENT = 0x0a01_0001;

    /**
     * One persistent connection (HTTPS, 360 s): SYN and two ACKs at 0 s (the 3rd packet syncs it and its
     * template), a FIN at 100 s (a forced sync of both again). The master's template expires at 360 s.
     */
    private static SyncRig run(SyncDaemonConfig master, SyncDaemonConfig backup) {
        SyncRig rig = new SyncRig(1, 1, 0, 0).start(master, backup, 0x1111_1111, 0x2222_2222);
        rig.idle(3000, 100);
        rig.packet(SyncRig.HTTPS, CLIENT, 40000, SyncRig.SYN, null);
        rig.packet(SyncRig.HTTPS, CLIENT, 40000, SyncRig.ACK, null);
        rig.packet(SyncRig.HTTPS, CLIENT, 40000, SyncRig.ACK, null);
        rig.idle(100_000, 1000);
        rig.packet(SyncRig.HTTPS, CLIENT, 40000, SyncRig.FIN, null);
        rig.idle(3000, 1000);
        return rig;
    }

    private static boolean hasTemplate(Engine e) {
        ConnTable t = e.conns4();
        return t.lookupTemplate(IpProto.TCP, 0, CLIENT, 0, SyncRig.VIP.v4() & 0xffff_ffffL, 443) != ConnTable.NONE;
    }

    @Test
    void shouldExpireTheBackupsTemplateWithTheMastersBetweenUvsPeers() {
        SyncRig rig = run(SyncRig.reliable(SyncDaemonConfig.master(), false),
            SyncRig.reliable(SyncDaemonConfig.backup(), false));
        assertThat(hasTemplate(rig.backupEngine)).as("synced").isTrue();
        // 103 s have passed; the master's template expires at 360 s (+ the 3 s of start-up)
        rig.idle(256_000, 1000);
        assertThat(hasTemplate(rig.masterEngine)).as("master, 1 s before its expiry").isTrue();
        assertThat(hasTemplate(rig.backupEngine)).as("backup, 1 s before the master's expiry").isTrue();
        rig.idle(2000, 1000);
        assertThat(hasTemplate(rig.masterEngine)).as("master, 1 s after").isFalse();
        assertThat(hasTemplate(rig.backupEngine)).as("backup, 1 s after the master's expiry").isFalse();
        assertThat(rig.backup.counters().receive().droppedTotal() + rig.backup.counters().receive().skippedTotal())
            .isZero();
    }

    @Test
    void shouldKeepTheLinuxRuleInPlainModeAFullTimeoutAfterTheLastUpdate() {
        SyncRig rig = run(SyncDaemonConfig.master(), SyncDaemonConfig.backup());
        rig.idle(258_000, 1000);
        assertThat(hasTemplate(rig.masterEngine)).as("master, 1 s after its expiry").isFalse();
        // the FIN's sync left in a partly filled message 2 s later (105 s): the backup keeps it until 465 s
        assertThat(hasTemplate(rig.backupEngine)).as("backup: 360 s from the FIN's sync").isTrue();
        rig.idle(100_000, 1000);
        assertThat(hasTemplate(rig.backupEngine)).as("backup, 464 s").isTrue();
        rig.idle(2000, 1000);
        assertThat(hasTemplate(rig.backupEngine)).as("backup, 466 s").isFalse();
    }
}
