package uvs.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
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
}
