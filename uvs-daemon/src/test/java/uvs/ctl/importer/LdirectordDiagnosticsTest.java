package uvs.ctl.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static uvs.ctl.importer.ImportFixture.texts;
import static uvs.ctl.importer.ImportFixture.write;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import uvs.core.net.IpProto;
import uvs.core.svc.ServiceKey;
import uvs.ctl.model.CheckSpec;
import uvs.ctl.health.CheckKind;
import uvs.ctl.health.CheckTiming;
import uvs.ctl.health.FailureAction;

/**
 * Every diagnostic the ldirectord importer gives, each from a small ldirectord.cf written for it; an error
 * leaves no output at all.
 */
class LdirectordDiagnosticsTest {
    @TempDir
    Path dir;

    @Test
    void shouldRefuseAFileThatIsNotARegularFileWithoutReadingIt() throws Exception {
        // ldirectord reads no other file than its own: that one gets the checks of every imported file
        Path fifo = dir.resolve("ldirectord.cf");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertThat(mk.waitFor()).isZero();
        for (Path p : List.of(Path.of("/dev/zero"), fifo, dir)) {
            Assertions.assertThatThrownBy(() -> new LdirectordImporter().importFile(p))
                .isInstanceOf(IOException.class).hasMessageStartingWith(p + ": not a regular file (");
        }
        // a name that does not tell the format makes detect read the content: checked the same way
        Assertions.assertThatThrownBy(() -> ImportFormat.detect(Path.of("/dev/zero")))
            .isInstanceOf(IOException.class).hasMessage("/dev/zero: not a regular file (a device, FIFO or socket)");
    }

    private static String cf(String... lines) {
        return String.join("\n", lines) + "\n";
    }

    // a virtual section (line 1) with one real server (line 2) and the given lines from line 3 on
    private static String virtual(String... lines) {
        List<String> all = new ArrayList<>(List.of("virtual=10.0.0.1:80", "\treal=10.0.0.2:80 gate"));
        for (String l : lines) {
            all.add("\t" + l);
        }
        return cf(all.toArray(String[]::new));
    }

    private static Arguments c(String text, String expected) {
        return Arguments.of(text, expected);
    }

