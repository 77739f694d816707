package uvs.ctl.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import uvs.core.net.IpAddress;
import uvs.ctl.view.DaemonView;
import uvs.ctl.view.Snapshots;
import uvs.ctl.view.TestEngine;
import uvs.ctl.view.TimeoutView;

/** --timeout and --daemon. */
class SmallFormatsTest {
    @Test
    void shouldPrintTheDefaultTimeouts() {
        assertThat(new TimeoutFormat().format(Snapshots.of(new TestEngine().engine).timeouts()))
            .isEqualTo("Timeout (tcp tcpfin udp): 900 120 300\n");
        assertThat(new TimeoutFormat().format(new TimeoutView(3600, 60, 2678400)))
            .isEqualTo("Timeout (tcp tcpfin udp): 3600 60 2678400\n");
    }

    @Test
    void shouldPrintTheSection18DaemonLine() {
        DaemonView master = DaemonView.withDefaults(DaemonView.MASTER, "eth0", 0);

        // copied from spec §1.8
        assertThat(new DaemonFormat().format(List.of(master)))
            .isEqualTo("master sync daemon (mcast=eth0, syncid=0, maxlen=1472, group=224.0.0.81, port=8848, ttl=1)\n");
    }

    @Test
    void shouldLeaveOutUnreportedPartsAndListBothDaemons() {
        DaemonView master = new DaemonView(DaemonView.MASTER, "eth0", 0, 0, null, 0, 0);
        DaemonView backup = new DaemonView(DaemonView.BACKUP, "eth1", 255, 9000, IpAddress.parse("ff02::1:2"),
            8849, 0);

        assertThat(new DaemonFormat().format(List.of(master, backup))).isEqualTo(""
            + "master sync daemon (mcast=eth0, syncid=0)\n"
            + "backup sync daemon (mcast=eth1, syncid=255, maxlen=9000, group=ff02::1:2, port=8849)\n");
        assertThat(new DaemonFormat().format(List.of())).isEmpty();
    }
}
