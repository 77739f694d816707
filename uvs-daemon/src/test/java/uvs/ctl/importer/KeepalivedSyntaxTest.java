package uvs.ctl.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static uvs.ctl.importer.ImportFixture.write;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import uvs.core.net.IpAddress;

/** keepalived.conf(5) syntax: comments, quoting and escapes, braces, parameters, conditionals, group ranges. */
class KeepalivedSyntaxTest {
    @TempDir
    Path dir;

    private List<ConfStatement> parse(String text, Diagnostics d) throws IOException {
        return KeepalivedParser.parse(KeepalivedLexer.lex(write(dir, "k.conf", text), d), d);
    }

    @Test
    void shouldJoinQuotedPartsOfOneWordAndKeepTheirSpaces() throws IOException {
        // the manual's examples: 'abcd" efg h jkl "mnop' is one string, 'abcd "efg h jkl" mnop' three
        Diagnostics d = new Diagnostics();
        List<ConfStatement> s = parse("k abcd\" efg h jkl \"mnop\nk abcd \"efg h jkl\" mnop\nk '' \"a'b\"\n", d);

        assertThat(s).extracting(ConfStatement::args).containsExactly(
            List.of("abcd efg h jkl mnop"), List.of("abcd", "efg h jkl", "mnop"), List.of("", "a'b"));
        assertThat(d.list()).isEmpty();
    }

    @Test
    void shouldDecodeEscapesInsideQuotesOnly() throws IOException {
        // \t tab, \x41 'A', \101 'A' (octal), \cA control-A, \" a quote, \q just q; outside quotes '\' is kept
        List<ConfStatement> s = parse("k \"a\\tb\" \"\\x41\\101\" \"\\cA\" \"\\\"\\q\" c\\d\n", new Diagnostics());

        assertThat(s.get(0).args()).containsExactly("a\tb", "AA", "\u0001", "\"q", "c\\d");
    }

    @Test
    void shouldEndLinesAtHashOrBangOutsideQuotes() throws IOException {
        List<ConfStatement> s = parse("k a # comment\nk b ! comment\nk \"#not\" '!not'\n! whole line\n",
            new Diagnostics());

        assertThat(s).extracting(ConfStatement::args).containsExactly(List.of("a"), List.of("b"),
            List.of("#not", "!not"));
    }

    @Test
    void shouldTakeABraceOnTheNextLineAndStatementsAfterAClosingBrace() throws IOException {
        Diagnostics d = new Diagnostics();
        List<ConfStatement> s = parse("outer a\n{\n  inner { x 1 } y 2\n}\nlast\n", d);

        assertThat(d.list()).isEmpty();
        assertThat(s).extracting(ConfStatement::keyword).containsExactly("outer", "last");
        ConfStatement outer = s.get(0);
        assertThat(outer.block()).extracting(ConfStatement::keyword).containsExactly("inner", "y");
        assertThat(outer.block().get(0).block()).containsExactly(
            new ConfStatement(new SourceLocation("k.conf", 3), "x", List.of("1"), null));
        assertThat(s.get(1).hasBlock()).isFalse();
    }

    @Test
    void shouldSubstituteParametersRecursivelyWhenUsed() throws IOException {
        // the manual's example: replacement happens at use, so the later $ADDRESS_BASE_SUB counts
        Diagnostics d = new Diagnostics();
        List<ConfStatement> s = parse("$ADDRESS_BASE=10.2.${ADDRESS_BASE_SUB}\n$ADDRESS_BASE_SUB=0\n"
            + "k ${ADDRESS_BASE}.100/32\n$ADDRESS_BASE_SUB=10\nk ${ADDRESS_BASE}.100/32\n"
            + "k $UNKNOWN $ADDRESS_BASE_SUB\n",
            d);

        assertThat(s).extracting(ConfStatement::args).containsExactly(List.of("10.2.0.100/32"),
            List.of("10.2.10.100/32"), List.of("$UNKNOWN", "10"));
        assertThat(d.list()).isEmpty();
    }