    static Stream<Arguments> cases() {
        List<Arguments> a = new ArrayList<>();
        // layout and global lines
        a.add(c(cf("virtual=10.0.0.1:80", "", "\treal=10.0.0.2:80 gate"),
            "l.cf:3: error: indented line outside a virtual section (a blank or unindented line ends a section)"));
        a.add(c(cf("supervised"), "l.cf:1: warning: a bare 'supervised' is deprecated"));
        a.add(c(cf("nonsense"), "l.cf:1: warning: unknown line 'nonsense': ignored"));
        a.add(c(cf("checkinterval=0"), "l.cf:1: error: invalid checkinterval '0' (a positive number)"));
        a.add(c(cf("fork=maybe"), "l.cf:1: error: fork must be 'yes' or 'no', not 'maybe'"));
        a.add(c(cf("checktimeout=3s"), "l.cf:1: error: invalid checktimeout '3s' (a positive number)"));
        a.add(c(cf("negotiatetimeout=-1"), "l.cf:1: error: invalid negotiatetimeout '-1' (a positive number)"));
        a.add(c(cf("failurecount=x"), "l.cf:1: error: invalid failurecount 'x' (a positive number)"));
        a.add(c(cf("checkcount=2"), "l.cf:1: warning: checkcount is deprecated (see failurecount)"));
        a.add(c(cf("fallback6=[::1]:80"), "l.cf:1: warning: global fallback6 is not supported"));
        a.add(c(cf("fallbackcommand=/bin/true"), "l.cf:1: warning: fallbackcommand is not supported"));
        a.add(c(cf("execute=other.cf"), "l.cf:1: warning: execute starts ldirectord for configuration other.cf"));
        a.add(c(cf("maintenancedir=/etc/ha.d/maint"), "l.cf:1: warning: maintenancedir is not supported"));
        a.add(c(cf("connecttimeout=3"), "l.cf:1: error: connecttimeout is deprecated in favour of negotiatetimeout"));
        a.add(c(cf("timeout=3"),
            "l.cf:1: error: timeout is deprecated in favour of checktimeout and negotiatetimeout"));
        a.add(c(cf("cleanstop=no"), "l.cf:1: info: 'cleanstop' does not apply to UVS: ignored"));
        a.add(c(cf("checktimout=3"), "l.cf:1: warning: unknown keyword 'checktimout': ignored"));
        a.add(c(cf("quiescent=on"), "l.cf:1: error: quiescent must be 'yes' or 'no', not 'on'"));
        // fallback servers
        a.add(c(cf("fallback=127.0.0.1:80 gate extra"),
            "l.cf:1: error: invalid fallback server '127.0.0.1:80 gate extra'"));
        a.add(c(cf("fallback=[::1]:80"), "l.cf:1: error: fallback needs a numeric IPv4 address"));
        a.add(c(cf("fallback=localhost:80"), "l.cf:1: error: invalid fallback server address 'localhost'"));
        a.add(c(cf("fallback=127.0.0.1:webcache"), "l.cf:1: error: invalid fallback server port 'webcache'"));
        a.add(c(cf("fallback=127.0.0.1:80 route"),
            "l.cf:1: error: forward method must be gate, masq or ipip, not 'route'"));
        a.add(c(cf("virtual6=[2001:db8::1]:80", "\treal6=[2001:db8::2]:80 gate", "\tfallback6=127.0.0.1:80"),
            "l.cf:3: error: fallback6 needs a bracketed IPv6 address"));
        // the virtual line
        a.add(c(cf("virtual=0"), "l.cf:1: error: invalid firewall mark '0'"));
        a.add(c(cf("virtual=10.0.0.1"), "l.cf:1: error: invalid address for virtual server '10.0.0.1'"));
        a.add(c(cf("virtual=www.example.com:80"), "l.cf:1: error: invalid virtual server address 'www.example.com'"));
        a.add(c(cf("virtual=10.0.0.1:webcache"), "l.cf:1: error: invalid virtual server port 'webcache'"));
        a.add(c(cf("virtual6=10.0.0.1:80"), "l.cf:1: error: invalid address for virtual server '10.0.0.1:80'"));
        // section lines
        a.add(c(virtual("real6=[2001:db8::2]:80 gate"), "l.cf:3: error: cannot use \"real6\" in a virtual section"));
        a.add(c(virtual("request=/index.html"), "l.cf:3: error: request must be in double quotes"));
        a.add(c(virtual("checktype=negotiate", "service=http", "request=\"a b\""),
            "l.cf:2: warning: real server 10.0.0.2:80 of TCP 10.0.0.1:80 is not checked: its HTTP request cannot be "
            + "sent: path must start with '/' and have no spaces or control characters: '/a b'"));
        a.add(c(virtual("checktype=negotiate", "service=http", "virtualhost=\"\""),
            "l.cf:2: warning: real server 10.0.0.2:80 of TCP 10.0.0.1:80 is not checked: its HTTP request cannot be "
            + "sent: host must be non-empty without spaces or control characters: ''"));
        a.add(c(virtual("receive=\"\""), "l.cf:3: error: receive must not be empty"));
        a.add(c(virtual("checktype=tcp"), "l.cf:3: error: checktype must be connect, negotiate, on, off, ping"));
        a.add(c(virtual("checktype=99999999999"), "l.cf:3: error: checktype number '99999999999' is too large"));
        a.add(c(virtual("connecttimeout=3"), "l.cf:3: error: connecttimeout is deprecated"));
        a.add(c(virtual("checkcount=3"), "l.cf:3: warning: checkcount is deprecated (see failurecount)"));
        a.add(c(virtual("checkport=0"), "l.cf:3: error: checkport must be a number in 1..65535, not '0'"));
        a.add(c(virtual("checktimeout=0"), "l.cf:3: error: invalid checktimeout '0' (a positive number)"));
        a.add(c(virtual("scheduler=WLC"), "l.cf:3: error: invalid scheduler 'WLC' (lower-case letters only)"));
        a.add(c(virtual("scheduler=fair"), "l.cf:1: error: unknown scheduler 'fair'"));
        a.add(c(virtual("persistent=0"), "l.cf:3: error: invalid persistent timeout '0'"));
        a.add(c(virtual("protocol=sctp"),
            "l.cf:3: error: protocol must be tcp or udp for an address:port virtual service"));
        a.add(c(cf("virtual=3", "\treal=10.0.0.2 gate", "\tprotocol=tcp"),
            "l.cf:3: error: protocol must be fwm for a firewall-mark virtual service"));
        a.add(c(virtual("ops=1"), "l.cf:3: error: ops must be 'yes' or 'no', not '1'"));
        a.add(c(virtual("ops=yes"), "l.cf:3: warning: ops is only used for udp services"));
        a.add(c(virtual("service=gopher"), "l.cf:3: error: unknown service 'gopher'"));
        a.add(c(virtual("httpmethod=POST"), "l.cf:3: error: httpmethod must be GET or HEAD, not 'POST'"));
        a.add(c(virtual("fallback6=[::1]:80"), "l.cf:3: error: cannot use \"fallback6\" in a virtual section"));
        a.add(c(virtual("fallbackcommand=\"/bin/true\""), "l.cf:3: warning: fallbackcommand is not supported"));
        a.add(c(virtual("load=\"x\""), "l.cf:3: warning: 'load' is not supported: ignored"));
        a.add(c(virtual("monitorfile=/var/log/x"), "l.cf:3: info: 'monitorfile' does not apply to UVS: ignored"));
        a.add(c(virtual("schedular=rr"), "l.cf:3: warning: unknown keyword 'schedular' in a virtual section"));
        a.add(c(virtual("just words"), "l.cf:3: warning: unknown line 'just words' in a virtual section: ignored"));
        a.add(c(virtual("quiescent=1"), "l.cf:3: error: quiescent must be 'yes' or 'no', not '1'"));
        // real servers
        a.add(c(virtual("real=10.0.0.3:80"), "l.cf:3: error: invalid real server '10.0.0.3:80'"));
        a.add(c(virtual("real=10.0.0.3:webcache gate"), "l.cf:3: error: invalid real server port 'webcache'"));
        a.add(c(virtual("real=10.0.0.3:80 gate 1 \"/x\""), "l.cf:3: error: invalid real server line around"));
        a.add(c(virtual("real=10.0.0.3:80 nat"),
            "l.cf:3: error: forward method must be gate, masq or ipip, not 'nat'"));
        a.add(c(virtual("real=10.0.0.3:80 gate 65536"), "l.cf:3: error: invalid real server weight '65536'"));
        a.add(c(virtual("real=10.0.0.9->10.0.0.3:80 gate"),
            "l.cf:3: error: invalid real server range 10.0.0.9->10.0.0.3"));
        a.add(c(virtual("real=10.0.0.1->10.0.8.1:80 gate"),
            "l.cf:3: error: real server range 10.0.0.1->10.0.8.1 has more than 1024 addresses"));
        a.add(c(virtual("real=web3:80 gate"), "l.cf:3: error: invalid real server address 'web3'"));
        a.add(c(virtual("real=10.0.0.2:80 gate"),
            "l.cf:3: warning: real server 10.0.0.2:80 of TCP 10.0.0.1:80 is a duplicate of the one at l.cf:2"));
        // settings checked when the section is written out
        a.add(c(virtual("netmask=255.255.255.0"), "l.cf:3: warning: netmask is only used with persistent"));
        a.add(c(virtual("persistent=60", "netmask=24"), "l.cf:4: error: invalid netmask '24': a dotted-quad netmask"));
        a.add(c(cf("virtual6=[2001:db8::1]:80", "\treal6=[2001:db8::2]:80 gate", "\tpersistent=60",
            "\tnetmask=255.0.0.0"),
            "l.cf:4: error: invalid netmask '255.0.0.0': a prefix length between 1 and 128 is needed"));
        a.add(c(cf("virtual=10.0.0.1:80", "\tscheduler=rr"), "l.cf:1: warning: virtual service TCP 10.0.0.1:80 has no "
            + "real servers"));
        a.add(c(virtual("checkinterval=2"), "l.cf:3: warning: checkinterval in a virtual section is ignored unless "
            + "fork = yes"));
        a.add(c(cf("virtual=10.0.0.1:80", "\treal=10.0.0.2:80 gate", "", "virtual=10.0.0.1:80",
            "\treal=10.0.0.3:80 gate"),
            "l.cf:4: error: duplicate virtual service TCP 10.0.0.1:80 (first defined at l.cf:1)"));
        return a.stream();
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("cases")
    void shouldReportEachProblemAtItsLine(String text, String expected) throws IOException {
        ImportResult r = new LdirectordImporter().importFile(write(dir, "l.cf", text));

        assertThat(texts(r)).as("diagnostics of:\n" + text).anyMatch(t -> t.startsWith(expected));
        if (expected.contains(": error: ")) {
            assertThat(r.rules()).isEmpty();
            assertThat(r.checkLines()).isEmpty();
            assertThat(r.healthChecks()).isEmpty();
        }
    }

    @Test
    void shouldReadTheLinesOfABadVirtualAsItsOwnAndReportTheirErrorsToo() throws IOException {
        // the section of an unusable virtual line is still a section: no "indented line" errors, and its
        // own mistakes are reported as well
        ImportResult r = new LdirectordImporter().importFile(write(dir, "l.cf",
            cf("virtual=10.0.0.1:99999", "\treal=10.0.0.2:80 gate", "\tscheduler=Bad")));

        assertThat(texts(r)).containsExactly(
            "l.cf:1: error: invalid virtual server port '99999' (a number, or a well-known name)",
            "l.cf:3: error: invalid scheduler 'Bad' (lower-case letters only)");
        assertThat(r.rules()).isEmpty();
    }

    @Test
    void shouldMapNegotiatedServicesTimeoutsAndCheckPorts() throws IOException {
        // service by port: 3306 = mysql (NEGOTIATE); checktimeout 4 and negotiatetimeout 12 are each other's
        // defaults, so negotiate takes 12; checktype=3 combines 3 connect checks (timeout 4) per negotiation
        ImportResult r = new LdirectordImporter().importFile(write(dir, "l.cf", cf(
            "checktimeout=4", "negotiatetimeout=12", "quiescent=no",
            "virtual=10.0.0.1:3306", "\treal=10.0.0.2 masq", "\tchecktype=3", "\tlogin=\"monitor\"",
            "\tdatabase=\"app\"", "\trequest=\"SELECT 1\"", "",
            "virtual=10.0.0.1:25", "\treal=10.0.0.3:2525 masq", "\tcheckport=26", "\tchecktype=negotiate",
            "", "virtual=10.0.0.1:7", "\treal=10.0.0.4:7 gate", "\tchecktype=off")));

        assertThat(r.hasErrors()).as(texts(r).toString()).isFalse();
        assertThat(r.rules()).containsExactly(
            "-A -t 10.0.0.1:3306 -s wrr", "-a -t 10.0.0.1:3306 -r 10.0.0.2:3306 -m -w 1",
            "-A -t 10.0.0.1:25 -s wrr", "-a -t 10.0.0.1:25 -r 10.0.0.3:2525 -m -w 1",
            "-A -t 10.0.0.1:7 -s wrr");
        ImportFixture.parsedRules(r);
        // mysql: its handshake (login and database kept); smtp by port 25, hello as ldirectord's Net::SMTP says
        // it, and checkport 26 differs from the real port 2525; both negotiate, so timeout 12
        CheckTiming negotiate = ImportFixture.timing(10, 12, 0, 10, 0);
        assertThat(r.healthChecks()).containsExactly(
            new CheckSpec(new SourceLocation("l.cf", 5), ServiceKey.of(IpProto.TCP, ImportFixture.ip("10.0.0.1"), 3306),
                ImportFixture.ip("10.0.0.2"), 3306, 1, new CheckKind.SqlHandshake(true, "monitor", "app"), negotiate,
                FailureAction.REMOVE, false, null, 0, null, null, null),
            new CheckSpec(new SourceLocation("l.cf", 12), ServiceKey.of(IpProto.TCP, ImportFixture.ip("10.0.0.1"), 25),
                ImportFixture.ip("10.0.0.3"), 2525, 1, new CheckKind.Smtp("localhost.localdomain", List.of()),
                negotiate, FailureAction.REMOVE, false, null, 26, null, null, null));
        // checktype=off never activates the server, so nothing runs; the report shows it with the connect timeout
        assertThat(r.checkLines()).hasSize(3);
        assertThat(r.checkLines().get(2)).startsWith("TCP 10.0.0.1:7 -> 10.0.0.4:7: always-down every 10s, timeout 4s,");
        assertThat(texts(r)).containsExactly(
            "l.cf:5: warning: real server 10.0.0.2:3306 of TCP 10.0.0.1:3306: 'connects_per_negotiate 3' is not "
                + "honoured by UVS's NEGOTIATE check",
            "l.cf:5: warning: real server 10.0.0.2:3306 of TCP 10.0.0.1:3306: 'connect_timeout 4' is not honoured "
                + "by UVS's NEGOTIATE check",
            "l.cf:5: warning: real server 10.0.0.2:3306 of TCP 10.0.0.1:3306: only the mysql server's handshake is "
                + "checked: UVS does not log in nor run the request",
            "l.cf:17: info: checktype=off: real server 10.0.0.4 is never activated, so it is not in the rules of TCP "
                + "10.0.0.1:7");
    }

    @Test
    void shouldCarryPingCountsPerlCommandsAndQuiesceServersThatAreNeverChecked() throws IOException {
        ImportResult r = new LdirectordImporter().importFile(write(dir, "l.cf", cf(
            "checkcount=3", "quiescent=yes",
            "virtual=10.0.0.1:80", "\treal=10.0.0.2:80 gate", "\tchecktype=ping",
            "virtual=10.0.0.1:81", "\treal=10.0.0.3:81 gate", "\tchecktype=external-perl",
            "\tcheckcommand=/etc/ha.d/check.pl",
            "virtual=10.0.0.1:82", "\treal=10.0.0.4:82 gate", "\tchecktype=off")));

        // checktype=off with quiescent=yes: the server is in the rules, quiesced (weight 0) from the start
        assertThat(r.rules()).containsExactly(
            "-A -t 10.0.0.1:80 -s wrr", "-a -t 10.0.0.1:80 -r 10.0.0.2:80 -g -w 1",
            "-A -t 10.0.0.1:81 -s wrr", "-a -t 10.0.0.1:81 -r 10.0.0.3:81 -g -w 1",
            "-A -t 10.0.0.1:82 -s wrr", "-a -t 10.0.0.1:82 -r 10.0.0.4:82 -g -w 0");
        // checktype=off runs nothing; the report shows the weight the server would have when up
        assertThat(r.checkLines()).hasSize(3);
        assertThat(r.checkLines().get(2)).startsWith("TCP 10.0.0.1:82 -> 10.0.0.4:82: always-down ").contains(", weight 1,");
        // the (deprecated) global checkcount is the number of pings per check; the perl command runs as a program
        assertThat(r.healthChecks()).extracting(CheckSpec::kind).containsExactly(new CheckKind.Ping(3),
            new CheckKind.External(List.of("/etc/ha.d/check.pl"), false));
        assertThat(texts(r)).containsExactly("l.cf:1: warning: checkcount is deprecated (see failurecount)",
            "l.cf:7: warning: real server 10.0.0.3:81 of TCP 10.0.0.1:81: 'perl yes' is not honoured by UVS's "
                + "EXTERNAL check");
    }
}
