package uvs.daemon.health;

import java.util.Locale;
import uvs.ctl.health.CheckKind;
import uvs.ctl.health.HealthCheckConfig;

/**
 * One kind of check bound to one target. {@link #run()} blocks the calling (virtual) thread for at most
 * about the configured timeout and reports every failure as a result, never as an exception.
 */
public interface HealthCheck {
    /** Runs the check once. */
    CheckResult run();

    /** The check {@code c} describes; {@code local} says which addresses this host has. */
    static HealthCheck of(HealthCheckConfig c, LocalAddresses local) {
        return switch (c.kind()) {
            case CheckKind.Tcp _ -> new TcpConnectCheck(c.target(), c.source(), c.timing().timeout());
            case CheckKind.Http h -> new HttpGetCheck(c.target(), c.source(), h, c.timing().timeout());
            case CheckKind.HttpUrls u -> new HttpUrlsCheck(c.target(), c.source(), u, c.timing().timeout());
            case CheckKind.Udp u -> new UdpCheck(c.target(), c.source(), u, c.timing().timeout());
            case CheckKind.Smtp m -> new SmtpCheck(c.target(), c.source(), m, c.timing().timeout());
            case CheckKind.Dns d -> new DnsCheck(c.target(), c.source(), d, c.timing().timeout());
            case CheckKind.Ping p -> new PingCheck(c.target(), c.source(), p.attempts(), c.timing().timeout());
            case CheckKind.Negotiate n -> new NegotiateCheck(c.target(), c.source(), n, c.timing().timeout());
            case CheckKind.SqlHandshake q -> new SqlHandshakeCheck(c.target(), c.source(), q, c.timing().timeout());
            case CheckKind.Ldap l -> new LdapCheck(c.target(), c.source(), l, c.timing().timeout());
            case CheckKind.Radius r -> new RadiusCheck(c.target(), c.source(), r, c.timing().timeout());
            case CheckKind.External e -> new ExternalCheck(e, c.timing().timeout());
            case CheckKind.TrackFile t -> new TrackFileCheck(t, c.realServer().weight());
            case CheckKind.WhileLocal w -> new WhileLocalCheck(of(c.withKind(w.check()), local), local, w.address());
            case CheckKind.AllOf a -> new AllOfCheck(a.parts().stream().map(p -> of(c.part(p), local)).toList(),
                a.parts().stream().map(p -> p.kind().getClass().getSimpleName().toUpperCase(Locale.ROOT))
                    .toList());
        };
    }
}
