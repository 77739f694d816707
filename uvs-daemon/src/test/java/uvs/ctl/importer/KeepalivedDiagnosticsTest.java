package uvs.ctl.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static uvs.ctl.importer.ImportFixture.texts;
import static uvs.ctl.importer.ImportFixture.write;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import uvs.ctl.ConfigFile;

/**
 * Every diagnostic the keepalived importer gives, each from a small configuration written for it: the
 * diagnostic names the file and line of the offending statement; an error leaves no output at all.
 */
class KeepalivedDiagnosticsTest {
    @TempDir
    Path dir;

    private static String conf(String... lines) {
        return String.join("\n", lines) + "\n";
    }

    // a complete virtual server (lines 1..9) whose body lines 2..4 and real server lines 6..7 can be replaced
    private static String vs(String body, String real) {
        return conf("virtual_server 10.0.0.1 80 {", body, "    lvs_method DR", "    protocol TCP",
            "    real_server 10.0.0.2 80 {", real, "        TCP_CHECK {", "        }", "    }", "}");
    }

    private static String sched() {
        return "    lvs_sched rr";
    }

    private static Arguments c(String text, String expected) {
        return Arguments.of(text, expected);
    }

    static Stream<Arguments> cases() {
        List<Arguments> a = new ArrayList<>();
        // lexer
        a.add(c(conf("@backup lvs_flush"), "k.conf:1: info: conditional line '@backup' skipped (UVS reads the "
            + "lines of config-id 'uvs')"));
        a.add(c(conf("@^uvs lvs_flush"), "k.conf:1: info: conditional line '@^uvs' skipped"));
        a.add(c(conf("$A=${B}", "$B=${A}", "virtual_server ${A} 80 {", "}"),
            "k.conf:3: error: parameter substitution does not end"));
        a.add(c(conf("include"), "k.conf:1: error: include needs exactly one file name"));
        a.add(c(conf("includea nothere.conf"), "k.conf:1: error: no file matches includea nothere.conf"));
        a.add(c(conf("include k.conf"), "k.conf:1: error: include loop: k.conf is already being read"));
        a.add(c(conf("global_defs {", "    router_id \"lb1", "}"), "k.conf:2: error: unterminated quoted string"));
        // braces
        a.add(c(conf("global_defs {", "}", "}"), "k.conf:3: error: unexpected '}' (no block is open)"));
        a.add(c(conf("{", "}"), "k.conf:1: error: '{' without a keyword before it"));
        a.add(c(conf("virtual_server 10.0.0.1 80 {", "    lvs_sched rr"), "k.conf:1: error: '{' is never closed"));
        // values
        a.add(c(vs("    lvs_sched", ""), "k.conf:2: error: 'lvs_sched' needs a value"));
        a.add(c(vs("    lvs_sched rr wrr", ""), "k.conf:2: warning: extra words after 'lvs_sched' ignored: wrr"));
        a.add(c(vs("    lvs_sched rr { }", ""), "k.conf:2: warning: 'lvs_sched' takes no { } block"));
        a.add(c(vs(sched(), "        inhibit_on_failure maybe"),
            "k.conf:6: error: 'inhibit_on_failure' takes on|off|true|false|yes|no, not 'maybe'"));
        a.add(c(vs("    delay_loop 1m", ""), "k.conf:2: error: 'delay_loop' needs a time in seconds, not '1m'"));
        a.add(c(vs(sched(), "        weight 70000"), "k.conf:6: error: 'weight': '70000' is not a number in 0..65535"));
        a.add(c(conf("virtual_server 10.0.0.300 80 {", "}"),
            "k.conf:1: error: invalid virtual server address '10.0.0.300'"));
        a.add(c(conf("virtual_server 10.0.0.1 http {", "}"), "k.conf:1: error: invalid virtual server port 'http'"));
        a.add(c(conf("virtual_server www.example.com 80 {", "}"),
            "k.conf:1: error: invalid virtual server address 'www.example.com'"));
        a.add(c(vs(sched(), "        lvs_method"), "k.conf:6: error: 'lvs_method' needs NAT, DR or TUN"));
        a.add(c(vs(sched(), "        lvs_method DSR"), "k.conf:6: error: unknown forwarding method 'DSR'"));
        a.add(c(vs(sched(), "        lvs_method TUN type"), "k.conf:6: error: 'type' needs ipip, gue or gre"));
        a.add(c(vs(sched(), "        lvs_method TUN type vxlan"), "k.conf:6: error: unknown tunnel type 'vxlan'"));
        a.add(c(vs(sched(), "        lvs_method TUN type gue"), "k.conf:6: error: tunnel type gue needs 'port N'"));
        a.add(c(vs(sched(), "        lvs_method TUN type gre fast"),
            "k.conf:6: error: unexpected 'fast' in lvs_method"));
        a.add(c(vs(sched(), "        lvs_method TUN type gre remcsum"),
            "k.conf:6: error: checksum option 'remcsum' does not go with tunnel type gre"));
        a.add(c(vs(sched(), "        lvs_method TUN csum"),
            "k.conf:6: error: checksum option 'csum' does not go with tunnel type ipip"));
        a.add(c(vs("    lvs_schedule rr", ""), "k.conf:2: warning: unknown keyword 'lvs_schedule' in virtual_server"));
        a.add(c(vs(sched(), "        wieght 2"), "k.conf:6: warning: unknown keyword 'wieght' in real_server"));
        // checkers
        a.add(c(vs(sched(), "        BFD_CHECK {\n        }"),
            "k.conf:6: warning: BFD_CHECK is not supported: this check is left out"));
        a.add(c(vs(sched(), "        PING_CHECK now {\n        }"),
            "k.conf:6: warning: extra words after 'PING_CHECK'"));
        a.add(c(vs(sched(), "        PING_CHECK"), "k.conf:6: error: PING_CHECK needs a { } block"));
        a.add(c(vs(sched(), "        PING_CHECK {\n            bogus 1\n        }"),
            "k.conf:7: warning: unknown keyword 'bogus' in PING_CHECK"));
        a.add(c(vs(sched(), "        MISC_CHECK {\n            misc_path /bin/true\n            connect_timeout 2\n"
            + "        }"), "k.conf:8: warning: connect_timeout has no effect on MISC_CHECK"));
        a.add(c(vs(sched(), "        MISC_CHECK {\n        }"), "k.conf:6: error: MISC_CHECK needs misc_path"));
        a.add(c(vs(sched(), "        MISC_CHECK {\n            misc_path\n        }"),
            "k.conf:7: error: 'misc_path' needs a value"));
        a.add(c(vs(sched(), "        HTTP_GET {\n        }"),
            "k.conf:6: error: HTTP_GET needs at least one url { path ... } block"));
        a.add(c(vs(sched(), "        HTTP_GET {\n            url\n        }"),
            "k.conf:7: error: url needs a { } block"));
        a.add(c(vs(sched(), "        HTTP_GET {\n            url {\n              status_code 200\n            }\n"
            + "        }"), "k.conf:7: error: url block without 'path'"));
        a.add(c(vs(sched(), "        HTTP_GET {\n            url {\n              path missing\n            }\n"
            + "        }"), "k.conf:8: error: 'path': path must start with '/' and have no spaces or control characters: "
            + "'missing'"));
        a.add(c(vs(sched(), "        HTTP_GET {\n            virtualhost \"a b\"\n            url {\n"
            + "              path /\n            }\n        }"),
            "k.conf:7: error: 'virtualhost': host must be non-empty without spaces or control characters: 'a b'"));
        a.add(c(vs(sched(), "        HTTP_GET {\n            url {\n              path /\n              status_code\n"
            + "            }\n        }"), "k.conf:9: error: 'status_code' needs a value"));
        a.add(c(vs(sched(),
            "        HTTP_GET {\n            url {\n              path /\n              status_code 299-200\n"
            + "            }\n        }"), "k.conf:9: error: invalid status_code '299-200'"));
        a.add(c(vs(sched(), "        HTTP_GET {\n            url {\n              path /\n              regexp x\n"
            + "            }\n        }"), "k.conf:9: warning: unknown keyword 'regexp' in url"));
        a.add(c(vs(sched(), "        HTTP_GET {\n            http_protocol 2\n        }"),
            "k.conf:7: error: http_protocol must be 1.0, 1.0C or 1.1, not '2'"));
        a.add(c(vs(sched(), "        HTTP_GET {\n            enable_sni\n        }"),
            "k.conf:7: warning: unknown keyword 'enable_sni' in HTTP_GET"));
        a.add(c(vs(sched(), "        DNS_CHECK {\n            type ANY\n        }"),
            "k.conf:7: error: DNS_CHECK type must be one of A NS CNAME SOA MX TXT AAAA, not 'ANY'"));
        a.add(c(vs(sched(), "        TCP_CHECK {\n            connect_ip 10.0.0.999\n        }"),
            "k.conf:7: error: invalid connect_ip address '10.0.0.999'"));
        a.add(c(vs(sched(), "        TCP_CHECK {\n            connect_port 0\n        }"),
            "k.conf:7: error: invalid connect_port port '0'"));
        // groups
        a.add(c(conf("virtual_server_group {", "}"), "k.conf:1: error: virtual_server_group needs a name"));
        a.add(c(conf("virtual_server_group G"), "k.conf:1: error: virtual_server_group needs a { } block"));
        a.add(c(conf("virtual_server_group G {", "    fwmark", "}"),
            "k.conf:2: error: group entry 'fwmark' needs a mark and optionally inet|inet6"));
        a.add(c(conf("virtual_server_group G {", "    fwmark 3 ipx", "}"),
            "k.conf:2: error: fwmark family must be inet or inet6, not 'ipx'"));
        a.add(c(conf("virtual_server_group G {", "    10.0.0.1 80 81", "}"),
            "k.conf:2: error: group entry needs an address (or range) and at most a port"));
        a.add(c(conf("virtual_server_group G {", "    10.0.0.9-3 80", "}"),
            "k.conf:2: error: invalid address or range '10.0.0.9-3' in virtual_server_group"));
        a.add(c(conf("virtual_server_group G {", "    10.0.0.0/16 80", "}"),
            "k.conf:2: error: range '10.0.0.0/16' has more than 1024 addresses (larger ranges are not expanded)"));
        a.add(c(conf("virtual_server_group G {", "}"), "k.conf:1: warning: virtual_server_group G has no entries"));
        a.add(c(conf("virtual_server_group G {", "    10.0.0.1 80", "}", "virtual_server_group G {", "    10.0.0.2 80",
            "}"), "k.conf:4: error: virtual_server_group G is defined twice"));
        a.add(c(conf("virtual_server_group G {", "}", "virtual_server group G {", "    lvs_sched rr",
            "    real_server 10.0.0.2 80 {", "    }", "}"),
            "k.conf:3: warning: virtual_server_group G has no entries: virtual server left out"));
        // virtual server identity and settings
        a.add(c(conf("virtual_server {", "}"), "k.conf:1: error: virtual_server needs an address [port]"));
        a.add(c(conf("virtual_server 10.0.0.1 80 tcp {", "}"), "k.conf:1: error: virtual_server takes an address"));
        a.add(c(conf("virtual_server fwmark {", "}"), "k.conf:1: error: 'virtual_server fwmark' needs a mark"));
        a.add(c(conf("virtual_server fwmark 0 {", "}"), "k.conf:1: error: 'virtual_server': '0' is not a number"));
        a.add(c(conf("virtual_server group {", "}"), "k.conf:1: error: 'virtual_server group' needs a name"));
        a.add(c(conf("virtual_server group NONE {", "}"),
            "k.conf:1: error: virtual_server_group 'NONE' is not defined"));
        a.add(c(conf("virtual_server 10.0.0.1 80"), "k.conf:1: error: virtual_server needs a { } block"));
        a.add(c(vs("    hashed", ""), "k.conf:2: info: 'hashed' is a kernel-internal flag: ignored"));
        a.add(c(vs("    persistence_engine rtsp", ""), "k.conf:2: error: unknown persistence engine 'rtsp'"));
        a.add(c(vs("    persistence_granularity 255.0.255.0", ""),
            "k.conf:2: error: persistence_granularity '255.0.255.0' is not a contiguous IPv4 netmask"));
        a.add(c(vs("    persistence_granularity 129", ""),
            "k.conf:2: error: 'persistence_granularity': '129' is not a number in 1..128"));
        a.add(c(conf("virtual_server 10.0.0.1 80 {", "    protocol ICMP", "}"),
            "k.conf:2: error: unknown protocol 'ICMP'"));
        a.add(c(vs("    ip_family ipx", ""), "k.conf:2: error: ip_family must be inet or inet6, not 'ipx'"));
        a.add(c(vs("    sorry_server", ""), "k.conf:2: error: sorry_server needs an address and optionally a port"));
        a.add(c(vs("    smtp_alert yes", ""), "k.conf:2: info: 'smtp_alert' does not apply to UVS: ignored"));
        a.add(c(vs(sched(), "        snmp_name web1"), "k.conf:6: info: 'snmp_name' does not apply to UVS: ignored"));
        a.add(c(vs(sched(), "        notify_up /bin/up"), "k.conf:6: warning: 'notify_up' is not supported"));
        a.add(c(conf("virtual_server 10.0.0.1 80 {", "    real_server 10.0.0.2 80 1 {", "    }", "}"),
            "k.conf:2: error: real_server needs an address and optionally a port"));
        a.add(c(conf("virtual_server 10.0.0.1 80 {", "    real_server 10.0.0.2 80", "}"),
            "k.conf:2: error: real_server needs a { } block"));
        a.add(c(conf("virtual_server 10.0.0.1 80 {", "    real_server 10.0.0.2 99999 {", "    }", "}"),
            "k.conf:2: error: invalid real server port '99999'"));
        // corrections keepalived makes
        a.add(c(conf("virtual_server 10.0.0.1 80 {", "    lvs_sched rr", "}"),
            "k.conf:1: warning: virtual server has no real servers: left out"));
        a.add(c(conf("virtual_server fwmark 5 {", "    ha_suspend", "    lvs_sched rr", "    real_server 10.0.0.2 80 {",
            "    }", "}"), "k.conf:1: warning: ha_suspend cannot be used with fwmarks: cleared"));
        a.add(c(vs("    ops\n    lvs_sched rr", ""),
            "k.conf:1: warning: ops (one-packet scheduling) needs UDP: cleared"));
        a.add(c(conf("virtual_server 10.0.0.1 {", "    protocol TCP", "    lvs_sched rr", "    real_server 10.0.0.2 {",
            "    }", "}"), "k.conf:1: warning: port 0 is only valid for a persistent service: made persistent"));
        a.add(c(vs("", ""), "k.conf:1: info: no lvs_sched: keepalived's default wlc is used"));
        a.add(c(vs("    lvs_sched wrrr", ""), "k.conf:1: error: unknown scheduler 'wrrr'"));
        a.add(c(conf("virtual_server 10.0.0.1 80 {", "    protocol TCP", "    lvs_sched rr",
            "    real_server 10.0.0.2 80 {",
            "    }", "}"), "k.conf:1: info: no lvs_method: keepalived's default NAT is used"));
        a.add(c(conf("virtual_server 10.0.0.1 80 {", "    lvs_sched rr", "    real_server 10.0.0.2 80 {", "    }", "}"),
            "k.conf:1: warning: no protocol set: UDP is used, as keepalived does"));
        a.add(c(conf("virtual_server fwmark 5 {", "    protocol TCP", "    lvs_sched rr", "    real_server 10.0.0.2 {",
            "    }", "}"), "k.conf:2: warning: protocol is ignored for a fwmark service"));
        a.add(c(vs("    lvs_sched rr\n    hysteresis 1", ""),
            "k.conf:1: warning: hysteresis without quorum has no effect"));
        a.add(c(vs("    lvs_sched rr\n    quorum 5", ""),
            "k.conf:1: warning: quorum 5 exceeds the total weight 1 of the real servers: lowered to 1"));
        a.add(c(vs("    lvs_sched rr\n    quorum 1\n    hysteresis 1", ""),
            "k.conf:1: warning: hysteresis 1 is not below quorum 1: set to 0"));
        a.add(c(vs("    lvs_sched rr\n    mh-port", ""),
            "k.conf:3: warning: 'mh-port' only applies to the mh scheduler: ignored"));
        a.add(c(vs(sched(), "        alpha"), "k.conf:5: info: alpha: real server 10.0.0.2 starts down: weight 0 in the "
            + "rules of TCP 10.0.0.1:80, taken out when the health checks start; its check adds it with weight 1"));
        a.add(c(vs(sched(), "        alpha\n        inhibit_on_failure"), "k.conf:5: info: alpha: real server 10.0.0.2 "
            + "starts down with weight 0 in TCP 10.0.0.1:80; its check sets weight 1"));
        a.add(c(conf("virtual_server 10.0.0.1 80 {", "    lvs_sched rr", "    protocol TCP",
            "    real_server 10.0.0.2 80 {",
            "    }", "    real_server 2001:db8::2 80 {", "    }", "}"),
            "k.conf:6: warning: real server 2001:db8::2 is not of the address family of TCP 10.0.0.1:80"));
        a.add(c(conf("virtual_server 10.0.0.1 80 {", "    lvs_sched rr", "    protocol TCP",
            "    real_server 2001:db8::2 80 {",
            "    }", "}"), "k.conf:1: warning: TCP 10.0.0.1:80 has no real servers of its address family: left out"));
        a.add(c(conf("virtual_server_group G {", "    10.0.0.1 80", "    2001:db8::1 80", "}",
            "virtual_server group G {",
            "    lvs_sched rr", "    protocol TCP", "    lvs_method TUN", "    persistence_granularity 255.255.255.0",
            "    real_server 10.0.0.2 80 {", "    }", "}"),
            "k.conf:5: warning: persistence_granularity does not suit the address family of TCP [2001:db8::1]:80"));
        a.add(c(vs("    lvs_sched rr\n    sorry_server 2001:db8::9 80", ""),
            "k.conf:3: warning: sorry server 2001:db8::9 is not of the address family of TCP 10.0.0.1:80: left out"));
        a.add(c(conf("virtual_server 10.0.0.1 80 {", "    lvs_sched rr", "    protocol TCP", "    lvs_method DR",
            "    real_server 10.0.0.2 8080 {", "    }", "}"),
            "k.conf:5: warning: real server 10.0.0.2: port 8080 differs from the virtual port 80"));
        a.add(c(conf("virtual_server 10.0.0.1 80 {", "    lvs_sched rr", "    protocol TCP",
            "    real_server 10.0.0.2 80 {",
            "    }", "}", "virtual_server 10.0.0.1 80 {", "    lvs_sched rr", "    protocol TCP",
            "    real_server 10.0.0.3 80 {", "    }", "}"),
            "k.conf:7: error: duplicate virtual service TCP 10.0.0.1:80 (first defined at k.conf:1)"));
        a.add(c(conf("virtual_server 10.0.0.1 80 {", "    lvs_sched rr", "    protocol TCP",
            "    real_server 10.0.0.2 80 {",
            "    }", "    real_server 10.0.0.2 80 {", "    }", "}"),
            "k.conf:6: warning: real server 10.0.0.2:80 of TCP 10.0.0.1:80 is a duplicate of the one at k.conf:4"));
        // globals
        a.add(c(conf("global_defs"), "k.conf:1: error: global_defs needs a { } block"));
        a.add(c(conf("global_defs {", "    lvs_flush_on_stop", "}"),
            "k.conf:2: info: lvs_flush_on_stop does not apply"));
        a.add(c(conf("global_defs {", "    lvs_sync_daemon eth0", "    lvs_sync_daemon eth1", "}"),
            "k.conf:3: warning: a sync daemon is already configured at k.conf:2: this one is ignored"));
        a.add(c(conf("global_defs {", "    lvs_sync_daemon", "}"),
            "k.conf:2: error: lvs_sync_daemon needs an interface"));
        a.add(c(conf("global_defs {", "    lvs_sync_daemon eth0 VI_1 fast", "}"),
            "k.conf:2: error: unexpected 'fast' in lvs_sync_daemon"));
        a.add(c(conf("global_defs {", "    lvs_sync_daemon eth0 id", "}"),
            "k.conf:2: error: 'id' in lvs_sync_daemon needs a value"));
        a.add(c(conf("global_defs {", "    lvs_sync_daemon eth0 id 256", "}"),
            "k.conf:2: error: 'lvs_sync_daemon': '256' is not a number in 0..255"));
        a.add(c(conf("global_defs {", "    lvs_sync_daemon eth0 group 10.1.1.1", "}"),
            "k.conf:2: error: sync group 10.1.1.1 is not a multicast address"));
        a.add(c(conf("global_defs {", "    lvs_sync_daemon eth0 inst VI_9", "}"),
            "k.conf:2: warning: vrrp_instance VI_9 is not defined"));
        a.add(c(conf("global_defs {", "    lvs_sync_daemon interface-name-too-long", "}"),
            "k.conf:2: error: invalid sync daemon setting: mcast interface name 'interface-name-too-long' is longer"));
        a.add(c(conf("global_defs {", "    lvs_timeouts tcp", "}"),
            "k.conf:2: error: lvs_timeouts needs pairs of tcp|tcpfin|udp and seconds"));
        a.add(c(conf("global_defs {", "    lvs_timeouts sctp 10", "}"),
            "k.conf:2: error: unknown lvs_timeouts protocol 'sctp'"));
        a.add(c(conf("vrrp_instance VI_1 {", "    virtual_router_id 7", "    lvs_sync_daemon_interface eth3", "}",
            "global_defs {", "    lvs_sync_daemon eth4", "}"),
            "k.conf:6: warning: a sync daemon is already configured at k.conf:3: this one is ignored"));
        // top level
        a.add(c(conf("SSL {", "    ca /etc/ca.pem", "}"), "k.conf:2: info: SSL_GET checks verify the real servers' "
            + "certificates against /etc/ca.pem (keepalived loads it without failing a check on it)"));
        a.add(c(conf("SSL {", "    certificate /etc/client.pem", "}"), "k.conf:2: warning: SSL certificate is not "
            + "imported: UVS's SSL_GET checks present no client certificate"));
        a.add(c(conf("vrrp_script chk {", "}"), "k.conf:1: info: 'vrrp_script' does not apply to UVS: ignored"));
        a.add(c(conf("virtual_servers 10.0.0.1 80 {", "}"),
            "k.conf:1: warning: unknown keyword 'virtual_servers': ignored"));
        return a.stream();
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("cases")
    void shouldReportEachProblemAtItsLine(String text, String expected) throws IOException {
        ImportResult r = new KeepalivedImporter().importFile(write(dir, "k.conf", text));

        assertThat(texts(r)).as("diagnostics of:\n" + text).anyMatch(t -> t.startsWith(expected));
        if (expected.contains(": error: ")) {
            assertThat(r.rules()).isEmpty();
            assertThat(r.checkLines()).isEmpty();
            assertThat(r.syncDaemons()).isEmpty();
        }
    }

    @Test
    void shouldStopIncludesNestedTooDeep() throws IOException {
        // 40 files each including the next: the 33rd level is refused
        for (int i = 0; i < 40; i++) {
            write(dir, "f" + i + ".conf", "include f" + (i + 1) + ".conf\n");
        }
        write(dir, "f40.conf", "\n");
        ImportResult r = new KeepalivedImporter().importFile(dir.resolve("f0.conf"));

        assertThat(texts(r)).containsExactly("f31.conf:1: error: includes nested deeper than 32");
    }

    @Test
    void shouldReportAnIncludedFileThatCannotBeRead() throws IOException {
        // not UTF-8: the included file cannot be decoded
        Files.write(dir.resolve("bad.inc"), new byte[] {(byte) 0xff, (byte) 0xfe, '\n'});
        ImportResult r = new KeepalivedImporter().importFile(write(dir, "k.conf", conf("include bad.inc")));

        assertThat(texts(r)).singleElement().asString().startsWith("k.conf:1: error: cannot read included file bad.inc");
        assertThat(r.rules()).isEmpty();
    }

    @Test
    void shouldRefuseADeviceIncludedWithoutReadingIt() throws IOException {
        // /dev/zero never ends: reading it would fill the heap
        for (String keyword : List.of("include", "includea")) {
            ImportResult r = new KeepalivedImporter().importFile(write(dir, "k.conf", conf(keyword + " /dev/zero")));

            assertThat(texts(r)).containsExactly("k.conf:1: error: cannot read included file /dev/zero: not a regular "
                + "file (a device, FIFO or socket)");
            assertThat(r.rules()).isEmpty();
        }
    }

    @Test
    void shouldRefuseAFifoIncludedWithoutBlocking() throws Exception {
        // opening a FIFO with no writer would block the import for ever
        Path fifo = dir.resolve("rules.fifo");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertThat(mk.waitFor()).isZero();
        ImportResult r = new KeepalivedImporter().importFile(write(dir, "k.conf", conf("include rules.fifo")));

        assertThat(texts(r)).containsExactly("k.conf:1: error: cannot read included file rules.fifo: not a regular "
            + "file (a device, FIFO or socket)");
        // a pattern that matches it refuses it as well
        r = new KeepalivedImporter().importFile(write(dir, "k.conf", conf("include *.fifo")));
        assertThat(texts(r)).containsExactly("k.conf:1: error: cannot read included file rules.fifo: not a regular "
            + "file (a device, FIFO or socket)");
    }

    @Test
    void shouldRefuseADirectoryNamedByAnInclude() throws IOException {
        Files.createDirectories(dir.resolve("conf.d/sub"));
        write(dir, "conf.d/10-web.conf", "\n");
        ImportResult r = new KeepalivedImporter().importFile(write(dir, "k.conf", conf("include conf.d")));

        assertThat(texts(r)).containsExactly("k.conf:1: error: cannot read included file conf.d: not a regular file "
            + "(a directory)");
        // as in keepalived, a pattern skips the directories it matches
        r = new KeepalivedImporter().importFile(write(dir, "k.conf", conf("include conf.d/*")));
        assertThat(r.hasErrors()).isFalse();
        assertThat(texts(r)).noneMatch(t -> t.contains("sub"));
    }

    @Test
    void shouldRefuseAnOversizedIncludedFile() throws IOException {
        // sparse: 64 MiB + 1 byte on disk costs nothing, and must not be read
        try (var f = new RandomAccessFile(dir.resolve("big.inc").toFile(), "rw")) {
            f.setLength(ConfigFile.MAX_RULES + 1);
        }
        ImportResult r = new KeepalivedImporter().importFile(write(dir, "k.conf", conf("include big.inc")));

        assertThat(texts(r)).containsExactly("k.conf:1: error: cannot read included file big.inc: 67108865 bytes, "
            + "more than the 67108864 allowed");
    }

    @Test
    void shouldGiveNoOutputWhenAnyLineIsWrong() throws IOException {
        // a good virtual server, then one with a bad real server address
        String text = conf("virtual_server 10.0.0.1 80 {", "    lvs_sched rr", "    protocol TCP",
            "    real_server 10.0.0.2 80 {", "    }", "}", "virtual_server 10.0.0.5 80 {", "    lvs_sched rr",
            "    protocol TCP", "    real_server 10.0.0.256 80 {", "    }", "}");
        ImportResult r = new KeepalivedImporter().importFile(write(dir, "k.conf", text));

        assertThat(r.hasErrors()).isTrue();
        assertThat(r.diagnostics(Severity.ERROR)).extracting(Diagnostic::toString).containsExactly(
            "k.conf:10: error: invalid real server address '10.0.0.256' (a numeric IPv4 or IPv6 address is needed)");
        assertThat(r.rules()).isEmpty();
        assertThat(r.checkLines()).isEmpty();
        assertThat(r.sysctls()).isEmpty();
        assertThat(r.syncDaemons()).isEmpty();
    }
}
