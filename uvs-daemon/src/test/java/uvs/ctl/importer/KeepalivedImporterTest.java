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
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceFlags;
import uvs.core.svc.ServiceKey;
import uvs.ctl.cli.IpvsadmCommand;
import uvs.ctl.cli.RestoreLine;
import uvs.ctl.model.CheckSpec;
import uvs.ctl.health.CheckKind;
import uvs.ctl.health.ServiceQuorum;
import uvs.ctl.health.StatusCodes;
import uvs.sync.SyncDaemonConfig;
import uvs.ctl.health.FailureAction;
import uvs.ctl.health.SorryServer;

/**
 * The sample keepalived.conf files of src/test/resources translated as a whole. Expected values are read off
 * the samples by hand with keepalived.conf(5) and keepalived's check_data.c defaults (noted at each value).
 */
class KeepalivedImporterTest {
    private final KeepalivedImporter importer = new KeepalivedImporter();

    @Test
    void shouldTranslateDrHttpServiceWithPersistenceAndSorryServer() throws IOException {
        ImportResult r = importer.importFile(resource("keepalived-dr-http.conf"));

        assertThat(r.hasErrors()).as(texts(r).toString()).isFalse();
        // lb_algo wlc, persistence_timeout 600, granularity /24; lb_kind DR = -g; weights 3 and 1
        assertThat(r.rules()).containsExactly(
            "-A -t 192.168.200.100:80 -s wlc -p 600 -M 255.255.255.0",
            "-a -t 192.168.200.100:80 -r 192.168.201.10:80 -g -w 3",
            "-a -t 192.168.200.100:80 -r 192.168.201.11:80 -g -w 1");
        List<RestoreLine> parsed = parsedRules(r);
        ServiceKey svc = ServiceKey.of(IpProto.TCP, ip("192.168.200.100"), 80);
        assertThat(parsed.get(0).command()).isEqualTo(new IpvsadmCommand.AddService(svc,
            new ServiceConfig("wlc", ServiceFlags.PERSISTENT, 600, 0xffff_ff00, null)));

        // sorry_server with sorry_server_inhibit: quiesced, not removed; it inherits DR; keepalived gives it weight 1
        SorryServer sorry = new SorryServer(svc, ip("192.168.200.250"), 80,
            RealServerConfig.of(1, ForwardMethod.ROUTE), FailureAction.QUIESCE);
        // first checker: delay_loop 6 from the virtual server, connect_timeout 3, nb_get_retry 3,
        // delay_before_retry 2, warmup defaults to delay_loop; the first url has no status_code: 200-299;
        // virtualhost comes from the virtual server
        CheckKind.Http health = new CheckKind.Http(false, false, "/health", "www.example.com", StatusCodes.SUCCESS,
            null, "640205b7b0fc66c1ea91c463fac6334d");
        CheckKind.Http status = new CheckKind.Http(false, false, "/status", "www.example.com",
            StatusCodes.parse("200,301-302"), null, null);
        CheckSpec first = new CheckSpec(new SourceLocation("keepalived-dr-http.conf", 25), svc, ip("192.168.201.10"),
            80, 3, new CheckKind.HttpUrls(List.of(health, status)), timing(6, 3, 3, 2, 6), FailureAction.QUIESCE,
            false, null, 0, null, sorry, null);
        // second checker: connect_timeout 5 s, retry 1, delay_before_retry 3 s (HTTP_GET defaults); the url's
        // own virtualhost wins over the virtual server's
        CheckSpec second = new CheckSpec(new SourceLocation("keepalived-dr-http.conf", 41), svc,
            ip("192.168.201.11"), 80, 1, new CheckKind.Http(false, false, "/health", "health.example.com",
                StatusCodes.parse("200"), null, null), timing(6, 5, 1, 3, 6), FailureAction.REMOVE, false, null, 8080,
            null, sorry, null);
        assertThat(r.healthChecks()).containsExactly(first, second);
        assertThat(r.syncDaemons()).isEmpty();
        assertThat(r.sysctls()).isEmpty();
        // only the global_defs keywords that do not apply
        assertThat(texts(r)).containsExactly(
            "keepalived-dr-http.conf:3: info: global_defs 'notification_email' does not apply to UVS: ignored",
            "keepalived-dr-http.conf:6: info: global_defs 'notification_email_from' does not apply to UVS: ignored",
            "keepalived-dr-http.conf:7: info: global_defs 'smtp_server' does not apply to UVS: ignored",
            "keepalived-dr-http.conf:8: info: global_defs 'router_id' does not apply to UVS: ignored");
    }

