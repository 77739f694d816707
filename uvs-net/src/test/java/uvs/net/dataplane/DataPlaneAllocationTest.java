package uvs.net.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static uvs.net.packet.TestFrames.MAC_B;
import static uvs.net.packet.TestFrames.ethernet;
import static uvs.net.packet.TestFrames.ipv4;
import static uvs.net.packet.TestFrames.pseudo4;
import static uvs.net.packet.TestFrames.tcp;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import uvs.core.Engine;
import uvs.core.EngineConfig;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceKey;
import uvs.net.io.ReplayPacketIo;
import uvs.net.io.ShardSteering;
import uvs.time.ManualClock;

/** The worker's steady state (bursts of DR and NAT packets of established connections) allocates nothing. */
class DataPlaneAllocationTest {
    private static final int VIP = 0x0A640264;
    private static final int DIRECTOR = 0x0A640102;
    private static final int RS = 0x0A64010B;
    private static final int BURST = 32;

    @Test
    void shouldForwardBurstsWithoutAllocating() {
        ManualClock clock = new ManualClock(1_000_000_000L);
        Engine engine = engine(clock);
        try (ReplayPacketIo io = new ReplayPacketIo(frames(), BURST)) {
            Link link = new Link("eth0", MAC_B, 1500, List.of(IpAddress.v4(DIRECTOR)));
            NextHops onLink = NextHops.onLink();
            Shard shard = Shard.single(16);
            shard.neighbours().learn(2, 0, RS & 0xffff_ffffL, 0x02_00_00_00_01_11L, 0, true);
            shard.neighbours().learn(2, 0, 0x0A640000L + 7, 0x02_00_00_00_00_07L, 0, true);
            DataPlaneWorker worker = new DataPlaneWorker(engine, io, link, onLink, clock, BURST, shard);
            for (int i = 0; i < 10_000; i++) {
                worker.doWork(); // connections created, JIT warmed up
            }
            ThreadMXBean threads =
                (ThreadMXBean) ManagementFactory.getThreadMXBean();
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 10_000; i++) {
                worker.doWork();
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertThat(worker.counters().forwarded).isEqualTo(20_000L * BURST);
            // 320,000 packets: one allocation per packet would be megabytes; a few hundred bytes are the
            // JIT's one-off work (deoptimisation, class initialisation), as in the engine's allocation test
            assertThat(allocated).as("bytes allocated by 10000 bursts of %d packets", BURST).isLessThan(1024);
            worker.close();
        }
    }

    @Test
    void shouldQueueAndGiveUpOnUnresolvedNeighboursWithoutAllocating() {
        ManualClock clock = new ManualClock(1_000_000_000L);
        Engine engine = engine(clock);
        try (ReplayPacketIo io = new ReplayPacketIo(frames(), BURST)) {
            Link link = new Link("eth0", MAC_B, 1500, List.of(IpAddress.v4(DIRECTOR)));
            // nothing is resolved: every packet waits, overflows its queue, and is given up after 3 s with an
            // ICMP error that itself waits for its client's MAC
            DataPlaneWorker worker = new DataPlaneWorker(engine, io, link, NextHops.onLink(), clock, BURST,
                Shard.single(256));
            // 0.4 ms per cycle: 4 s per 10000 cycles, so one resolution times out inside the measured cycles
            // (housekeeping, once a second, copies the engine's service list: a few dozen bytes each time)
            for (int i = 0; i < 10_000; i++) {
                clock.advanceNanos(400_000L);
                worker.doWork();
            }
            long failures = worker.counters().neighbourFailures;
            long drops = worker.counters().neighbourQueueDrops;
            ThreadMXBean threads =
                (ThreadMXBean) ManagementFactory.getThreadMXBean();
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 10_000; i++) {
                clock.advanceNanos(400_000L);
                worker.doWork();
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertThat(worker.counters().neighbourQueueDrops).isGreaterThan(drops);
            assertThat(worker.counters().neighbourFailures).isGreaterThan(failures);
            assertThat(allocated).as("bytes allocated by 10000 bursts toward unresolved next hops").isLessThan(1024);
            worker.close();
        }
    }

