package uvs.ctl.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import uvs.core.net.Af;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceKey;

/** Validation of the configuration model. */
class HealthConfigTest {
    private static final ServiceKey VS = ServiceKey.of(IpProto.TCP, IpAddress.parse("10.1.1.1"), 80);
    private static final ServiceKey VS2 = ServiceKey.of(IpProto.TCP, IpAddress.parse("10.1.1.2"), 80);
    private static final IpAddress R1 = IpAddress.parse("10.2.2.1");
    private static final IpAddress R2 = IpAddress.parse("10.2.2.2");
    private static final Duration S = Duration.ofSeconds(1);

    private static HealthCheckConfig tcp(ServiceKey vs, IpAddress r) {
        return HealthCheckConfig.of(vs, r, 80, RealServerConfig.defaults(), new CheckKind.Tcp());
    }

    @Test
    void shouldRejectBadTimingNamingTheField() {
        assertThatThrownBy(() -> new CheckTiming(Duration.ZERO, S, 1, S, S))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("interval must be positive");
        assertThatThrownBy(() -> new CheckTiming(S, Duration.ofMillis(-1), 1, S, S))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout must be positive");
        assertThatThrownBy(() -> new CheckTiming(S, Duration.ofDays(30), 1, S, S))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is longer than");
        assertThatThrownBy(() -> new CheckTiming(S, S, 0, S, S))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retries must be at least 1");
        assertThatThrownBy(() -> new CheckTiming(S, S, 1, Duration.ofSeconds(-1), S))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("delayBeforeRetry must not be negative");
        assertThatThrownBy(() -> new CheckTiming(S, S, 1, S, null))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("warmup must not be negative");
    }

