package uvs.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import uvs.core.net.Af;
import uvs.core.net.IpAddress;

/** Daemon options, their defaults, sync_maxlen rules (spec §1.1) and ipvsadm's daemon line (spec §1.8). */
class SyncDaemonConfigTest {
    @Test
    void shouldDescribeTheDefaultMasterExactlyAsIpvsadm() {
        assertThat(SyncDaemonConfig.master().describe())
            .isEqualTo("master sync daemon (mcast=eth0, syncid=0, maxlen=1472, group=224.0.0.81, port=8848, ttl=1)");
    }

    @Test
    void shouldDescribeAConfiguredBackup() {
        SyncDaemonConfig b = SyncDaemonConfig.backup().withMcastInterface("bond0").withSyncid(9).withPort(9000)
            .withTtl(3).withGroup(IpAddress.parse("239.1.2.3"));
        // backup default maxlen: clamp(9000, 1500, 65535) - 28
        assertThat(b.describe(9000))
            .isEqualTo("backup sync daemon (mcast=bond0, syncid=9, maxlen=8972, group=239.1.2.3, port=9000, ttl=3)");
    }

    @Test
    void shouldComputeMaxlenPerRoleAndFamily() {
        SyncDaemonConfig m = SyncDaemonConfig.master();
        assertThat(m.syncMaxlen(9000)).as("master ignores the MTU: 1500 - 28").isEqualTo(1472);
        assertThat(m.withMaxlen(1).syncMaxlen()).isEqualTo(1);
        assertThat(m.withMaxlen(65535).syncMaxlen()).as("65535 - 28").isEqualTo(65507);
        SyncDaemonConfig m6 = m.withGroup(IpAddress.parse("ff02::81"));
        assertThat(m6.af()).isEqualTo(Af.INET6);
        assertThat(m6.hlen()).isEqualTo(48);
        assertThat(m6.syncMaxlen()).as("1500 - 48").isEqualTo(1452);
        assertThat(m6.withMaxlen(65535).syncMaxlen()).as("65535 - 48").isEqualTo(65487);
        SyncDaemonConfig b = SyncDaemonConfig.backup();
        assertThat(b.syncMaxlen(1000)).as("MTU raised to 1500, - 28").isEqualTo(1472);
        assertThat(b.syncMaxlen(70000)).as("MTU capped at 65535, - 28").isEqualTo(65507);
        assertThat(b.withMaxlen(100).syncMaxlen()).as("raised to 1024").isEqualTo(1024);
        assertThat(b.withMaxlen(2000).syncMaxlen()).isEqualTo(2000);
    }

    @Test
    void shouldTreatTtlZeroAsOne() {
        assertThat(SyncDaemonConfig.master().withTtl(0).ttl()).isEqualTo(1);
        assertThat(SyncDaemonConfig.master().withTtl(255).ttl()).isEqualTo(255);
    }

    @Test
    void shouldRejectOutOfRangeValuesNamingThem() {
        SyncDaemonConfig m = SyncDaemonConfig.master();
        assertThatThrownBy(() -> m.withSyncid(256)).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("syncid 256 outside 0..255");
        assertThatThrownBy(() -> m.withSyncid(-1)).hasMessageContaining("syncid -1");
        assertThatThrownBy(() -> m.withPort(0)).hasMessage("mcast port 0 outside 1..65535");
        assertThatThrownBy(() -> m.withPort(65536)).hasMessageContaining("65536");
        assertThatThrownBy(() -> m.withTtl(256)).hasMessage("mcast ttl 256 outside 1..255");
        assertThatThrownBy(() -> m.withMaxlen(65536)).hasMessageContaining("sync maxlen 65536");
        assertThatThrownBy(() -> m.withGroup(IpAddress.parse("10.0.0.1")))
            .hasMessage("mcast group 10.0.0.1 is not a multicast address");
        assertThatThrownBy(() -> m.withGroup(IpAddress.parse("2001:db8::1")))
            .hasMessageContaining("not a multicast address");
        assertThatThrownBy(() -> m.withMcastInterface("")).hasMessage("mcast interface name is empty");
        assertThatThrownBy(() -> m.withMcastInterface("a-very-long-name"))
            .hasMessageContaining("longer than 15 characters");
    }

