package uvs.ctl.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static uvs.ctl.importer.ImportFixture.ip;
import static uvs.ctl.importer.ImportFixture.parsedRules;
import static uvs.ctl.importer.ImportFixture.resource;
import static uvs.ctl.importer.ImportFixture.spec;
import static uvs.ctl.importer.ImportFixture.texts;
import static uvs.ctl.importer.ImportFixture.timing;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import uvs.core.net.Af;
import uvs.core.net.IpProto;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceKey;
import uvs.ctl.model.CheckSpec;
import uvs.ctl.health.CheckKind;
import uvs.ctl.health.CheckTiming;
import uvs.ctl.health.FailureAction;
import uvs.ctl.health.SorryServer;
import uvs.ctl.health.StatusCodes;

/**
 * The sample ldirectord.cf files translated as a whole; expected values read off the samples by hand with
 * ldirectord(8) and ldirectord's read_config / ld_setup defaults (noted at each value).
 */
class LdirectordImporterTest {
    private final LdirectordImporter importer = new LdirectordImporter();

    @Test
    void shouldTranslateTwoVirtualsWithNegotiateChecksQuiescenceAndFallback() throws IOException {
        ImportResult r = importer.importFile(resource("ldirectord.cf"));

        assertThat(r.hasErrors()).as(texts(r).toString()).isFalse();
        // gate = -g, masq = -m; weight 1 unless given; persistent=600 with netmask=255.255.255.0
        assertThat(r.rules()).containsExactly(
            "-A -t 192.168.6.240:80 -s rr -p 600 -M 255.255.255.0",
            "-a -t 192.168.6.240:80 -r 192.168.6.2:80 -g -w 1",
            "-a -t 192.168.6.240:80 -r 192.168.6.3:80 -g -w 2",
            "-a -t 192.168.6.240:80 -r 192.168.6.6:80 -g -w 1",
            "-A -t 192.168.6.241:443 -s wlc",
            "-a -t 192.168.6.241:443 -r 192.168.6.4:443 -m -w 1",
            "-a -t 192.168.6.241:443 -r 192.168.6.5:8443 -m -w 3");
        parsedRules(r);

        ServiceKey web = ServiceKey.of(IpProto.TCP, ip("192.168.6.240"), 80);
        // global quiescent=yes: failed servers (and the fallback) are quiesced; the section's own fallback
        SorryServer webFallback = new SorryServer(web, ip("127.0.0.1"), 80, RealServerConfig.of(1, ForwardMethod.ROUTE),
            FailureAction.QUIESCE);
        // checkinterval 5; a negotiate check takes negotiatetimeout, else checktimeout (3); failurecount 1
        CheckTiming webTiming = timing(5, 3, 0, 5, 0);
        // request "index.html" gets its leading '/'; receive is matched in the body; httpmethod GET
        CheckKind.Http page = new CheckKind.Http(false, false, "/index.html", "www.x.y.z", StatusCodes.SUCCESS,
            "Test Page", null);
        ServiceKey tls = ServiceKey.of(IpProto.TCP, ip("192.168.6.241"), 443);
        // quiescent=no; the global fallback 127.0.0.1:80 gate: gate must use the virtual port 443
        SorryServer tlsFallback = new SorryServer(tls, ip("127.0.0.1"), 443, RealServerConfig.of(1, ForwardMethod.ROUTE),
            FailureAction.REMOVE);
        // negotiatetimeout=10; failurecount=3 = 2 retries
        CheckTiming tlsTiming = timing(5, 10, 2, 5, 0);
        CheckKind.Http health = new CheckKind.Http(true, false, "/health", null, StatusCodes.SUCCESS, "OK", null);
        String f = "ldirectord.cf";
        assertThat(r.healthChecks()).containsExactly(
            new CheckSpec(new SourceLocation(f, 12), web, ip("192.168.6.2"), 80, 1, page, webTiming,
                FailureAction.QUIESCE, false, null, 0, null, webFallback, null),
            new CheckSpec(new SourceLocation(f, 13), web, ip("192.168.6.3"), 80, 2, page, webTiming,
                FailureAction.QUIESCE, false, null, 0, null, webFallback, null),
            // the real server's own "request", "receive" pair
            new CheckSpec(new SourceLocation(f, 14), web, ip("192.168.6.6"), 80, 1, new CheckKind.Http(false, false,
                "/ping.html", "www.x.y.z", StatusCodes.SUCCESS, "pong", null), webTiming, FailureAction.QUIESCE,
                false, null, 0, null, webFallback, null),
            new CheckSpec(new SourceLocation(f, 27), tls, ip("192.168.6.4"), 443, 1, health, tlsTiming,
                FailureAction.REMOVE, false, null, 0, null, tlsFallback, null),
            new CheckSpec(new SourceLocation(f, 28), tls, ip("192.168.6.5"), 8443, 3, health, tlsTiming,
                FailureAction.REMOVE, false, null, 0, null, tlsFallback, null));
        // ldirectord's LWP runs with verify_hostname 0 (SSL_verify_mode 0): UVS does not verify either
        assertThat(r.healthChecks()).filteredOn(c -> c.service().equals(tls)).hasSize(2)
            .allSatisfy(c -> assertThat(c.kind()).isInstanceOfSatisfying(CheckKind.Http.class, h -> {
                assertThat(h.tls()).isTrue();
                assertThat(h.verifyCertificate()).isFalse();
                assertThat(h.caFile()).isNull();
            }));
        assertThat(r.syncDaemons()).isEmpty();
        assertThat(r.sysctls()).isEmpty();
        assertThat(texts(r)).containsExactly(
            "ldirectord.cf:4: info: 'autoreload' does not apply to UVS: ignored",
            "ldirectord.cf:5: info: 'logfile' does not apply to UVS: ignored",
            "ldirectord.cf:7: warning: fallback port 80 differs from the virtual port 443, which gate and ipip must "
                + "use: port 443 is used",
            "ldirectord.cf:8: info: 'emailalert' does not apply to UVS: ignored",
            "ldirectord.cf:11: info: quiescent=yes with persistence: clients keep reaching a failed real server "
                + "until their persistence template expires, unless net.ipv4.vs.expire_quiescent_template = 1");
    }

