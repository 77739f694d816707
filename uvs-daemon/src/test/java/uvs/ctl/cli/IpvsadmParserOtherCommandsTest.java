package uvs.ctl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static uvs.ctl.cli.ParserAssertions.assertFails;
import static uvs.ctl.cli.ParserAssertions.assertFailsLine;
import static uvs.ctl.cli.ParserAssertions.parse;

import java.util.List;
import org.junit.jupiter.api.Test;
import uvs.core.net.Af;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.svc.ServiceKey;

/** -L, -S, -Z, -C, -R, --set and the daemon commands (spec §9.1, §1.8, §5.7). */
class IpvsadmParserOtherCommandsTest {
    private static final ServiceKey TCP80 = ServiceKey.of(IpProto.TCP, IpAddress.parse("10.0.0.1"), 80);

    private static ListOptions list(String line) {
        return ((IpvsadmCommand.List) parse(line)).options();
    }

    @Test
    void shouldCarryEveryListFlag() {
        assertThat(list("-L -n --stats --exact --nosort --tun-info")).isEqualTo(
            new ListOptions(true, false, false, false, true, false, false, false, true, true, true));
        assertThat(list("-L --rate -X")).isEqualTo(
            new ListOptions(false, false, false, false, false, true, false, false, false, false, true));
        assertThat(list("-L --thresholds --persistent-conn")).isEqualTo(
            new ListOptions(false, false, false, false, false, false, true, true, false, false, false));
        assertThat(list("-Lnc --persistent-conn")).isEqualTo(
            new ListOptions(true, true, false, false, false, false, false, true, false, false, false));
        assertThat(list("-L --timeout")).isEqualTo(
            new ListOptions(false, false, true, false, false, false, false, false, false, false, false));
        assertThat(list("-L --daemon")).isEqualTo(
            new ListOptions(false, false, false, true, false, false, false, false, false, false, false));
    }

    @Test
    void shouldListOneService() {
        assertThat(parse("-L -n -t 10.0.0.1:80")).isEqualTo(new IpvsadmCommand.List(TCP80,
            new ListOptions(true, false, false, false, false, false, false, false, false, false, false)));
        assertThat(((IpvsadmCommand.List) parse("-L -f 5 -6")).service()).isEqualTo(ServiceKey.fwmark(5, Af.INET6));
    }

    @Test
    void shouldAcceptAndIgnoreSyncidWithList() {
        // ipvsadm.c's table allows --syncid with -L (it has no effect there)
        assertThat(parse("-L --syncid 4")).isEqualTo(new IpvsadmCommand.List(null, ListOptions.NONE));
        assertFailsLine("illegal syncid specified", "-L --syncid 256");
    }

    @Test
    void shouldRefuseListFormatsThatDoNotMix() {
        assertFailsLine("options conflicts in the list command", "-L -c --stats");
        assertFailsLine("options conflicts in the list command", "-L --timeout --rate");
        assertFailsLine("options conflicts in the list command", "-L --daemon --thresholds");
        assertFailsLine("options conflicts in the list command", "-L --timeout --persistent-conn");
        assertFailsLine("options conflicts in the list command", "-L --daemon --persistent-conn");
    }

    @Test
    void shouldRefuseTwoExclusiveListSelections() {
        assertFailsLine("The option 'service-address' conflicts with the 'connection' option in the 'list' command",
            "-L -t 10.0.0.1:80 -c");
        assertFailsLine("The option 'daemon' conflicts with the 'timeout' option in the 'list' command",
            "-L --daemon --timeout");
    }

    @Test
    void shouldSave() {
        assertThat(parse("-S")).isEqualTo(new IpvsadmCommand.Save(false));
        assertThat(parse("-S -n")).isEqualTo(new IpvsadmCommand.Save(true));
        assertThat(parse("--save --numeric")).isEqualTo(new IpvsadmCommand.Save(true));
        assertFailsLine("Illegal 'service-address' option with the 'save' command", "-S -t 10.0.0.1:80");
    }

    @Test
    void shouldZeroOneServiceOrAll() {
        assertThat(parse("-Z")).isEqualTo(new IpvsadmCommand.Zero(null));
        assertThat(parse("-Z -t 10.0.0.1:80")).isEqualTo(new IpvsadmCommand.Zero(TCP80));
        assertThat(parse("-Z -f 1")).isEqualTo(new IpvsadmCommand.Zero(ServiceKey.fwmark(1, Af.INET)));
        // libipvs sends no service when address and port are all zero: that zeroes everything
        assertThat(parse("-Z -t 0.0.0.0:0")).isEqualTo(new IpvsadmCommand.Zero(null));
        assertThat(parse("-Z -u [::]:0")).isEqualTo(new IpvsadmCommand.Zero(null));
        assertThat(parse("-Z -t 0.0.0.0:80"))
            .isEqualTo(new IpvsadmCommand.Zero(ServiceKey.of(IpProto.TCP, IpAddress.parse("0.0.0.0"), 80)));
        assertFailsLine("Illegal 'numeric' option with the 'zero' command", "-Z -n");
    }

