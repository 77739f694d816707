package uvs.ctl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;
import uvs.core.net.Af;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceFlags;
import uvs.core.svc.ServiceKey;
import uvs.core.svc.TunnelChecksum;
import uvs.core.svc.TunnelType;

/** {@code ipvsadm -R} input (spec §9.1 -R, §9.5) and the round trip of {@code -S} lines. */
class IpvsadmRestoreTest {

    /** {@code -S} lines written by hand after spec §9.5 (with IPv6, UDP, SCTP, PE, ops and flag forms). */
    static final List<String> SAVE_LINES = List.of(
        "-A -t 207.175.44.110:80 -s rr -p 360 -M 255.255.255.0",
        "-a -t 207.175.44.110:80 -r 192.168.10.1:80 -m -w 1",
        "-a -t 207.175.44.110:80 -r 192.168.10.2:80 -m -w 1",
        "-A -f 1 -s wlc",
        "-a -f 1 -r 192.168.10.5:0 -g -w 2",
        "-A -t 10.0.0.1:80 -s wlc",
        "-a -t 10.0.0.1:80 -r 192.168.11.1:80 -i -w 1 --tun-type gre --tun-csum",
        "-a -t 10.0.0.1:80 -r 192.168.11.2:80 -i -w 1 --tun-type gue --tun-port 6080 --tun-remcsum",
        "-a -t 10.0.0.1:80 -r 192.168.11.3:80 -i -w 3 --tun-type ipip",
        "-A -t [2001:db8::1]:80 -s rr -p 300 -M 64",
        "-a -t [2001:db8::1]:80 -r [2001:db8::10]:8080 -m -w 0",
        "-A -f 2 -6 -s sh -b sh-port",
        "-A -u 10.0.0.1:53 -s rr -o",
        "-A -u 10.0.0.2:5060 -s rr -p 360 --pe sip -o",
        "-A --sctp-service 10.0.0.3:9 -s mh -b mh-fallback,mh-port");

    private static List<RestoreLine> restore(String text) throws IOException {
        return IpvsadmParser.parseRestore(new StringReader(text));
    }

    private static IpvsadmException refusal(String text) {
        return catchThrowableOfType(IpvsadmException.class, () -> restore(text));
    }

    @Test
    void shouldReadSaveOutputWithLineNumbers() throws IOException {
        String text = "-A -t 207.175.44.110:80 -s rr -p 360 -M 255.255.255.0\n"
            + "\n"
            + "ipvsadm -a -t 207.175.44.110:80 -r 192.168.10.1:80 -m -w 1\r\n"
            + "   \t \n"
            + "# a comment line, as ipvsadm-restore drops it\n"
            + "-C";
        List<RestoreLine> lines = restore(text);
        ServiceKey svc = ServiceKey.of(IpProto.TCP, IpAddress.parse("207.175.44.110"), 80);
        assertThat(lines).containsExactly(
            new RestoreLine(1, new IpvsadmCommand.AddService(svc,
                new ServiceConfig("rr", ServiceFlags.PERSISTENT, 360, 0xffff_ff00, null))),
            new RestoreLine(3, new IpvsadmCommand.AddDest(svc, IpAddress.parse("192.168.10.1"), 80,
                RealServerConfig.of(1, ForwardMethod.MASQ))),
            new RestoreLine(6, new IpvsadmCommand.Clear()));
    }

    @Test
    void shouldDropEveryIpvsadmToken() throws IOException {
        // config_stream_read drops the word wherever it stands; a line of only that word is empty
        assertThat(restore("ipvsadm\n-Z ipvsadm\n")).containsExactly(new RestoreLine(2, new IpvsadmCommand.Zero(null)));
    }

    @Test
    void shouldReturnNothingForEmptyInput() throws IOException {
        assertThat(restore("")).isEmpty();
        assertThat(restore("\n\n# only a comment\n")).isEmpty();
    }

