package uvs.ctl.format;

import static org.assertj.core.api.Assertions.assertThat;
import static uvs.ctl.format.Views.dest;
import static uvs.ctl.format.Views.engine;
import static uvs.ctl.format.Views.key;
import static uvs.ctl.format.Views.lines;
import static uvs.ctl.format.Views.mark;
import static uvs.ctl.format.Views.svc;

import org.junit.jupiter.api.Test;
import uvs.core.net.Af;
import uvs.core.net.IpProto;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceFlags;
import uvs.core.svc.ServiceKey;
import uvs.core.svc.TunnelChecksum;
import uvs.core.svc.TunnelType;
import uvs.ctl.view.EngineView;

class SaveFormatTest {
    private static final SaveFormat SAVE = new SaveFormat();

    @Test
    void shouldReproduceTheSection95Example() {
        EngineView v = engine(
            svc(mark(1), ServiceConfig.of("wlc"), dest("192.168.10.5", 0, 2, ForwardMethod.ROUTE, 0, 0)),
            svc(key(IpProto.TCP, "10.0.0.1", 80), ServiceConfig.of("wlc"),
                dest("192.168.11.1", 80, new RealServerConfig(1, ForwardMethod.TUNNEL, TunnelType.GRE, 0,
                    TunnelChecksum.CSUM, 0, 0), 0, 0, 0)),
            svc(key(IpProto.TCP, "207.175.44.110", 80), ServiceConfig.persistent("rr", 360).withNetmask(0xffff_ff00),
                dest("192.168.10.1", 80, RealServerConfig.of(1, ForwardMethod.MASQ).withThresholds(10, 5), 0, 0, 0)));

        // the spec §9.5 lines; 207.175.44.110 sorts before 10.0.0.1 under libipvs' int-difference compare
        // (0xCFAF2C6E - 0x0A000001 = 0xC5AF2C6D < 0); thresholds are not saved
        assertThat(SAVE.format(v)).isEqualTo(lines(
            "-A -t 207.175.44.110:80 -s rr -p 360 -M 255.255.255.0",
            "-a -t 207.175.44.110:80 -r 192.168.10.1:80 -m -w 1",
            "-A -t 10.0.0.1:80 -s wlc",
            "-a -t 10.0.0.1:80 -r 192.168.11.1:80 -i -w 1 --tun-type gre --tun-csum",
            "-A -f 1 -s wlc",
            "-a -f 1 -r 192.168.10.5:0 -g -w 2"));
    }

    @Test
    void shouldSaveTunnelOptionsPerType() {
        EngineView v = engine(svc(key(IpProto.UDP, "10.0.0.1", 53), ServiceConfig.of("rr"),
            dest("10.2.2.3", 53, new RealServerConfig(3, ForwardMethod.TUNNEL, TunnelType.GUE, 6080,
                TunnelChecksum.REMCSUM, 0, 0), 0, 0, 0),
            dest("10.2.2.2", 53, new RealServerConfig(2, ForwardMethod.TUNNEL, TunnelType.IPIP, 0,
                TunnelChecksum.NOCSUM, 0, 0), 0, 0, 0),
            dest("10.2.2.1", 53, RealServerConfig.of(0, ForwardMethod.LOCAL), 0, 0, 0)));

        // local delivery is saved as -g; ipip only names its type
        assertThat(SAVE.format(v)).isEqualTo(lines(
            "-A -u 10.0.0.1:53 -s rr",
            "-a -u 10.0.0.1:53 -r 10.2.2.1:53 -g -w 0",
            "-a -u 10.0.0.1:53 -r 10.2.2.2:53 -i -w 2 --tun-type ipip",
            "-a -u 10.0.0.1:53 -r 10.2.2.3:53 -i -w 3 --tun-type gue --tun-port 6080 --tun-remcsum"));
    }

    @Test
    void shouldSaveIpv6PeOpsAndSchedulerFlags() {
        EngineView v = engine(
            svc(key(IpProto.TCP, "2001:db8::1", 443), ServiceConfig.persistent("sh", 600).withNetmask(64)
                .withFlags(ServiceFlags.PERSISTENT | ServiceFlags.SCHED1 | ServiceFlags.SCHED2),
                dest("2001:db8::10", 443, 1, ForwardMethod.ROUTE, 0, 0)),
            svc(ServiceKey.fwmark(7, Af.INET6), ServiceConfig.persistent("rr", 360).withNetmask(128)),
            svc(key(IpProto.UDP, "10.0.0.1", 5060), ServiceConfig.of("rr").withPe("sip")
                .withFlags(ServiceFlags.ONEPACKET)),
            svc(key(IpProto.SCTP, "10.0.0.1", 9), ServiceConfig.of("mh").withFlags(ServiceFlags.SCHED2)));

        // -S writes --pe even without -p; IPv6 masks as prefix lengths (128 omitted)
        assertThat(SAVE.format(v)).isEqualTo(lines(
            "-A -u 10.0.0.1:5060 -s rr --pe sip -o",
            "-A --sctp-service 10.0.0.1:9 -s mh -b mh-port",
            "-A -t [2001:db8::1]:443 -s sh -p 600 -M 64 -b sh-fallback,sh-port",
            "-a -t [2001:db8::1]:443 -r [2001:db8::10]:443 -g -w 1",
            "-A -f 7 -6 -s rr -p 360"));
    }
}