    @Test
    void shouldHaveBothExtensionsOffByDefault() {
        SyncDaemonConfig m = SyncDaemonConfig.master();
        assertThat(m.reliable()).isFalse();
        assertThat(m.authKey()).isNull();
        assertThat(m.extended()).isFalse();
        assertThat(m.trailerLength()).isZero();
        assertThat(m.retransmitRing()).isEqualTo(1024);
        assertThat(m.nackRetryMillis()).isEqualTo(100);
        assertThat(m.heartbeatMillis()).isEqualTo(1000);
        assertThat(m.resyncPerCycle()).isEqualTo(1024);
        assertThat(m.holdBack()).isEqualTo(1024);
    }

    @Test
    void shouldSizeTheTrailerByMode() {
        byte[] key = new byte[32];
        SyncDaemonConfig m = SyncDaemonConfig.master();
        // docs/sync.md: 20 bytes, 52 with the 32-byte HMAC
        assertThat(m.withReliable(true).trailerLength()).isEqualTo(20);
        assertThat(m.withAuthKey(key).trailerLength()).isEqualTo(52);
        assertThat(m.withReliable(true).withAuthKey(key).trailerLength()).isEqualTo(52);
        assertThat(m.withAuthKey(key).withAuthKey(null).extended()).isFalse();
    }

    @Test
    void shouldLoadTheKeyFileAndNeverShowTheKey(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("sync.key");
        Files.writeString(file, "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n");
        SyncDaemonConfig c = SyncDaemonConfig.backup().withAuthKeyFile(file);
        assertThat(c.authKey()).hasSize(32).startsWith((byte) 0x00, (byte) 0x11);
        assertThat(c.authenticated()).isTrue();
        assertThat(c.toString()).contains("auth=true").doesNotContain("112233");
        // compared by content; the accessor hands out a copy
        assertThat(c).isEqualTo(SyncDaemonConfig.backup().withAuthKey(c.authKey()));
        assertThat(c.hashCode()).isEqualTo(SyncDaemonConfig.backup().withAuthKey(c.authKey()).hashCode());
        c.authKey()[0] = 9;
        assertThat(c.authKey()[0]).isZero();
        Path shortFile = dir.resolve("short.key");
        Files.writeString(shortFile, "0011");
        assertThatThrownBy(() -> SyncDaemonConfig.backup().withAuthKeyFile(shortFile))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("short.key");
    }

    @Test
    void shouldRejectBadExtensionSettingsNamingThem() {
        SyncDaemonConfig m = SyncDaemonConfig.master();
        assertThatThrownBy(() -> m.withAuthKey(new byte[15])).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("sync auth key is 15 bytes; at least 16 are needed");
        assertThatThrownBy(() -> m.withReliableTunables(15, 100, 1000, 1024, 1024))
            .hasMessage("retransmit ring 15 outside 16..65536 datagrams");
        assertThatThrownBy(() -> m.withReliableTunables(1024, 9, 1000, 1024, 1024))
            .hasMessage("NACK retry interval 9 outside 10..10000 ms");
        assertThatThrownBy(() -> m.withReliableTunables(1024, 100, 60_001, 1024, 1024))
            .hasMessage("heartbeat interval 60001 outside 100..60000 ms");
        assertThatThrownBy(() -> m.withReliableTunables(1024, 100, 1000, 0, 1024))
            .hasMessage("resync entries per cycle 0 outside 1..1000000");
        assertThatThrownBy(() -> m.withReliableTunables(1024, 100, 1000, 1024, 65537))
            .hasMessage("hold-back 65537 outside 16..65536 datagrams");
    }
}
