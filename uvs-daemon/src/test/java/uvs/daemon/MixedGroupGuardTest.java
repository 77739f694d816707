package uvs.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HexFormat;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import uvs.core.Engine;
import uvs.core.EngineConfig;
import uvs.sync.SyncDaemonConfig;
import uvs.sync.backup.SyncBackup;
import uvs.sync.ext.UvsSeal;
import uvs.sync.ext.UvsTrailer;
import uvs.sync.transport.InMemorySyncTransport;
import uvs.time.ManualClock;

/** The guard that keeps UVS's sync extensions from starting unasked beside a plain (Linux) master. */
class MixedGroupGuardTest {
    /** A plain v0 datagram as a Linux master sends it: syncid 7, one TCP conn; its size field is its length. */
    private static final byte[] PLAIN = HexFormat.of().parseHex(
        "0107001c00063039005000500a0000010a0101010a02020200830001");
    private static final SyncExtensions RELIABLE = new SyncExtensions(true, null);
    private static final SyncExtensions AUTH = new SyncExtensions(false, Path.of("sync.key"));
    private static final SyncExtensions RELIABLE_MIXED = new SyncExtensions(true, null, null, true);

    private final Engine engine = new Engine(new ManualClock(), EngineConfig.defaults().withCapacity(1024, 64));
    private final InMemorySyncTransport wire = new InMemorySyncTransport(1, 1, 0);

    private SyncBackup backup(SyncDaemonConfig cfg) {
        SyncBackup b = new SyncBackup(engine, cfg, wire, 1500, 5);
        b.start();
        return b;
    }

    private void receive(SyncBackup b, byte[] datagram, int length) {
        wire.send(new UnsafeBuffer(datagram), 0, length, 0);
        b.doWork();
    }

    private static byte[] sealed() {
        UvsSeal seal = new UvsSeal(true, null);
        byte[] d = new byte[PLAIN.length + seal.trailerLength()];
        System.arraycopy(PLAIN, 0, d, 0, PLAIN.length);
        seal.seal(new UnsafeBuffer(d), 0, PLAIN.length, UvsTrailer.TYPE_DATA, 0, 9, 0);
        return d;
    }

    @Test
    void shouldStartAnExtensionMasterWhenNoPlainMasterWasHeard() {
        assertThatCode(() -> MixedGroupGuard.checkMasterStart(null, RELIABLE)).doesNotThrowAnyException();
        SyncBackup b = backup(SyncDaemonConfig.backup().withReliable(true));
        byte[] uvs = sealed();
        receive(b, uvs, uvs.length);
        assertThat(b.counters().plainDatagrams()).isZero();
        assertThatCode(() -> MixedGroupGuard.checkMasterStart(b, RELIABLE)).doesNotThrowAnyException();
        assertThatCode(() -> MixedGroupGuard.checkMasterStart(b, AUTH)).doesNotThrowAnyException();
    }

    @Test
    void shouldRefuseAnExtensionMasterAfterAPlainMasterWasHeardUnlessAsked() {
        SyncBackup b = backup(SyncDaemonConfig.backup());
        receive(b, PLAIN, PLAIN.length);
        assertThat(b.counters().plainDatagrams()).isEqualTo(1);
        assertThatThrownBy(() -> MixedGroupGuard.checkMasterStart(b, RELIABLE))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("the backup heard a plain sync master (address unknown) (a Linux director?), whose backup "
                + "would drop --sync-reliable/--sync-auth-key datagrams; add --sync-mixed-group to start anyway");
        assertThatThrownBy(() -> MixedGroupGuard.checkMasterStart(b, AUTH)).hasMessageContaining("--sync-mixed-group");
        assertThatCode(() -> MixedGroupGuard.checkMasterStart(b, RELIABLE_MIXED)).doesNotThrowAnyException();
        // a plain master beside a plain master is what Linux does: nothing to refuse
        assertThatCode(() -> MixedGroupGuard.checkMasterStart(b, SyncExtensions.NONE)).doesNotThrowAnyException();
    }

    @Test
    void shouldWarnOncePerBackupRunWhenAPlainMasterJoinsAnExtendedGroup() {
        MixedGroupGuard g = new MixedGroupGuard();
        SyncBackup b = backup(SyncDaemonConfig.backup().withReliable(true));
        byte[] uvs = sealed();
        receive(b, uvs, uvs.length);
        assertThat(g.warnOnce(b, true)).isFalse();
        receive(b, PLAIN, PLAIN.length);
        assertThat(g.warnOnce(b, false)).as("no extension in use").isFalse();
        assertThat(g.warnOnce(b, true)).isTrue();
        receive(b, PLAIN, PLAIN.length);
        assertThat(g.warnOnce(b, true)).isFalse();
        assertThat(b.counters().plainDatagrams()).isEqualTo(2);
        g.reset();
        assertThat(g.warnOnce(b, true)).isTrue();
    }
}