    @Test
    void shouldUseLdirectordDefaults() {
        // ldirectord: checkinterval=10, checktimeout=5, failurecount=1
        CheckTiming t = CheckTiming.defaults();
        assertThat(t.interval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(t.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(t.retries()).isEqualTo(1);
        assertThat(t.warmup()).isZero();
        HealthCheckConfig c = tcp(VS, R1);
        assertThat(c.onFailure()).isEqualTo(FailureAction.QUIESCE);
        assertThat(c.startDown()).isFalse();
    }

    @Test
    void shouldRejectBadHttpFields() {
        assertThatThrownBy(() -> CheckKind.Http.get("health"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("path must start with '/'");
        assertThatThrownBy(() -> CheckKind.Http.get("/a b"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no spaces");
        assertThatThrownBy(() -> CheckKind.Http.get("/").withHost("a\r\nX: y"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host must be");
        assertThatThrownBy(() -> CheckKind.Http.get("/").withDigest("abc"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MD5 of 32 hex digits");
        assertThatThrownBy(() -> CheckKind.Http.get("/").withDigest("z".repeat(32)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MD5 of 32 hex digits");
        assertThatThrownBy(() -> CheckKind.Http.get("/").withExpect(""))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expect must be null");
        assertThatThrownBy(() -> CheckKind.Http.get("/").verifyingCertificate())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("verifyCertificate needs tls");
        assertThat(CheckKind.Http.get("/").withDigest("510A7C0E33F9B95049DD5EC3E7C85693").digest())
            .isEqualTo("510a7c0e33f9b95049dd5ec3e7c85693");
    }

    @Test
    void shouldRejectBadUdpAndExternalFields() {
        assertThatThrownBy(() -> new CheckKind.Udp(new byte[1], false, new byte[1]))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expect needs requireReply");
        assertThatThrownBy(() -> new CheckKind.Udp(new byte[65_508], true, null))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("payload must be 0..65507 bytes");
        assertThatThrownBy(() -> new CheckKind.External(List.of(), false))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("command must name a program");
        assertThatThrownBy(() -> new CheckKind.External(Arrays.asList("/bin/true", null), false))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("command argument 1 is null");
    }

    @Test
    void shouldCompareUdpChecksByContentAndKeepTheirBytesPrivate() {
        byte[] payload = {1, 2};
        CheckKind.Udp u = new CheckKind.Udp(payload, true, new byte[] {9});
        payload[0] = 7;
        u.payload()[1] = 7;
        assertThat(u.payload()).containsExactly(1, 2);
        assertThat(u).isEqualTo(new CheckKind.Udp(new byte[] {1, 2}, true, new byte[] {9}))
            .hasSameHashCodeAs(new CheckKind.Udp(new byte[] {1, 2}, true, new byte[] {9}));
        assertThat(u).isNotEqualTo(new CheckKind.Udp(new byte[] {1, 2}, true, null));
    }

    @Test
    void shouldRejectBadRealServerFields() {
        assertThatThrownBy(() -> HealthCheckConfig.of(VS, R1, 70_000, RealServerConfig.defaults(), new CheckKind.Tcp()))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port 70000 out of range");
        assertThatThrownBy(() -> tcp(VS, R1).withConnectTo(null, -1))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("connectPort -1 out of range");
        assertThatThrownBy(() -> HealthCheckConfig.of(VS, R1, 80, RealServerConfig.of(65_536, ForwardMethod.ROUTE),
            new CheckKind.Tcp()))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("weight 65536 out of range 0..65535");
        assertThatThrownBy(() -> HealthCheckConfig.of(VS, null, 80, RealServerConfig.defaults(), new CheckKind.Tcp()))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("are required");
    }

    @Test
    void shouldNeedAPortForNetworkChecksOfFwmarkServers() {
        ServiceKey fwm = ServiceKey.fwmark(1, Af.INET);
        assertThatThrownBy(() -> HealthCheckConfig.of(fwm, R1, 0, RealServerConfig.defaults(), new CheckKind.Tcp()))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a port: set connectPort");
        HealthCheckConfig ok = new HealthCheckConfig(fwm, R1, 0, RealServerConfig.defaults(), new CheckKind.Tcp(),
            CheckTiming.defaults(), FailureAction.QUIESCE, false, null, 8080, null);
        assertThat(ok.target().getPort()).isEqualTo(8080);
        assertThat(ok.target().getAddress().getHostAddress()).isEqualTo("10.2.2.1");
        HealthCheckConfig external = HealthCheckConfig.of(fwm, R1, 0, RealServerConfig.defaults(),
            new CheckKind.External(List.of("/bin/true"), false));
        assertThat(external.port()).isZero();
    }

    @Test
    void shouldRejectSorryServerWithWeightZero() {
        assertThatThrownBy(() -> new SorryServer(VS, R2, 80, RealServerConfig.of(0, ForwardMethod.ROUTE),
            FailureAction.QUIESCE))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sorry server weight must be 1..65535");
        assertThat(SorryServer.of(VS, R2, 80, ForwardMethod.MASQ).config().weight()).isEqualTo(1);
    }

    @Test
    void shouldRejectInconsistentSets() {
        SorryServer sorry = SorryServer.of(VS, IpAddress.parse("10.9.9.9"), 80, ForwardMethod.ROUTE);
        assertThatThrownBy(() -> new HealthConfig(List.of(tcp(VS, R1), tcp(VS, R1)), List.of()))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("TCP 10.1.1.1:80 -> 10.2.2.1:80 has more than one health check");
        assertThatThrownBy(() -> new HealthConfig(List.of(tcp(VS, R1)), List.of(sorry, sorry)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than one sorry server");
        assertThatThrownBy(() -> new HealthConfig(List.of(tcp(VS2, R1)), List.of(sorry)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("belongs to a service without checked real servers");
        assertThatThrownBy(() -> new HealthConfig(List.of(tcp(VS, R1)),
            List.of(SorryServer.of(VS, R1, 80, ForwardMethod.ROUTE))))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is also a checked real server");
        assertThatThrownBy(() -> new HealthConfig(null, List.of()))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be null");
        HealthConfig ok = new HealthConfig(List.of(tcp(VS, R1), tcp(VS, R2), tcp(VS2, R1)), List.of(sorry));
        assertThat(ok.checks()).hasSize(3);
    }
}
