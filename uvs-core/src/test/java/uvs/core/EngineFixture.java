package uvs.core;

import uvs.core.conn.ConnTable;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServer;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceKey;
import uvs.time.ManualClock;

/** A small engine with helpers to send packets, shared by the engine tests. */
class EngineFixture {
    static final IpAddress VIP = IpAddress.parse("10.1.1.1");
    static final IpAddress RS1 = IpAddress.parse("10.2.2.1");
    static final IpAddress RS2 = IpAddress.parse("10.2.2.2");
    static final IpAddress RS3 = IpAddress.parse("10.2.2.3");
    static final ServiceKey HTTP = ServiceKey.of(IpProto.TCP, VIP, 80);
    static final ServiceKey DNS = ServiceKey.of(IpProto.UDP, VIP, 53);

    final ManualClock clock = new ManualClock();
    final Engine engine;
    final PacketHeader pkt = new PacketHeader();
    final Decision d = new Decision();

    EngineFixture() {
        this(EngineConfig.defaults().withCapacity(1 << 12, 1 << 8));
    }

    EngineFixture(EngineConfig cfg) {
        engine = new Engine(clock, cfg);
    }

    static int ip(String s) {
        return IpAddress.parse(s).v4();
    }

    RealServer addDest(ServiceKey svc, IpAddress addr, int port, int weight, ForwardMethod fwd) {
        return engine.addDest(svc, addr, port, RealServerConfig.of(weight, fwd));
    }

    void service(ServiceKey key, ServiceConfig cfg) {
        engine.addService(key, cfg);
    }

    /** Client → VIP TCP packet. */
    Decision tcp(String client, int cport, int flags) {
        return tcp(client, cport, VIP, 80, flags);
    }

    Decision tcp(String client, int cport, IpAddress vip, int vport, int flags) {
        pkt.clear().ipv4(IpProto.TCP, ip(client), cport, vip.v4(), vport);
        pkt.tcpFlags = flags;
        pkt.length = 60;
        return engine.process(pkt, d);
    }

    /** Real server → client TCP reply (NAT). */
    Decision tcpReply(IpAddress rs, int rport, String client, int cport, int flags) {
        pkt.clear().ipv4(IpProto.TCP, rs.v4(), rport, ip(client), cport);
        pkt.tcpFlags = flags;
        pkt.length = 60;
        pkt.direction = PacketHeader.DIR_OUTPUT;
        return engine.process(pkt, d);
    }

    Decision udp(String client, int cport, int vport) {
        pkt.clear().ipv4(IpProto.UDP, ip(client), cport, VIP.v4(), vport);
        pkt.length = 80;
        return engine.process(pkt, d);
    }

    void advance(int seconds) {
        clock.advanceSeconds(seconds);
        engine.doWork();
    }

    void advanceMillis(int ms) {
        clock.advanceMillis(ms);
        engine.doWork();
    }

    ConnTable t4() {
        return engine.conns4();
    }

    int connCount() {
        return engine.conns4().size();
    }

    int find(String client, int cport, int vport) {
        return t4().lookupIn(IpProto.TCP, 0, ip(client) & 0xffff_ffffL, cport, 0, VIP.lo(), vport);
    }
}