    @Test
    void shouldTranslateFwmarkUdpAndExternalChecks() throws IOException {
        ImportResult r = importer.importFile(resource("ldirectord-fwmark.cf"));

        assertThat(r.hasErrors()).as(texts(r).toString()).isFalse();
        // a fwmark virtual; real ports default to 0; the range ->10.1.0.3 gives two servers; port 53 is UDP
        // by default; ops=yes on a UDP service = -o; scheduler defaults to wrr
        assertThat(r.rules()).containsExactly(
            "-A -f 1 -s sh -p 300",
            "-a -f 1 -r 10.1.0.1:0 -g -w 1",
            "-a -f 1 -r 10.1.0.2:0 -g -w 5",
            "-a -f 1 -r 10.1.0.3:0 -g -w 5",
            "-A -u 10.1.0.53:53 -s wrr -o",
            "-a -u 10.1.0.53:53 -r 10.1.1.1:53 -m -w 1",
            "-A -t 10.1.0.90:9000 -s wrr",
            "-a -t 10.1.0.90:9000 -r 10.1.1.2:9000 -i -w 1 --tun-type ipip");
        parsedRules(r);
        ServiceKey mark = ServiceKey.fwmark(1, Af.INET);
        // fork=yes, so the section's checkinterval 3 counts; connect check: checktimeout default 5
        CheckTiming markTiming = timing(3, 5, 0, 3, 0);
        ServiceKey dns = ServiceKey.of(IpProto.UDP, ip("10.1.0.53"), 53);
        ServiceKey ext = ServiceKey.of(IpProto.TCP, ip("10.1.0.90"), 9000);
        // quiescent not set anywhere: ldirectord's code default "no" removes failed servers
        String f = "ldirectord-fwmark.cf";
        assertThat(r.healthChecks()).containsExactly(
            new CheckSpec(new SourceLocation(f, 5), mark, ip("10.1.0.1"), 0, 1, new CheckKind.Tcp(), markTiming,
                FailureAction.REMOVE, false, null, 8080, null, null, null),
            new CheckSpec(new SourceLocation(f, 6), mark, ip("10.1.0.2"), 0, 5, new CheckKind.Tcp(), markTiming,
                FailureAction.REMOVE, false, null, 8080, null, null, null),
            new CheckSpec(new SourceLocation(f, 6), mark, ip("10.1.0.3"), 0, 5, new CheckKind.Tcp(), markTiming,
                FailureAction.REMOVE, false, null, 8080, null, null, null),
            // ldirectord pings (once) as the connect check of a UDP service; global checkinterval 10
            spec(f, 15, dns, "10.1.1.1", 53, 1, new CheckKind.Ping(1), timing(10, 5, 0, 10, 0)),
            // failurecount=2 = 1 retry; the command's words
            spec(f, 20, ext, "10.1.1.2", 9000, 1,
                new CheckKind.External(List.of("/usr/local/bin/check", "9000"), false), timing(10, 5, 1, 10, 0)));
        assertThat(texts(r)).containsExactly(
            "ldirectord-fwmark.cf:1: info: quiescent is not set: ldirectord's code default 'no' is used (failed real "
                + "servers are removed; its manual page says the default is 'yes')",
            "ldirectord-fwmark.cf:2: info: fork does not apply to UVS (it only decides whether per-virtual "
                + "checkinterval counts)");
    }
}
