package uvs.ctl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static uvs.ctl.cli.ParserAssertions.TRY_HELP;
import static uvs.ctl.cli.ParserAssertions.assertFails;
import static uvs.ctl.cli.ParserAssertions.assertRefused;

import org.junit.jupiter.api.Test;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.svc.ServiceKey;

/** popt's command-line rules as ipvsadm 1.31 sees them (spec §9.1 "Parsing"). */
class IpvsadmParserPoptTest {
    private static final int ERR = IpvsadmException.EXIT_ERROR;
    private static final ServiceKey TCP80 = ServiceKey.of(IpProto.TCP, IpAddress.parse("10.0.0.1"), 80);

    @Test
    void shouldListWhenThereAreNoArguments() {
        assertThat(IpvsadmParser.parse()).isEqualTo(new IpvsadmCommand.List(null, ListOptions.NONE));
    }

    @Test
    void shouldAcceptLongShortAndLowercaseListCommand() {
        IpvsadmCommand plain = new IpvsadmCommand.List(null, ListOptions.NONE);
        assertThat(IpvsadmParser.parse("-L")).isEqualTo(plain);
        assertThat(IpvsadmParser.parse("-l")).isEqualTo(plain);
        assertThat(IpvsadmParser.parse("--list")).isEqualTo(plain);
    }

    @Test
    void shouldCombineShortOptions() {
        IpvsadmCommand.List l = (IpvsadmCommand.List) IpvsadmParser.parse("-Lnc");
        assertThat(l.options().numeric()).isTrue();
        assertThat(l.options().connection()).isTrue();
    }

    @Test
    void shouldLetAnOptionWithArgumentTakeTheRestOfTheCluster() {
        assertThat(IpvsadmParser.parse("-At10.0.0.1:80"))
            .isEqualTo(IpvsadmParser.parse("-A", "-t", "10.0.0.1:80"));
        IpvsadmCommand.AddDest d = (IpvsadmCommand.AddDest) IpvsadmParser.parse("-a", "-t", "10.0.0.1:80", "-r",
            "10.0.0.2", "-w5");
        assertThat(d.config().weight()).isEqualTo(5);
    }

    @Test
    void shouldSkipAnEqualsSignAfterAShortOption() {
        IpvsadmCommand.AddDest d = (IpvsadmCommand.AddDest) IpvsadmParser.parse("-a", "-t", "10.0.0.1:80", "-r",
            "10.0.0.2", "-w=7");
        assertThat(d.config().weight()).isEqualTo(7);
        // popt reads "-L=n" as -L then -n
        assertThat(((IpvsadmCommand.List) IpvsadmParser.parse("-L=n")).options().numeric()).isTrue();
    }

    @Test
    void shouldAcceptLongOptionsWithEqualsOrSeparateValue() {
        IpvsadmCommand a = IpvsadmParser.parse("--add-service", "--tcp-service=10.0.0.1:80", "--scheduler", "rr");
        IpvsadmCommand b = IpvsadmParser.parse("-A", "-t", "10.0.0.1:80", "-s", "rr");
        assertThat(a).isEqualTo(b);
        assertThat(((IpvsadmCommand.AddService) a).service()).isEqualTo(TCP80);
    }

    @Test
    void shouldTakeTheNextWordAsRequiredArgumentEvenWhenItLooksLikeAnOption() {
        IpvsadmCommand.AddService a = (IpvsadmCommand.AddService) IpvsadmParser.parse("-A", "-t", "10.0.0.1:80",
            "-s", "-p");
        assertThat(a.config().scheduler()).isEqualTo("-p");
        assertThat(a.config().isPersistent()).isFalse();
    }

    @Test
    void shouldTakeAnOptionalArgumentOnlyWhenItDoesNotStartWithDash() {
        IpvsadmCommand.AddService a = (IpvsadmCommand.AddService) IpvsadmParser.parse("-A", "-t", "10.0.0.1:80",
            "-p", "-s", "rr");
        assertThat(a.config().persistTimeout()).isEqualTo(360);
        assertThat(a.config().scheduler()).isEqualTo("rr");
        IpvsadmCommand.AddService b = (IpvsadmCommand.AddService) IpvsadmParser.parse("-A", "-t", "10.0.0.1:80",
            "--persistent=100");
        assertThat(b.config().persistTimeout()).isEqualTo(100);
        IpvsadmCommand.AddService c = (IpvsadmCommand.AddService) IpvsadmParser.parse("-A", "-t", "10.0.0.1:80",
            "-p100");
        assertThat(c.config().persistTimeout()).isEqualTo(100);
        // in a cluster the rest is the argument, so "-pn" means timeout "n"
        assertFails("invalid timeout value `n' specified", "-A", "-t", "10.0.0.1:80", "-pn");
    }

    @Test
    void shouldRequireTheCommandAsFirstOption() {
        assertRefused(ERR, TRY_HELP, "-n", "-L");
        assertRefused(ERR, TRY_HELP, "-nL");
        assertRefused(ERR, TRY_HELP, "-t", "10.0.0.1:80", "-A");
    }

    @Test
    void shouldGiveTheHelpHintWhenTheFirstOptionIsBadOrMissing() {
        assertRefused(ERR, TRY_HELP, "--bogus");
        assertRefused(ERR, TRY_HELP, "--list=x");
        assertRefused(ERR, TRY_HELP, "--start-daemon");
        assertRefused(ERR, TRY_HELP, "foo");
        assertRefused(ERR, TRY_HELP, "--");
        assertRefused(ERR, TRY_HELP, "-");
        assertRefused(ERR, TRY_HELP, "");
    }