    @Test
    void shouldNameTheLineOfABadCommand() {
        IpvsadmException e = refusal("-A -t 10.0.0.1:80\n\n-a -t 10.0.0.1:80 -r 10.0.0.2 -w 2147483648\n-C\n");
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.exitCode()).isEqualTo(2);
        assertThat(e.ipvsadmMessage()).isEqualTo("illegal weight specified");
        assertThat(e.getMessage()).isEqualTo("line 3: illegal weight specified");
    }

    @Test
    void shouldTreatHashesOutsideColumnOneAsArguments() {
        IpvsadmException trailing = refusal("-C # flush everything\n");
        assertThat(trailing.ipvsadmMessage()).isEqualTo("unexpected argument #");
        assertThat(trailing.line()).isEqualTo(1);
        // an indented comment has no command: ipvsadm's help hint, exit 255
        IpvsadmException indented = refusal("-C\n  # indented\n");
        assertThat(indented.ipvsadmMessage()).isEqualTo(ParserAssertions.TRY_HELP);
        assertThat(indented.exitCode()).isEqualTo(255);
        assertThat(indented.line()).isEqualTo(2);
    }

    @Test
    void shouldRefuseRestoreInsideRestore() {
        IpvsadmException e = refusal("-C\n-R\n");
        assertThat(e.ipvsadmMessage()).isEqualTo(ParserAssertions.TRY_HELP);
        assertThat(e.exitCode()).isEqualTo(255);
        assertThat(e.line()).isEqualTo(2);
    }

    @Test
    void shouldRefuseCommandsThatDoNotChangeTheTable() {
        IpvsadmException list = refusal("-C\n-L -n\n");
        assertThat(list.ipvsadmMessage()).isEqualTo("command not allowed in restore input: -L");
        assertThat(list.line()).isEqualTo(2);
        assertThat(refusal("--start-daemon master\n").line()).isEqualTo(1);
        assertThat(refusal("-h\n").line()).isEqualTo(1);
    }

    @Test
    void shouldRoundTripSaveLines() throws IOException {
        List<RestoreLine> lines = restore(String.join("\n", SAVE_LINES) + "\n");
        assertThat(lines).hasSize(SAVE_LINES.size());
        for (int i = 0; i < lines.size(); i++) {
            assertThat(lines.get(i).number()).isEqualTo(i + 1);
            assertThat(SaveLine.of(lines.get(i).command())).isEqualTo(SAVE_LINES.get(i));
        }
    }

    @Test
    void shouldParseSaveLinesIntoTheValuesTheySay() throws IOException {
        List<RestoreLine> lines = restore(String.join("\n", SAVE_LINES));
        ServiceKey tcp = ServiceKey.of(IpProto.TCP, IpAddress.parse("10.0.0.1"), 80);
        assertThat(lines.get(4).command()).isEqualTo(new IpvsadmCommand.AddDest(ServiceKey.fwmark(1, Af.INET),
            IpAddress.parse("192.168.10.5"), 0, RealServerConfig.of(2, ForwardMethod.ROUTE)));
        assertThat(lines.get(7).command()).isEqualTo(new IpvsadmCommand.AddDest(tcp, IpAddress.parse("192.168.11.2"),
            80, new RealServerConfig(1, ForwardMethod.TUNNEL, TunnelType.GUE, 6080, TunnelChecksum.REMCSUM, 0, 0)));
        assertThat(lines.get(9).command()).isEqualTo(new IpvsadmCommand.AddService(
            ServiceKey.of(IpProto.TCP, IpAddress.parse("2001:db8::1"), 80),
            new ServiceConfig("rr", ServiceFlags.PERSISTENT, 300, 64, null)));
        assertThat(lines.get(11).command()).isEqualTo(new IpvsadmCommand.AddService(ServiceKey.fwmark(2, Af.INET6),
            new ServiceConfig("sh", ServiceFlags.SCHED2, 0, 128, null)));
        assertThat(lines.get(13).command()).isEqualTo(new IpvsadmCommand.AddService(
            ServiceKey.of(IpProto.UDP, IpAddress.parse("10.0.0.2"), 5060),
            new ServiceConfig("rr", ServiceFlags.PERSISTENT | ServiceFlags.ONEPACKET, 360, 0xffff_ffff, "sip")));
    }
}