    @Test
    void shouldTranslateNatServiceWithTcpAndMiscChecks() throws IOException {
        ImportResult r = importer.importFile(resource("keepalived-nat-misc.conf"));

        assertThat(r.hasErrors()).as(texts(r).toString()).isFalse();
        // NAT = -m; the third real server has no port: NAT takes the virtual port 1358
        assertThat(r.rules()).containsExactly(
            "-A -t 10.10.10.2:1358 -s rr",
            "-a -t 10.10.10.2:1358 -r 192.168.100.2:1358 -m -w 1 -x 1000 -y 800",
            "-a -t 10.10.10.2:1358 -r 192.168.100.3:3306 -m -w 2",
            "-a -t 10.10.10.2:1358 -r 192.168.100.4:1358 -m -w 1");
        parsedRules(r);
        ServiceKey svc = ServiceKey.of(IpProto.TCP, ip("10.10.10.2"), 1358);
        // quorum 2 <= total weight 1 + 2 + 1 = 4 and hysteresis 1 < 2: both kept
        ServiceQuorum quorum = new ServiceQuorum(svc, 2, 1, List.of(), List.of(), false);
        String f = "keepalived-nat-misc.conf";
        // delay_loop 10, connect_timeout 4, retry 2, delay_before_retry default 1 s, warmup = delay_loop
        CheckSpec tcp = new CheckSpec(new SourceLocation(f, 14), svc, ip("192.168.100.2"), 1358, 1,
            new CheckKind.Tcp(), timing(10, 4, 2, 1, 10), FailureAction.REMOVE, false, null, 0, null, null, quorum);
        // misc_timeout 8 is the timeout; MISC_CHECK's retry default is 0; misc_path is the script and its words
        CheckSpec misc = new CheckSpec(new SourceLocation(f, 21), svc, ip("192.168.100.3"), 3306, 2,
            new CheckKind.External(List.of("/usr/local/bin/check_db.sh", "192.168.100.3", "3306"), true),
            timing(10, 8, 0, 1, 10), FailureAction.REMOVE, false, null, 0, null, null, quorum);
        CheckSpec bound = new CheckSpec(new SourceLocation(f, 28), svc, ip("192.168.100.4"), 1358, 1,
            new CheckKind.Tcp(), timing(10, 5, 1, 1, 10), FailureAction.REMOVE, false, null, 1359,
            ip("192.168.100.254"), null, quorum);
        assertThat(r.healthChecks()).containsExactly(tcp, misc, bound);
        assertThat(texts(r)).containsExactly(
            "keepalived-nat-misc.conf:32: warning: 'notify_down' is not supported: UVS runs no notify scripts");
    }

    @Test
    void shouldTranslateFwmarkServiceAndIpv6UdpService() throws IOException {
        ImportResult r = importer.importFile(resource("keepalived-fwmark.conf"));

        assertThat(r.hasErrors()).as(texts(r).toString()).isFalse();
        // bare persistence_timeout = 360 s; sh-fallback = SCHED1, sh-port = SCHED2 written as ipvsadm -S does;
        // real ports of a fwmark service are 0 (DR) and the GUE real server carries its tunnel options
        assertThat(r.rules()).containsExactly(
            "-A -f 7 -s sh -p 360 -b sh-fallback,sh-port",
            "-a -f 7 -r 172.16.0.1:0 -g -w 2",
            "-a -f 7 -r 172.16.0.2:0 -i -w 1 --tun-type gue --tun-port 6080 --tun-csum",
            "-A -u [2001:db8::100]:53 -s rr -o",
            "-a -u [2001:db8::100]:53 -r [2001:db8::1]:5353 -m -w 1");
        List<RestoreLine> parsed = parsedRules(r);
        ServiceKey mark = ServiceKey.fwmark(7, Af.INET);
        assertThat(parsed.get(0).command()).isEqualTo(new IpvsadmCommand.AddService(mark,
            new ServiceConfig("sh", ServiceFlags.PERSISTENT | ServiceFlags.SCHED1 | ServiceFlags.SCHED2, 360,
                0xffff_ffff, null)));
        ServiceKey dns = ServiceKey.of(IpProto.UDP, ip("2001:db8::100"), 53);
        String f = "keepalived-fwmark.conf";
        assertThat(r.healthChecks()).containsExactly(
            // PING_CHECK: delay_loop 5, connect_timeout 5, retry 1, delay_before_retry 1; one echo
            spec(f, 11, mark, "172.16.0.1", 0, 2, new CheckKind.Ping(1), timing(5, 5, 1, 1, 5)),
            new CheckSpec(new SourceLocation(f, 16), mark, ip("172.16.0.2"), 0, 1, new CheckKind.Tcp(),
                timing(5, 5, 1, 1, 5), FailureAction.REMOVE, false, null, 443, null, null, null),
            // DNS_CHECK: delay_loop 60 (default), retry 3, delay_before_retry = delay_loop; type A is 1
            spec(f, 28, dns, "2001:db8::1", 5353, 1, new CheckKind.Dns(1, "example.com", null),
                timing(60, 5, 3, 60, 60)));
        assertThat(texts(r)).containsExactly("keepalived-fwmark.conf:9: warning: real server 172.16.0.1: a port is "
            + "ignored for a fwmark service unless NAT");
    }

