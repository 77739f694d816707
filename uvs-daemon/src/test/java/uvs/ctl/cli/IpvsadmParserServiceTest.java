package uvs.ctl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static uvs.ctl.cli.ParserAssertions.assertFails;
import static uvs.ctl.cli.ParserAssertions.assertFailsLine;
import static uvs.ctl.cli.ParserAssertions.parse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import uvs.core.net.Af;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceFlags;
import uvs.core.svc.ServiceKey;

/** -A, -E and -D (spec §9.1, §6.1): service selectors, defaults, ranges and per-command rules. */
class IpvsadmParserServiceTest {
    private static final int FULL_MASK = 0xffff_ffff;
    private static final ServiceKey TCP80 = ServiceKey.of(IpProto.TCP, IpAddress.parse("10.0.0.1"), 80);

    private static ServiceConfig config(String line) {
        return ((IpvsadmCommand.AddService) parse(line)).config();
    }

    private static ServiceKey key(String line) {
        return ((IpvsadmCommand.AddService) parse(line)).service();
    }

    @Test
    void shouldParseTheSaveExampleService() {
        // spec §9.5 first line: rr, persistent 360, mask 255.255.255.0 = 0xffffff00
        assertThat(parse("-A -t 207.175.44.110:80 -s rr -p 360 -M 255.255.255.0")).isEqualTo(
            new IpvsadmCommand.AddService(ServiceKey.of(IpProto.TCP, IpAddress.parse("207.175.44.110"), 80),
                new ServiceConfig("rr", ServiceFlags.PERSISTENT, 360, 0xffff_ff00, null)));
    }

    @Test
    void shouldApplyIpvsadmDefaults() {
        // wlc, not persistent (timeout 0 as ipvsadm sends it), /32 mask, no PE
        assertThat(parse("-A -t 10.0.0.1:80"))
            .isEqualTo(new IpvsadmCommand.AddService(TCP80, new ServiceConfig("wlc", 0, 0, FULL_MASK, null)));
    }

    @Test
    void shouldDefaultAnEmptySchedulerToWlc() {
        assertThat(((IpvsadmCommand.AddService) IpvsadmParser.parse("-A", "-t", "10.0.0.1:80", "-s", ""))
            .config().scheduler()).isEqualTo("wlc");
    }

    @Test
    void shouldSelectProtocolsAndFwmarks() {
        assertThat(key("-A -u 10.0.0.1:53")).isEqualTo(ServiceKey.of(IpProto.UDP, IpAddress.parse("10.0.0.1"), 53));
        assertThat(key("-A --sctp-service 10.0.0.1:9")).isEqualTo(
            ServiceKey.of(IpProto.SCTP, IpAddress.parse("10.0.0.1"), 9));
        assertThat(key("-A -f 1")).isEqualTo(ServiceKey.fwmark(1, Af.INET));
        // UINT_MAX is the largest mark; kept as the same 32 bits
        assertThat(key("-A -f 4294967295")).isEqualTo(ServiceKey.fwmark(-1, Af.INET));
    }

    @Test
    void shouldMakeFwmarkIpv6WithSixAfterF() {
        IpvsadmCommand.AddService a = (IpvsadmCommand.AddService) parse("-A -f 7 -6 -p");
        assertThat(a.service()).isEqualTo(ServiceKey.fwmark(7, Af.INET6));
        assertThat(a.config().netmask()).isEqualTo(128);
        // -6 also resets a -M given before it
        assertThat(config("-A -f 7 -p -M 255.255.0.0 -6").netmask()).isEqualTo(128);
        assertThat(config("-A -f 7 -6 -p -M 48").netmask()).isEqualTo(48);
    }

