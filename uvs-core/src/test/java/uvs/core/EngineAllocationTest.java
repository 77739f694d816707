package uvs.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceKey;
import uvs.time.ManualClock;

/**
 * The packet path must not allocate in steady state: established packets, new connections with and
 * without persistence, folding the fast path's counters, and expiry. Measured with the JVM's per-thread allocation counter.
 */
class EngineAllocationTest {
    private static final int FLOWS = 20_000;

    private final ThreadMXBean threads =
        (ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void shouldNotAllocatePerPacket() {
        ManualClock clock = new ManualClock();
        Engine engine = new Engine(clock, EngineConfig.defaults().withCapacity(1 << 17, 1 << 8));
        IpAddress vip = IpAddress.parse("10.1.1.1");
        ServiceKey plain = ServiceKey.of(IpProto.TCP, vip, 80);
        ServiceKey sticky = ServiceKey.of(IpProto.TCP, vip, 443);
        engine.addService(plain, ServiceConfig.of("wlc"));
        engine.addService(sticky, ServiceConfig.persistent("wlc", 300));
        for (int i = 1; i <= 50; i++) {
            IpAddress rs = IpAddress.parse("10.2.0." + i);
            engine.addDest(plain, rs, 80, RealServerConfig.of(1 + i % 3, ForwardMethod.ROUTE));
            engine.addDest(sticky, rs, 443, RealServerConfig.of(1 + i % 3, ForwardMethod.MASQ));
        }
        PacketHeader p = new PacketHeader();
        Decision d = new Decision();

        // warm up: every code path runs and is compiled
        for (int round = 0; round < 3; round++) {
            drive(engine, clock, p, d, vip, round * FLOWS);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        drive(engine, clock, p, d, vip, 3 * FLOWS);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(allocated).as("bytes allocated for %d flows", FLOWS).isLessThan(1024);
    }

    private static void drive(Engine engine, ManualClock clock, PacketHeader p, Decision d, IpAddress vip, int base) {
        for (int i = 0; i < FLOWS; i++) {
            int client = 0x0a00_0000 + base + i;
            int vport = (i & 1) == 0 ? 80 : 443;
            send(engine, p, d, client, vip, vport, PacketHeader.TCP_SYN);
            send(engine, p, d, client, vip, vport, PacketHeader.TCP_ACK);
            send(engine, p, d, client, vip, vport, PacketHeader.TCP_ACK | PacketHeader.TCP_PSH);
            // what the fast path forwarded for it, folded in
            if (engine.foldOffloaded(d.table, d.conn, 3, 3000, 2, 200, clock.nanoTime()) != Engine.FOLDED) {
                throw new AssertionError("not folded");
            }
            send(engine, p, d, client, vip, vport, PacketHeader.TCP_RST);
            if ((i & 1023) == 0) {
                clock.advanceMillis(50);
                engine.doWork();
            }
        }
        // let the closed connections (and, later, templates) expire
        clock.advanceSeconds(20);
        engine.doWork();
    }

    private static void send(Engine engine, PacketHeader p, Decision d, int client, IpAddress vip, int vport,
                             int flags) {
        p.clear().ipv4(IpProto.TCP, client, 40_000, vip.v4(), vport);
        p.tcpFlags = flags;
        p.length = 60;
        engine.process(p, d);
        if (d.verdict != Verdict.FORWARD) {
            throw new AssertionError("not forwarded: " + d.verdict + " " + d.dropReason);
        }
    }
}