    @Test
    void shouldHandPacketsToTheShardOwningTheirClientWithoutAllocating() {
        // two workers whose ports cannot steer by client (AF_XDP): each passes the other shard's clients on
        ManualClock clock = new ManualClock(1_000_000_000L);
        ShardSteering steering = new ShardSteering(List.of(IpAddress.v4(RS)), -1, 2);
        List<ShardInbox> inboxes = List.of(new ShardInbox(1 << 20), new ShardInbox(1 << 20));
        NeighbourTable neighbours = new NeighbourTable(64);
        neighbours.learn(2, 0, RS & 0xffff_ffffL, 0x02_00_00_00_01_11L, 0, true);
        Link link = new Link("eth0", MAC_B, 1500, List.of(IpAddress.v4(DIRECTOR)));
        DataPlaneWorker[] workers = new DataPlaneWorker[2];
        ReplayPacketIo[] ports = new ReplayPacketIo[2];
        try {
            for (int i = 0; i < 2; i++) {
                Engine engine = engine(clock);
                ports[i] = new ReplayPacketIo(frames(), BURST);
                workers[i] = new DataPlaneWorker(engine, ports[i], link, NextHops.onLink(), clock, BURST,
                    new Shard(i, inboxes, neighbours, steering));
                workers[i].handOffByClient(true);
            }
            for (int i = 0; i < 10_000; i++) {
                workers[0].doWork();
                workers[1].doWork();
            }
            long forwarded = workers[0].counters().forwarded + workers[1].counters().forwarded;
            ThreadMXBean threads =
                (ThreadMXBean) ManagementFactory.getThreadMXBean();
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 10_000; i++) {
                workers[0].doWork();
                workers[1].doWork();
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            long now = workers[0].counters().forwarded + workers[1].counters().forwarded;
            // every packet is decided once, by its client's shard, whichever worker received it
            assertThat(now - forwarded).isEqualTo(2L * 10_000 * BURST);
            assertThat(workers[0].counters().forwarded).isPositive();
            assertThat(workers[1].counters().forwarded).isPositive();
            assertThat(allocated).as("bytes allocated by 2 x 10000 bursts with hand-offs").isLessThan(1024);
        } finally {
            for (int i = 0; i < 2; i++) {
                if (workers[i] != null) {
                    workers[i].close();
                }
                if (ports[i] != null) {
                    ports[i].close();
                }
            }
        }
    }

    /** An engine with a DR service (port 80) and a NAT service (8080) to RS; sloppy TCP: ACKs create connections. */
    private static Engine engine(ManualClock clock) {
        Engine engine = new Engine(clock, EngineConfig.defaults());
        engine.setTunable("sloppy_tcp", "1"); // the replayed ACKs create their connections
        ServiceKey dr = ServiceKey.of(IpProto.TCP, IpAddress.v4(VIP), 80);
        engine.addService(dr, ServiceConfig.of("wlc"));
        engine.addDest(dr, IpAddress.v4(RS), 80, RealServerConfig.of(1, ForwardMethod.ROUTE));
        ServiceKey nat = ServiceKey.of(IpProto.TCP, IpAddress.v4(VIP), 8080);
        engine.addService(nat, ServiceConfig.of("wlc"));
        engine.addDest(nat, IpAddress.v4(RS), 8080, RealServerConfig.of(1, ForwardMethod.MASQ));
        return engine;
    }

    /** One burst of TCP ACKs of 32 clients, alternating between the DR and the NAT service. */
    private static List<byte[]> frames() {
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < BURST; i++) {
            int client = 0x0A640000 + 100 + i; // 10.100.0.100..
            int port = i % 2 == 0 ? 80 : 8080;
            frames.add(ethernet(0x0800, ipv4(IpProto.TCP, client, VIP, 64, 0, 0, new byte[0],
                tcp(pseudo4(client, VIP, IpProto.TCP, 0), 40000, port, 0x10, new byte[16]))));
        }
        return frames;
    }
}
