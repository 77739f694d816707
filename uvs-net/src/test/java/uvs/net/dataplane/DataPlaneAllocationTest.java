package uvs.net.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static uvs.net.packet.TestFrames.MAC_B;
import static uvs.net.packet.TestFrames.ethernet;
import static uvs.net.packet.TestFrames.ipv4;
import static uvs.net.packet.TestFrames.pseudo4;
import static uvs.net.packet.TestFrames.tcp;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
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
import uvs.net.io.PacketIo;
import uvs.net.io.PacketIoStats;
import uvs.net.io.RxFrames;
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
        Engine engine = new Engine(clock, EngineConfig.defaults());
        engine.setTunable("sloppy_tcp", "1"); // the replayed ACKs create their connections
        ServiceKey dr = ServiceKey.of(IpProto.TCP, IpAddress.v4(VIP), 80);
        engine.addService(dr, ServiceConfig.of("wlc"));
        engine.addDest(dr, IpAddress.v4(RS), 80, RealServerConfig.of(1, ForwardMethod.ROUTE));
        ServiceKey nat = ServiceKey.of(IpProto.TCP, IpAddress.v4(VIP), 8080);
        engine.addService(nat, ServiceConfig.of("wlc"));
        engine.addDest(nat, IpAddress.v4(RS), 8080, RealServerConfig.of(1, ForwardMethod.MASQ));
        try (ReplayIo io = new ReplayIo()) {
            Link link = new Link("eth0", MAC_B, 1500, List.of(IpAddress.v4(DIRECTOR)));
            NextHops onLink = new NextHops() {
                @Override
                public boolean lookup(int af, long hi, long lo, Hop out) {
                    out.set(af, hi, lo);
                    return true;
                }

                @Override
                public void gateways(AddressVisitor visitor) {
                }
            };
            Shard shard = Shard.single(16);
            shard.neighbours().learn(2, 0, RS & 0xffff_ffffL, 0x02_00_00_00_01_11L, 0, true);
            shard.neighbours().learn(2, 0, 0x0A640000L + 7, 0x02_00_00_00_00_07L, 0, true);
            DataPlaneWorker worker = new DataPlaneWorker(engine, io, link, onLink, clock, BURST, shard);
            for (int i = 0; i < 3000; i++) {
                worker.doWork(); // connections created, JIT warmed up
            }
            com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 2000; i++) {
                worker.doWork();
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertThat(worker.counters().forwarded).isGreaterThan(5000L * BURST / 2 - 1);
            assertThat(allocated).as("bytes allocated by 2000 bursts of %d packets", BURST).isZero();
            worker.close();
        }
    }

    /**
     * Hands the same burst of frames to the worker every time (restored from pristine copies, since the
     * worker rewrites them in place) and counts what it sends.
     */
    private static final class ReplayIo implements PacketIo {
        private final Arena arena = Arena.ofShared();
        private final MemorySegment pristine;
        private final MemorySegment live;
        private final int frameLength;
        private final PacketIoStats stats = new PacketIoStats();

        ReplayIo() {
            byte[][] frames = new byte[BURST][];
            for (int i = 0; i < BURST; i++) {
                int client = 0x0A640000 + 100 + i; // 10.100.0.100..: alternate DR and NAT services
                int port = i % 2 == 0 ? 80 : 8080;
                frames[i] = ethernet(0x0800, ipv4(IpProto.TCP, client, VIP, 64, 0, 0, new byte[0],
                    tcp(pseudo4(client, VIP, IpProto.TCP, 0), 40000, port, 0x10, new byte[16])));
            }
            frameLength = frames[0].length;
            pristine = arena.allocate((long) frameLength * BURST);
            live = arena.allocate((long) frameLength * BURST);
            for (int i = 0; i < BURST; i++) {
                MemorySegment.copy(frames[i], 0, pristine, ValueLayout.JAVA_BYTE, (long) i * frameLength, frameLength);
            }
        }

        @Override
        public int receive(RxFrames frames) {
            MemorySegment.copy(pristine, 0, live, 0, live.byteSize());
            for (int i = 0; i < BURST; i++) {
                frames.address[i] = live.address() + (long) i * frameLength;
                frames.length[i] = frameLength;
                frames.packetType[i] = RxFrames.HOST;
                frames.checksumPartial[i] = false;
            }
            frames.count = BURST;
            return BURST;
        }

        @Override
        public void releaseReceived() {
        }

        @Override
        public boolean transmit(long address, int length) {
            stats.txFrames++;
            return true;
        }

        @Override
        public int flush() {
            return 0;
        }

        @Override
        public boolean await(int timeoutMillis) {
            return true;
        }

        @Override
        public PacketIoStats stats() {
            return stats;
        }

        @Override
        public void close() {
            arena.close();
        }
    }
}
