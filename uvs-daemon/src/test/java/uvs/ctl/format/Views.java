package uvs.ctl.format;

import java.util.List;
import uvs.core.conn.ConnFlags;
import uvs.core.net.Af;
import uvs.core.net.IpAddress;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceKey;
import uvs.ctl.view.ConnView;
import uvs.ctl.view.DestView;
import uvs.ctl.view.EngineView;
import uvs.ctl.view.ServiceView;
import uvs.ctl.view.StatsView;
import uvs.ctl.view.TimeoutView;

/** Hand-built views for the format tests. */
final class Views {
    private Views() {
    }

    static IpAddress ip(String s) {
        return IpAddress.parse(s);
    }

    static ServiceKey key(int protocol, String vip, int port) {
        return ServiceKey.of(protocol, ip(vip), port);
    }

    static ServiceKey mark(int mark) {
        return ServiceKey.fwmark(mark, Af.INET);
    }

    static ServiceView svc(ServiceKey key, ServiceConfig cfg, DestView... dests) {
        return new ServiceView(key, cfg, StatsView.ZERO, List.of(dests));
    }

    static ServiceView svc(ServiceKey key, ServiceConfig cfg, StatsView stats, DestView... dests) {
        return new ServiceView(key, cfg, stats, List.of(dests));
    }

    static DestView dest(String addr, int port, int weight, ForwardMethod fwd, int active, int inact) {
        return new DestView(ip(addr), port, RealServerConfig.of(weight, fwd), active, inact, 0, StatsView.ZERO);
    }

    static DestView dest(String addr, int port, RealServerConfig cfg, int active, int inact, int persist) {
        return new DestView(ip(addr), port, cfg, active, inact, persist, StatsView.ZERO);
    }

    static DestView dest(String addr, int port, StatsView stats) {
        return new DestView(ip(addr), port, RealServerConfig.of(1, ForwardMethod.ROUTE), 0, 0, 0, stats);
    }

    static EngineView engine(ServiceView... services) {
        return new EngineView(4096, StatsView.ZERO, TimeoutView.DEFAULTS, List.of(services), List.of());
    }

    static ConnView conn(int proto, String c, int cport, String v, int vport, String d, int dport, String state,
                         int expires, int flags) {
        return new ConnView(proto, ip(c), cport, ip(v), vport, ip(d), dport, state, expires, flags, null, null);
    }

    static ConnView peConn(String c, String v, int vport, String d, int dport, int expires, String data) {
        return new ConnView(17, ip(c), 0, ip(v), vport, ip(d), dport, "NONE", expires,
            ConnFlags.TEMPLATE, "sip", data);
    }

    /** Joins lines, each ending with a newline. */
    static String lines(String... lines) {
        StringBuilder sb = new StringBuilder();
        for (String l : lines) {
            sb.append(l).append('\n');
        }
        return sb.toString();
    }
}