    @Test
    void shouldRefuseSixWithoutAPrecedingFwmark() {
        // ipvsadm's text carries a newline of its own
        assertFailsLine("-6 used before -f\n", "-A -6 -f 1");
        assertFailsLine("-6 used before -f\n", "-A -t 10.0.0.1:80 -6");
        assertFailsLine("-6 used before -f\n", "-C -6");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "4294967296", "1x", "x", "' '"})
    void shouldRefuseBadFwmarks(String mark) {
        String m = mark.equals("' '") ? " " : mark;
        assertFails("invalid fwmark value `" + m + "' specified", "-A", "-f", m);
    }

    @Test
    void shouldReadAddressesLikeParseService() {
        assertThat(key("-A -t [2001:db8::1]:80")).isEqualTo(
            ServiceKey.of(IpProto.TCP, IpAddress.parse("2001:db8::1"), 80));
        // unbracketed IPv6 has no port
        assertThat(key("-A -t 2001:db8::1 -p")).isEqualTo(
            ServiceKey.of(IpProto.TCP, IpAddress.parse("2001:db8::1"), 0));
        // ipvsadm quirk: a bracketed IPv4 address loses its port
        assertThat(key("-A -t [10.0.0.1]:80 -p")).isEqualTo(ServiceKey.of(IpProto.TCP, IpAddress.parse("10.0.0.1"), 0));
        // inet_aton forms and strtol ports
        assertThat(key("-A -t 10.1:80")).isEqualTo(ServiceKey.of(IpProto.TCP, IpAddress.parse("10.0.0.1"), 80));
        assertThat(key("-A -t 10.0.0.1:+80")).isEqualTo(TCP80);
        assertThat(key("-A -t 10.0.0.1:65535")).isEqualTo(
            ServiceKey.of(IpProto.TCP, IpAddress.parse("10.0.0.1"), 65535));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1:http", "www.example.com:80", "localhost", "80", "[::1]", "[::1]80", "[::1",
        "10.0.0.1:65536", "10.0.0.1:", "10.0.0.1:-1", "10.0.0.256:80", "1.2.3.4:80:90"})
    void shouldRefuseNamesAndBadServiceAddresses(String addr) {
        // names are never resolved: ipvsadm says the same for a name that does not resolve
        assertFails("illegal virtual server address[:port] specified", "-A", "-t", addr, "-p");
    }

    @Test
    void shouldRefuseAnEmptyServiceAddress() {
        assertFails("illegal virtual server address[:port] specified", "-A", "-t", "");
    }

    @Test
    void shouldParsePersistenceTimeouts() {
        assertThat(config("-A -t 10.0.0.1:80 -p")).isEqualTo(
            new ServiceConfig("wlc", ServiceFlags.PERSISTENT, 360, FULL_MASK, null));
        assertThat(config("-A -t 10.0.0.1:80 -p 1").persistTimeout()).isEqualTo(1);
        assertThat(config("-A -t 10.0.0.1:80 -p 2678400").persistTimeout()).isEqualTo(2_678_400);
        assertFailsLine("invalid timeout value `0' specified", "-A -t 10.0.0.1:80 -p 0");
        assertFailsLine("invalid timeout value `2678401' specified", "-A -t 10.0.0.1:80 -p 2678401");
        assertFailsLine("invalid timeout value `abc' specified", "-A -t 10.0.0.1:80 -p abc");
        assertFails("invalid timeout value `' specified", "-A", "-t", "10.0.0.1:80", "-p", "");
    }

    @Test
    void shouldParseIpv4Netmasks() {
        assertThat(config("-A -t 10.0.0.1:80 -p -M 255.255.0.0").netmask()).isEqualTo(0xffff_0000);
        // any inet_aton value passes: "24" is 0.0.0.24
        assertThat(config("-A -t 10.0.0.1:80 -p -M 24").netmask()).isEqualTo(24);
        assertFailsLine("illegal virtual server persistent mask specified", "-A -t 10.0.0.1:80 -p -M 255.255.255.256");
        assertFailsLine("illegal virtual server persistent mask specified", "-A -t 10.0.0.1:80 -p -M mask");
    }

    @Test
    void shouldParseIpv6PrefixLengths() {
        assertThat(config("-A -t [2001:db8::1]:80 -p").netmask()).isEqualTo(128);
        assertThat(config("-A -t [2001:db8::1]:80 -p -M 64").netmask()).isEqualTo(64);
        assertThat(config("-A -t [2001:db8::1]:80 -p -M 1").netmask()).isEqualTo(1);
        // atoi: trailing junk ignored
        assertThat(config("-A -t [2001:db8::1]:80 -p -M 64abc").netmask()).isEqualTo(64);
        // -M before an IPv6 service is read as IPv4, then the service resets it to 128
        assertThat(config("-A -M 64 -t [2001:db8::1]:80 -p").netmask()).isEqualTo(128);
        assertFailsLine("illegal ipv6 netmask specified", "-A -t [2001:db8::1]:80 -p -M 129");
        assertFailsLine("illegal ipv6 netmask specified", "-A -t [2001:db8::1]:80 -p -M 0");
        assertFailsLine("illegal ipv6 netmask specified", "-A -t [2001:db8::1]:80 -p -M -1");
        assertFailsLine("illegal ipv6 netmask specified", "-A -t [2001:db8::1]:80 -p -M 255.255.255.0");
    }

    @Test
    void shouldRequirePersistenceForPortZeroAddressServices() {
        assertFailsLine("Zero port specified for non-persistent service", "-A -t 10.0.0.1");
        assertFailsLine("Zero port specified for non-persistent service", "-E -u 10.0.0.1:0");
        assertThat(key("-A -t 10.0.0.1 -p")).isEqualTo(ServiceKey.of(IpProto.TCP, IpAddress.parse("10.0.0.1"), 0));
        // fwmark services have no port
        assertThat(key("-A -f 3")).isEqualTo(ServiceKey.fwmark(3, Af.INET));
    }

    @Test
    void shouldAllowOnePacketSchedulingOnlyForUdpOrFwmark() {
        assertThat(config("-A -u 10.0.0.1:53 -o").flags()).isEqualTo(ServiceFlags.ONEPACKET);
        assertThat(config("-A -f 1 -o").flags()).isEqualTo(ServiceFlags.ONEPACKET);
        assertFailsLine("One-Packet Scheduling is only for UDP virtual services", "-A -t 10.0.0.1:80 -o");
        assertFailsLine("One-Packet Scheduling is only for UDP virtual services", "-E --sctp-service 10.0.0.1:9 -o");
    }

    @Test
    void shouldReadSchedulerFlags() {
        // flag-1 = SCHED1 (0x08), flag-2 = SCHED2 (0x10), flag-3 = SCHED3 (0x20)
        assertThat(config("-A -t 10.0.0.1:80 -b flag-1,flag-3").flags()).isEqualTo(0x28);
        assertThat(config("-A -t 10.0.0.1:80 -s sh -b sh-fallback,sh-port").flags()).isEqualTo(0x18);
        assertThat(config("-A -t 10.0.0.1:80 -b mh-port -s mh").flags()).isEqualTo(0x10);
        assertThat(config("-A -t 10.0.0.1:80 -s mh -p -b mh-fallback").flags())
            .isEqualTo(ServiceFlags.PERSISTENT | ServiceFlags.SCHED1);
        // strtok skips empty items
        assertThat(config("-A -t 10.0.0.1:80 -b ,flag-2,,").flags()).isEqualTo(0x10);
        // an empty list is not parsed at all
        assertThat(((IpvsadmCommand.AddService) IpvsadmParser.parse("-A", "-t", "10.0.0.1:80", "-b", ""))
            .config().flags()).isZero();
    }

    @Test
    void shouldRefuseSchedulerFlagsOfAnotherScheduler() {
        // no -s means wlc
        assertFailsLine("incompatible scheduler flag `sh-port'", "-A -t 10.0.0.1:80 -b sh-port");
        assertFailsLine("incompatible scheduler flag `mh-fallback'", "-A -t 10.0.0.1:80 -s sh -b mh-fallback");
        assertFailsLine("invalid scheduler flag `bogus'", "-A -t 10.0.0.1:80 -b flag-1,bogus");
        // ipvsadm 1.31 crashes on a list of commas; refused here
        assertFailsLine("invalid scheduler flag `,,'", "-A -t 10.0.0.1:80 -b ,,");
        // flags are checked before the command table
        assertFailsLine("invalid scheduler flag `x'", "-L -b x");
    }

    @Test
    void shouldKeepThePersistenceEngineName() {
        assertThat(config("-A -u 10.0.0.1:5060 -p --pe sip").peName()).isEqualTo("sip");
        assertThat(((IpvsadmCommand.AddService) IpvsadmParser.parse("-A", "-u", "10.0.0.1:5060", "--pe", ""))
            .config().peName()).isNull();
    }

    @Test
    void shouldTruncateLongSchedulerNamesLikeIpvsadm() {
        // IP_VS_SCHEDNAME_MAXLEN 16 with the terminating NUL: 15 characters kept
        assertThat(config("-A -t 10.0.0.1:80 -s abcdefghijklmnopqrst").scheduler()).isEqualTo("abcdefghijklmno");
    }

    @Test
    void shouldEditWithTheSameRules() {
        assertThat(parse("-E -t 10.0.0.1:80 -s rr")).isEqualTo(
            new IpvsadmCommand.EditService(TCP80, new ServiceConfig("rr", 0, 0, FULL_MASK, null)));
        assertFailsLine("You need to supply the 'service-address' option for the 'edit-service' command", "-E -s rr");
    }

    @Test
    void shouldDeleteAServiceAndNothingElse() {
        assertThat(parse("-D -t 10.0.0.1:80")).isEqualTo(new IpvsadmCommand.DeleteService(TCP80));
        assertThat(parse("-D -f 9 -6")).isEqualTo(new IpvsadmCommand.DeleteService(ServiceKey.fwmark(9, Af.INET6)));
        assertFailsLine("Illegal 'scheduler' option with the 'delete-service' command", "-D -t 10.0.0.1:80 -s rr");
        assertFailsLine("You need to supply the 'service-address' option for the 'delete-service' command", "-D");
    }
}