    @Test
    void shouldRefuseASecondCommandAsInvalidOption() {
        assertFails("invalid option `-E'", "-A", "-t", "10.0.0.1:80", "-E");
        assertFails("invalid option `-h'", "-L", "-h");
        assertFails("invalid option `-ALn'", "-ALn");
        // popt's bad option is the last word read: here the daemon state
        assertFails("invalid option `master'", "-L", "--start-daemon", "master");
        assertFails("invalid option `--start-daemon=master'", "-L", "--start-daemon=master");
    }

    @Test
    void shouldReportPoptErrorsWithTheOffendingWord() {
        assertRefused(ERR, "--foo: unknown option", "-L", "--foo");
        assertRefused(ERR, "--foo=bar: unknown option", "-L", "--foo=bar");
        assertRefused(ERR, "-Lq: unknown option", "-Lq");
        assertRefused(ERR, "-I: unknown option", "-L", "-I", "5");
        // no abbreviations of long options
        assertRefused(ERR, "--tcp: unknown option", "-A", "--tcp", "10.0.0.1:80");
        assertRefused(ERR, "-t: missing argument", "-A", "-t");
        assertRefused(ERR, "-At: missing argument", "-At");
        assertRefused(ERR, "--scheduler: missing argument", "-A", "-t", "10.0.0.1:80", "--scheduler");
        assertRefused(ERR, "--numeric=1: option does not take an argument", "-L", "--numeric=1");
        assertRefused(ERR, "-L=: unknown option", "-L=");
        // "-1" is a cluster with the unknown option '1'
        assertRefused(ERR, "-1: unknown option", "--set", "-1", "0", "0");
    }

    @Test
    void shouldReportTheFirstLeftoverArgument() {
        assertFails("unexpected argument foo", "-L", "foo");
        assertFails("unexpected argument foo", "foo", "-L");
        assertFails("unexpected argument -n", "-L", "--", "-n");
        assertFails("unexpected argument -", "-C", "-");
    }

    @Test
    void shouldAllowEachOptionOnlyOnce() {
        assertFails("multiple 'numeric' options specified", "-L", "-n", "-n");
        assertFails("multiple 'numeric' options specified", "-Lnn");
        assertFails("multiple 'service-address' options specified", "-A", "-t", "10.0.0.1:80", "-u", "10.0.0.1:53");
        assertFails("multiple 'service-address' options specified", "-A", "-t", "10.0.0.1:80", "-f", "1");
        assertFails("multiple 'forwarding-method' options specified",
            "-a", "-t", "10.0.0.1:80", "-r", "10.0.0.2", "-m", "-g");
        assertFails("multiple 'persistent' options specified", "-A", "-t", "10.0.0.1:80", "-p", "-p", "5");
        assertFails("multiple 'tun-csum' options specified",
            "-a", "-t", "10.0.0.1:80", "-r", "10.0.0.2", "-i", "--tun-csum", "--tun-csum");
        // the multiple-check comes before the value check
        assertFails("multiple 'weight' options specified",
            "-a", "-t", "10.0.0.1:80", "-r", "10.0.0.2", "-w", "2", "-w", "x");
    }

    @Test
    void shouldAcceptSortAndIpv6FlagRepeatedly() {
        assertThat(IpvsadmParser.parse("-L", "--sort", "--sort")).isEqualTo(IpvsadmParser.parse("-L"));
        assertThat(IpvsadmParser.parse("-A", "-f", "1", "-6", "-6"))
            .isEqualTo(IpvsadmParser.parse("-A", "-f", "1", "-6"));
        // --sort is in no table: even -C takes it
        assertThat(IpvsadmParser.parse("-C", "--sort")).isEqualTo(new IpvsadmCommand.Clear());
    }

    @Test
    void shouldStopAtHelpAndVersion() {
        assertThat(IpvsadmParser.parse("-h")).isEqualTo(new IpvsadmCommand.Help());
        assertThat(IpvsadmParser.parse("--help", "--bogus")).isEqualTo(new IpvsadmCommand.Help());
        assertThat(IpvsadmParser.parse("-hL")).isEqualTo(new IpvsadmCommand.Help());
        assertThat(IpvsadmParser.parse("-v")).isEqualTo(new IpvsadmCommand.Version());
        assertThat(IpvsadmParser.parse("--version", "x")).isEqualTo(new IpvsadmCommand.Version());
    }

    @Test
    void shouldPrintIpvsadmsVersionAndUsageTexts() {
        assertThat(IpvsadmUsage.VERSION).isEqualTo("ipvsadm v1.31 2019/12/24 (compiled with popt and IPVS v1.2.1)");
        String usage = IpvsadmUsage.usage("ipvsadm");
        assertThat(usage).startsWith(IpvsadmUsage.VERSION + "\nUsage:\n  ipvsadm -A|E virtual-service [-s scheduler]"
            + " [-p [timeout]] [-M netmask] [--pe persistence_engine] [-b sched-flags]\n");
        assertThat(usage).contains("\n  --scheduler    -s scheduler         one of"
            + " rr|wrr|lc|wlc|lblc|lblcr|dh|sh|sed|nq|fo|ovf|mh,\n"
            + "                                      the default scheduler is wlc.\n");
        assertThat(usage).contains("\n  --pe            engine              alternate persistence engine may be sip,\n"
            + "                                      not set by default.\n");
        assertThat(usage).endsWith("  --mcast-ttl ttl                     Multicast TTL (default=1)\n");
        // 16 lines of forms, 18 of commands, 6 of services, 35 of options, 7 of daemon options
        assertThat(usage.lines().count()).isEqualTo(82);
    }
}
