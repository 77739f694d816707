package uvs.ctl.view;

import java.nio.charset.StandardCharsets;
import uvs.core.Decision;
import uvs.core.Engine;
import uvs.core.EngineConfig;
import uvs.core.PacketHeader;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServer;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceKey;
import uvs.time.ManualClock;

/** A small engine on a manual clock with helpers to send packets (shared by the view and format tests). */
public final class TestEngine {
    /** The clock; starts at 1 s. */
    public final ManualClock clock = new ManualClock();
    /** The engine (default configuration, small tables). */
    public final Engine engine = new Engine(clock, EngineConfig.defaults().withCapacity(1 << 12, 1 << 8));
    private final PacketHeader pkt = new PacketHeader();
    private final Decision decision = new Decision();

    /** Parses a numeric address. */
    public static IpAddress ip(String s) {
        return IpAddress.parse(s);
    }

    /** A TCP, UDP or SCTP service key. */
    public static ServiceKey key(int protocol, String vip, int port) {
        return ServiceKey.of(protocol, ip(vip), port);
    }

    /** Adds a service. */
    public TestEngine service(ServiceKey key, ServiceConfig cfg) {
        engine.addService(key, cfg);
        return this;
    }

    /** Adds a real server with a weight and method. */
    public RealServer dest(ServiceKey key, String addr, int port, int weight, ForwardMethod fwd) {
        return engine.addDest(key, ip(addr), port, RealServerConfig.of(weight, fwd));
    }

    /** Sends one IPv4 TCP packet client → VIP with these TCP flags and fwmark. */
    public Decision tcp(String client, int cport, String vip, int vport, int tcpFlags, int fwmark) {
        pkt.clear().ipv4(IpProto.TCP, ip(client).v4(), cport, ip(vip).v4(), vport);
        pkt.tcpFlags = tcpFlags;
        pkt.fwmark = fwmark;
        pkt.length = 60;
        return engine.process(pkt, decision);
    }

    /** Sends one IPv6 TCP packet client → VIP. */
    public Decision tcp6(String client, int cport, String vip, int vport, int tcpFlags) {
        IpAddress c = ip(client);
        IpAddress v = ip(vip);
        pkt.clear().ipv6(IpProto.TCP, c.hi(), c.lo(), cport, v.hi(), v.lo(), vport);
        pkt.tcpFlags = tcpFlags;
        pkt.length = 80;
        return engine.process(pkt, decision);
    }

    /** Sends one IPv4 UDP packet client → VIP with an optional payload. */
    public Decision udp(String client, int cport, String vip, int vport, String payload) {
        pkt.clear().ipv4(IpProto.UDP, ip(client).v4(), cport, ip(vip).v4(), vport);
        pkt.length = 100;
        if (payload != null) {
            pkt.payload = payload.getBytes(StandardCharsets.ISO_8859_1);
            pkt.payloadOffset = 0;
            pkt.payloadLength = pkt.payload.length;
        }
        return engine.process(pkt, decision);
    }

    /** Moves the clock forward and runs the engine's timers (so that its "now" is current). */
    public void advanceMillis(long ms) {
        clock.advanceMillis(ms);
        engine.doWork();
    }
}