    @Test
    void shouldReadConditionalLinesAsKeepalivedWithConfigIdUvs() throws IOException {
        // as keepalived -i uvs: "@uvs" and "@^main" lines are read, "@main" and "@^uvs" lines skipped
        Diagnostics d = new Diagnostics();
        List<ConfStatement> s = parse("@main router_id main_router\n@^main router_id other\n"
            + "@uvs router_id ours\n@^uvs router_id not_ours\n", d);

        assertThat(s).containsExactly(
            new ConfStatement(new SourceLocation("k.conf", 2), "router_id", List.of("other"), null),
            new ConfStatement(new SourceLocation("k.conf", 3), "router_id", List.of("ours"), null));
        assertThat(d.list()).extracting(Diagnostic::severity).containsExactly(Severity.INFO, Severity.INFO);
    }

    @Test
    void shouldExpandGroupRanges() {
        // last-octet range, full range, /30 prefix, IPv6 last-group range (hex)
        assertThat(KeepalivedGroup.range("192.168.200.1-3")).containsExactly(IpAddress.parse("192.168.200.1"),
            IpAddress.parse("192.168.200.2"), IpAddress.parse("192.168.200.3"));
        assertThat(KeepalivedGroup.range("192.168.200.255-192.168.201.0")).containsExactly(
            IpAddress.parse("192.168.200.255"), IpAddress.parse("192.168.201.0"));
        assertThat(KeepalivedGroup.range("192.168.202.9/30")).containsExactly(IpAddress.parse("192.168.202.8"),
            IpAddress.parse("192.168.202.9"), IpAddress.parse("192.168.202.10"), IpAddress.parse("192.168.202.11"));
        assertThat(KeepalivedGroup.range("2001:db8::e-10")).containsExactly(IpAddress.parse("2001:db8::e"),
            IpAddress.parse("2001:db8::f"), IpAddress.parse("2001:db8::10"));
        assertThat(KeepalivedGroup.range("10.0.0.5-4")).isNull();
        assertThat(KeepalivedGroup.range("10.0.0.5-256")).isNull();
        assertThat(KeepalivedGroup.range("10.0.0.5/33")).isNull();
    }

    @Test
    void shouldTranslateAGroupIntoOneServicePerMember() throws IOException {
        String text = "virtual_server_group WEB {\n    192.168.1.10-11 80\n    fwmark 9\n}\n"
            + "virtual_server group WEB {\n    lvs_sched rr\n    lvs_method DR\n    protocol TCP\n"
            + "    real_server 192.168.2.1 80 {\n    }\n}\n";
        ImportResult r = new KeepalivedImporter().importFile(write(dir, "k.conf", text));

        // two address members and a fwmark (family from the DR real server); port 0 for the fwmark reals
        assertThat(r.rules()).containsExactly(
            "-A -t 192.168.1.10:80 -s rr",
            "-a -t 192.168.1.10:80 -r 192.168.2.1:80 -g -w 1",
            "-A -t 192.168.1.11:80 -s rr",
            "-a -t 192.168.1.11:80 -r 192.168.2.1:80 -g -w 1",
            "-A -f 9 -s rr",
            "-a -f 9 -r 192.168.2.1:0 -g -w 1");
        ImportFixture.parsedRules(r);
        // a real server without checker is always up: nothing runs, and the report says so once per service
        assertThat(r.healthChecks()).isEmpty();
        assertThat(r.checkLines()).hasSize(3).allMatch(l -> l.contains(" -> 192.168.2.1:") && l.contains(": always-up "));
        // as keepalived warns: the real server's port means nothing to the fwmark member
        assertThat(r.diagnostics()).extracting(Diagnostic::toString).containsExactly(
            "k.conf:9: warning: real server 192.168.2.1: a port is ignored for a fwmark service unless NAT");
    }
}