    @Test
    void shouldClearAndRestore() {
        assertThat(parse("-C")).isEqualTo(new IpvsadmCommand.Clear());
        assertThat(parse("--clear")).isEqualTo(new IpvsadmCommand.Clear());
        assertThat(parse("-R")).isEqualTo(new IpvsadmCommand.Restore(List.of()));
        assertFailsLine("Illegal 'service-address' option with the 'flush' command", "-C -t 10.0.0.1:80");
        assertFailsLine("Illegal 'numeric' option with the 'restore' command", "-R -n");
    }

    @Test
    void shouldSetThreeTimeouts() {
        assertThat(parse("--set 900 120 300")).isEqualTo(new IpvsadmCommand.SetTimeouts(900, 120, 300));
        assertThat(parse("--set 0 0 2678400")).isEqualTo(new IpvsadmCommand.SetTimeouts(0, 0, 2_678_400));
        // popt collects the values wherever they stand
        assertThat(IpvsadmParser.parse("900", "--set", "120", "300")).isEqualTo(new IpvsadmCommand.SetTimeouts(900, 120, 300));
        assertFailsLine("--set option requires 3 timeout values", "--set 1 2");
        assertFails("--set option requires 3 timeout values", "--set");
        assertFailsLine("unexpected argument 4", "--set 1 2 3 4");
        assertFailsLine("invalid timeout value `x' specified", "--set 1 x 3");
        assertFailsLine("invalid timeout value `2678401' specified", "--set 2678401 0 0");
        assertFailsLine("Illegal 'numeric' option with the 'set' command", "--set 1 2 3 -n");
    }

    @Test
    void shouldStartADaemonWithIpvsadmDefaults() {
        assertThat(parse("--start-daemon master")).isEqualTo(new IpvsadmCommand.StartDaemon(DaemonState.MASTER,
            new DaemonOptions("eth0", 0, 0, null, 0, 0)));
    }

    @Test
    void shouldStartADaemonWithEveryOption() {
        assertThat(parse("--start-daemon backup --mcast-interface eth1 --syncid 255 --sync-maxlen 65507"
            + " --mcast-group 239.1.1.1 --mcast-port 65535 --mcast-ttl 255")).isEqualTo(new IpvsadmCommand.StartDaemon(
                DaemonState.BACKUP, new DaemonOptions("eth1", 255, 65_507, IpAddress.parse("239.1.1.1"), 65_535, 255)));
        assertThat(((IpvsadmCommand.StartDaemon) parse("--start-daemon master --mcast-group ff02::81"))
            .options().mcastGroup()).isEqualTo(IpAddress.parse("ff02::81"));
        // IFNAMSIZ: 15 characters are kept
        assertThat(((IpvsadmCommand.StartDaemon) parse("--start-daemon master --mcast-interface abcdefghijklmnopq"))
            .options().mcastInterface()).isEqualTo("abcdefghijklmno");
    }

    @Test
    void shouldRefuseBadDaemonOptions() {
        String start = "--start-daemon master ";
        assertFailsLine("illegal start-daemon parameter specified", "--start-daemon slave");
        assertFailsLine("illegal syncid specified", start + "--syncid 256");
        assertFailsLine("illegal syncid specified", start + "--syncid -1");
        assertFailsLine("illegal sync-maxlen specified", start + "--sync-maxlen 0");
        assertFailsLine("illegal sync-maxlen specified", start + "--sync-maxlen 65508");
        assertFailsLine("illegal mcast-port specified", start + "--mcast-port 0");
        assertFailsLine("illegal mcast-ttl specified", start + "--mcast-ttl 256");
        assertFailsLine("invalid IPv4 mcast-group `10.0.0.1'", start + "--mcast-group 10.0.0.1");
        assertFailsLine("invalid IPv4 mcast-group `240.0.0.1'", start + "--mcast-group 240.0.0.1");
        assertFailsLine("invalid IPv4 mcast-group `224.1'", start + "--mcast-group 224.1");
        assertFailsLine("invalid IPv6 mcast-group `2001:db8::1'", start + "--mcast-group 2001:db8::1");
        assertFailsLine("invalid IPv6 mcast-group `ff02::x'", start + "--mcast-group ff02::x");
        assertFailsLine("Illegal 'numeric' option with the 'start-daemon' command", start + "-n");
    }

    @Test
    void shouldStopADaemon() {
        assertThat(parse("--stop-daemon backup")).isEqualTo(new IpvsadmCommand.StopDaemon(DaemonState.BACKUP));
        assertThat(parse("--stop-daemon master --syncid 3")).isEqualTo(new IpvsadmCommand.StopDaemon(DaemonState.MASTER));
        // sic: ipvsadm's wording
        assertFailsLine("illegal start_daemon specified", "--stop-daemon both");
        assertFailsLine("Illegal 'mcast-port' option with the 'stop-daemon' command", "--stop-daemon master --mcast-port 1");
    }

    @Test
    void shouldNameDaemonStatesLikeIpvsadm() {
        assertThat(DaemonState.MASTER.ipvsadmName()).isEqualTo("master");
        assertThat(DaemonState.BACKUP.value()).isEqualTo(2);
    }
}
