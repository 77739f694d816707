package uvs.bench;

import uvs.core.Decision;
import uvs.core.Engine;
import uvs.core.EngineConfig;
import uvs.core.PacketHeader;
import uvs.core.Verdict;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceKey;
import uvs.time.ManualClock;

/** Builds engines and packets for the benchmarks: one TCP service on 10.1.1.1:80 with N real servers. */
final class Workload {
    static final IpAddress VIP = IpAddress.parse("10.1.1.1");
    static final int VPORT = 80;
    static final ServiceKey SERVICE = ServiceKey.of(IpProto.TCP, VIP, VPORT);

    final ManualClock clock = new ManualClock();
    final Engine engine;
    final PacketHeader pkt = new PacketHeader();
    final Decision decision = new Decision();

    Workload(int capacity, String scheduler, int realServers, boolean persistent) {
        engine = new Engine(clock, EngineConfig.defaults().withCapacity(capacity, 1 << 10));
        ServiceConfig cfg = persistent ? ServiceConfig.persistent(scheduler, 300) : ServiceConfig.of(scheduler);
        engine.addService(SERVICE, cfg);
        for (int i = 0; i < realServers; i++) {
            IpAddress rs = IpAddress.v4(0x0a02_0000 + i + 1);
            engine.addDest(SERVICE, rs, VPORT, RealServerConfig.of(1 + (i % 4), ForwardMethod.ROUTE));
        }
    }

    /** Client address of flow {@code i}: distinct for every i below 2^24. */
    static int client(int i) {
        return 0x0b00_0000 + i;
    }

    /** Client port of flow {@code i}. */
    static int clientPort(int i) {
        return 1024 + (i >>> 24);
    }

    Verdict send(int flow, int tcpFlags) {
        pkt.ipv4(IpProto.TCP, client(flow), clientPort(flow), VIP.v4(), VPORT);
        pkt.tcpFlags = tcpFlags;
        pkt.length = 1500;
        return engine.process(pkt, decision).verdict;
    }

    /** Opens {@code n} established flows (SYN then ACK each). */
    void establish(int n) {
        for (int i = 0; i < n; i++) {
            if (send(i, PacketHeader.TCP_SYN) != Verdict.FORWARD || send(i, PacketHeader.TCP_ACK) != Verdict.FORWARD) {
                throw new IllegalStateException("flow " + i + " not forwarded: " + decision.dropReason);
            }
        }
    }
}