    @Test
    void shouldTranslateSyncDaemonTimeoutsAndFlush() throws IOException {
        ImportResult r = importer.importFile(resource("keepalived-sync.conf"));

        assertThat(r.hasErrors()).as(texts(r).toString()).isFalse();
        // lvs_flush = -C first; lvs_timeouts tcp 7200 udp 300 = --set 7200 0 300 (0 leaves tcpfin unchanged)
        assertThat(r.rules()).containsExactly(
            "-C",
            "--set 7200 0 300",
            "-A -t 192.168.200.16:443 -s wrr",
            "-a -t 192.168.200.16:443 -r 192.168.201.100:443 -g -w 1");
        assertThat(parsedRules(r).get(1).command()).isEqualTo(new IpvsadmCommand.SetTimeouts(7200, 0, 300));
        // no id: the syncid is VI_1's virtual_router_id 51; master while VI_1 holds its first address on eth0
        SyncDaemonConfig master = new SyncDaemonConfig(SyncDaemonConfig.State.MASTER, "eth1", 51, 1400,
            ip("239.1.2.3"), 8850, 2);
        assertThat(r.syncDaemons()).containsExactly(master, master.withState(SyncDaemonConfig.State.BACKUP));
        assertThat(r.syncFollow()).isEqualTo(new SyncFollow("VI_1", "eth0", ip("192.168.200.16")));
        ServiceKey svc = ServiceKey.of(IpProto.TCP, ip("192.168.200.16"), 443);
        // SSL_GET defaults: delay_loop 60, connect_timeout 5, retry 1, delay_before_retry 3; no SSL block: the
        // certificate is not verified, as keepalived never fails a check on one
        assertThat(r.healthChecks()).containsExactly(spec("keepalived-sync.conf", 24, svc, "192.168.201.100", 443, 1,
            new CheckKind.Http(true, false, "/", null, StatusCodes.SUCCESS, null, null), timing(60, 5, 1, 3, 60)));
        assertThat(texts(r)).containsExactly(
            "keepalived-sync.conf:2: info: global_defs 'router_id' does not apply to UVS: ignored",
            "keepalived-sync.conf:3: info: the sync daemon follows vrrp_instance VI_1: master while "
                + "192.168.200.16 is on eth0, backup otherwise",
            "keepalived-sync.conf:8: info: vrrp_instance VI_1 is keepalived's to run (keepalived --vrrp); UVS "
                + "follows its state where a sync daemon names it",
            // the typed check's own warning, at the checker's line
            "keepalived-sync.conf:24: warning: real server 192.168.201.100:443 of TCP 192.168.200.16:443: "
                + "'enable_sni yes' is not honoured by UVS's HTTPS check");
    }

    @Test
    void shouldReadIncludedFilesRelativeToTheIncludingFile() throws IOException {
        ImportResult r = importer.importFile(resource("include/keepalived.conf"));

        assertThat(r.hasErrors()).as(texts(r).toString()).isFalse();
        // conf.d/*.conf in name order; $VIP stands for 10.0.0.25
        assertThat(r.rules()).containsExactly(
            "-A -t 10.0.0.80:80 -s rr",
            "-a -t 10.0.0.80:80 -r 10.0.1.1:80 -g -w 1",
            "-A -t 10.0.0.25:25 -s lc",
            "-a -t 10.0.0.25:25 -r 10.0.1.2:25 -g -w 1");
        parsedRules(r);
        // the checker comes from checks/tcp.inc, included from conf.d/10-web.conf as ../checks/tcp.inc
        assertThat(r.healthChecks()).containsExactly(
            spec("checks/tcp.inc", 1, ServiceKey.of(IpProto.TCP, ip("10.0.0.80"), 80), "10.0.1.1", 80, 1,
                new CheckKind.Tcp(), timing(60, 2, 1, 1, 60)),
            spec("conf.d/20-smtp.conf", 7, ServiceKey.of(IpProto.TCP, ip("10.0.0.25"), 25), "10.0.1.2", 25, 1,
                new CheckKind.Smtp("lb.example.com", List.of()), timing(60, 5, 1, 1, 60)));
        // the old lvs_sync_daemon_interface: both daemons on eth2 with every other default
        SyncDaemonConfig master = SyncDaemonConfig.master().withMcastInterface("eth2");
        assertThat(r.syncDaemons()).containsExactly(master, master.withState(SyncDaemonConfig.State.BACKUP));
        assertThat(texts(r)).containsExactly(
            "keepalived.conf:5: warning: no file matches include missing/*.conf (keepalived ignores a missing "
                + "include)");
    }

    @Test
    void shouldDetectTheFormatOfEverySample() throws IOException {
        assertThat(ImportFormat.detect(resource("keepalived-sync.conf"))).isEqualTo(ImportFormat.KEEPALIVED);
        assertThat(ImportFormat.detect(resource("ldirectord.cf"))).isEqualTo(ImportFormat.LDIRECTORD);
        assertThat(ImportFormat.KEEPALIVED.importFile(resource("keepalived-nat-misc.conf")).rules())
            .isEqualTo(importer.importFile(resource("keepalived-nat-misc.conf")).rules());
    }
}
