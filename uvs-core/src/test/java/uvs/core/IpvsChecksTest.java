package uvs.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import uvs.core.IpvsException.Errno;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceKey;
import uvs.core.svc.TunnelChecksum;
import uvs.core.svc.TunnelType;

class IpvsChecksTest {
    private static final ServiceKey TCP4 = ServiceKey.of(IpProto.TCP, IpAddress.parse("192.0.2.1"), 80);
    private static final ServiceKey UDP6 = ServiceKey.of(IpProto.UDP, IpAddress.parse("2001:db8::1"), 53);
    private static final IpAddress RS4 = IpAddress.parse("10.0.0.1");

    @Test
    void aPlainServiceAndRealServerPass() {
        assertThat(IpvsChecks.service(TCP4, ServiceConfig.of("wlc"))).isNull();
        assertThat(IpvsChecks.service(ServiceKey.fwmark(7, RS4.af()), ServiceConfig.of("rr"))).isNull();
        assertThat(IpvsChecks.realServer(TCP4, RS4, RealServerConfig.defaults())).isNull();
    }

    @Test
    void serviceValuesAreRefusedAsTheKernelDoes() {
        assertThat(IpvsChecks.service(ServiceKey.of(IpProto.ICMP, RS4, 0), ServiceConfig.of("rr")))
            .isEqualTo(new IpvsChecks.Refusal(Errno.EINVAL, "protocol " + IpProto.ICMP + " not supported"));
        assertThat(IpvsChecks.service(TCP4, new ServiceConfig("rr", 0, 360, 0xffff_ffff, "nope")))
            .isEqualTo(new IpvsChecks.Refusal(Errno.ENOENT, "persistence engine nope"));
        assertThat(IpvsChecks.service(TCP4, ServiceConfig.persistent("rr", 0)).errno()).isEqualTo(Errno.EINVAL);
        assertThat(IpvsChecks.service(TCP4, ServiceConfig.persistent("rr", ServiceConfig.MAX_PERSIST_TIMEOUT)))
            .isNull();
        assertThat(IpvsChecks.service(TCP4, ServiceConfig.persistent("rr", ServiceConfig.MAX_PERSIST_TIMEOUT + 1))
            .errno()).isEqualTo(Errno.EINVAL);
        assertThat(IpvsChecks.service(UDP6, new ServiceConfig("rr", 0, 360, 129, null)).detail())
            .isEqualTo("IPv6 prefix length 129 is out of range 1..128");
        assertThat(IpvsChecks.service(UDP6, new ServiceConfig("rr", 0, 360, 128, null))).isNull();
    }

    @Test
    void realServerValuesAreRefusedInTheKernelsOrder() {
        RealServerConfig dr = RealServerConfig.defaults();
        // a negative weight is found before the other address family
        assertThat(IpvsChecks.realServer(UDP6, RS4, dr.withWeight(-1)).errno()).isEqualTo(Errno.ERANGE);
        assertThat(IpvsChecks.realServer(TCP4, RS4, dr.withThresholds(-1, 0)).errno()).isEqualTo(Errno.EINVAL);
        assertThat(IpvsChecks.realServer(TCP4, RS4, dr.withThresholds(5, 6)).errno()).isEqualTo(Errno.ERANGE);
        assertThat(IpvsChecks.realServer(TCP4, RS4, dr.withThresholds(6, 6))).isNull();
        assertThat(IpvsChecks.realServer(UDP6, RS4, dr).errno()).isEqualTo(Errno.EAFNOSUPPORT);
        RealServerConfig gue = new RealServerConfig(1, ForwardMethod.TUNNEL, TunnelType.GUE, 0,
            TunnelChecksum.NOCSUM, 0, 0);
        assertThat(IpvsChecks.realServer(TCP4, RS4, gue).errno()).isEqualTo(Errno.EINVAL);
        assertThat(IpvsChecks.realServer(TCP4, RS4, new RealServerConfig(1, ForwardMethod.TUNNEL, TunnelType.GUE,
            6080, TunnelChecksum.NOCSUM, 0, 0))).isNull();
    }

    @Test
    void aRefusalBecomesTheOperationsIpvsException() {
        IpvsException e = new IpvsChecks.Refusal(Errno.ERANGE, "server weight less than zero")
            .of(IpvsException.Op.EDIT_DEST);
        assertThat(e.op()).isEqualTo(IpvsException.Op.EDIT_DEST);
        assertThat(e.errno()).isEqualTo(Errno.ERANGE);
        assertThat(e.getMessage()).endsWith("(server weight less than zero)");
    }
}
