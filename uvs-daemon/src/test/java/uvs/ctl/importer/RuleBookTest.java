package uvs.ctl.importer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import uvs.core.net.Af;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceFlags;
import uvs.core.svc.ServiceKey;

/** The rule writer's own check: a line ipvsadm would refuse is an error at the line it came from. */
class RuleBookTest {
    @Test
    void shouldReportATranslatedRuleThatIpvsadmRefuses() {
        // one-packet scheduling on a TCP service: ipvsadm says it is only for UDP
        RuleBook rules = new RuleBook();
        Diagnostics d = new Diagnostics();
        SourceLocation at = new SourceLocation("x.conf", 4);
        rules.addService(at, ServiceKey.of(IpProto.TCP, IpAddress.parse("10.0.0.1"), 80),
            ServiceConfig.of("rr").withFlags(ServiceFlags.ONEPACKET), d);

        rules.validate(d);

        assertThat(d.list()).extracting(Diagnostic::toString).containsExactly("x.conf:4: error: ipvsadm refuses the "
            + "translated rule \"-A -t 10.0.0.1:80 -s rr -o\": One-Packet Scheduling is only for UDP virtual services");
    }

    @Test
    void shouldWriteSchedulerFlagsAsIpvsadmNamesThem() {
        RuleBook rules = new RuleBook();
        Diagnostics d = new Diagnostics();
        SourceLocation at = new SourceLocation("x.conf", 1);
        // mh with SCHED1|SCHED2|SCHED3 = mh-fallback,mh-port,flag-3; wlc with SCHED2 = flag-2
        rules.addService(at, ServiceKey.fwmark(3, Af.INET6),
            ServiceConfig.of("mh").withFlags(ServiceFlags.SCHED_MASK).withNetmask(128), d);
        rules.addService(at, ServiceKey.of(IpProto.SCTP, IpAddress.parse("10.0.0.1"), 9),
            ServiceConfig.of("wlc").withFlags(ServiceFlags.SCHED2), d);
        rules.validate(d);

        assertThat(rules.lines()).containsExactly("-A -f 3 -6 -s mh -b mh-fallback,mh-port,flag-3",
            "-A --sctp-service 10.0.0.1:9 -s wlc -b flag-2");
        assertThat(d.list()).isEmpty();
    }
}
