package uvs.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import uvs.core.Engine;
import uvs.core.EngineConfig;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceKey;
import uvs.net.dataplane.DataPlaneWorker;
import uvs.net.dataplane.Link;
import uvs.net.dataplane.NextHops;
import uvs.net.dataplane.Shard;
import uvs.net.io.PacketIo;
import uvs.net.io.PacketIoStats;
import uvs.net.io.RxFrames;
import uvs.time.ManualClock;

/**
 * One data-plane worker per core without the kernel: bursts of 32 TCP frames of established connections
 * (many flows, visited in turn) parsed, decided by the engine, rewritten for DR or NAT and queued for
 * sending, as the worker does with its ring. The port is in memory, so this is UVS's own cost per packet;
 * the kernel's cost of delivering frames to the ring and taking them from {@code sendmmsg} is in the lab
 * benchmark ({@code uvs bench dataplane}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED"})
public class DataPlaneWorkerBenchmark {
    private static final int BURST = 32;
    private static final int VIP = 0x0A640264;
    private static final int RS = 0x0A64010B;

    @Param({"dr", "nat"})
    String method;

    @Param({"65536"})
    int flows;

    private ReplayIo io;
    private DataPlaneWorker worker;

    /** Builds the frames and establishes every flow. */
    @Setup(Level.Trial)
    public void setUp() {
        ManualClock clock = new ManualClock(1_000_000_000L);
        Engine engine = new Engine(clock, EngineConfig.defaults());
        engine.setTunable("sloppy_tcp", "1");
        ServiceKey key = ServiceKey.of(IpProto.TCP, IpAddress.v4(VIP), 80);
        engine.addService(key, ServiceConfig.of("wlc"));
        ForwardMethod m = method.equals("nat") ? ForwardMethod.MASQ : ForwardMethod.ROUTE;
        for (int i = 0; i < 10; i++) {
            engine.addDest(key, IpAddress.v4(RS + i), 80, RealServerConfig.of(1, m));
        }
        io = new ReplayIo(flows);
        Shard shard = Shard.single(64);
        for (int i = 0; i < 10; i++) {
            shard.neighbours().learn(2, 0, (RS + i) & 0xffff_ffffL, 0x02_00_00_00_01_00L + i, 0, true);
        }
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
        worker = new DataPlaneWorker(engine, io, new Link("eth0", 0x02_00_00_00_00_02L, 1500,
            List.of(IpAddress.v4(0x0A640102))), onLink, clock, BURST, shard);
        for (int i = 0; i < flows / BURST + 1; i++) {
            worker.doWork();
        }
    }

    /** Releases the frames. */
    @TearDown(Level.Trial)
    public void tearDown() {
        worker.close();
        io.close();
    }

    /** One burst of 32 packets. */
    @Benchmark
    @OperationsPerInvocation(BURST)
    public int burst() {
        return worker.doWork();
    }

    /** Hands out the next 32 of {@code flows} frames, restored from pristine copies (the worker rewrites in place). */
    static final class ReplayIo implements PacketIo {
        private final Arena arena = Arena.ofShared();
        private final MemorySegment pristine;
        private final MemorySegment live;
        private final int frameLength;
        private final int flows;
        private final PacketIoStats stats = new PacketIoStats();
        private int next;

        ReplayIo(int flows) {
            this.flows = flows;
            byte[] template = tcpAck(0x0A000001, 40000);
            frameLength = template.length;
            pristine = arena.allocate((long) frameLength * flows);
            live = arena.allocate((long) frameLength * BURST);
            for (int i = 0; i < flows; i++) {
                byte[] f = tcpAck(0x0A000001 + i / 16, 40000 + i % 16);
                MemorySegment.copy(f, 0, pristine, ValueLayout.JAVA_BYTE, (long) i * frameLength, frameLength);
            }
        }

        /** An Ethernet + IPv4 + TCP ACK frame with 16 payload bytes and valid checksums. */
        private static byte[] tcpAck(int client, int port) {
            byte[] f = new byte[14 + 20 + 20 + 16];
            f[12] = 0x08;
            f[14] = 0x45;
            f[16] = 0;
            f[17] = (byte) (f.length - 14);
            f[22] = 64;
            f[23] = (byte) IpProto.TCP;
            put32(f, 26, client);
            put32(f, 30, VIP);
            put16(f, 24, checksum(f, 14, 20, 0));
            put16(f, 34, port);
            put16(f, 36, 80);
            f[46] = 0x50;
            f[47] = 0x10;
            put16(f, 48, 0xffff);
            long pseudo = ((client >>> 16) & 0xffff) + (client & 0xffff) + ((VIP >>> 16) & 0xffff) + (VIP & 0xffff)
                + IpProto.TCP + 36;
            put16(f, 50, checksum(f, 34, 36, pseudo));
            return f;
        }

        private static int checksum(byte[] b, int off, int len, long sum) {
            for (int i = off; i < off + len; i += 2) {
                sum += (b[i] & 0xff) << 8 | (i + 1 < off + len ? b[i + 1] & 0xff : 0);
            }
            while ((sum >>> 16) != 0) {
                sum = (sum & 0xffff) + (sum >>> 16);
            }
            return (int) (~sum & 0xffff);
        }

        private static void put16(byte[] b, int off, int v) {
            b[off] = (byte) (v >>> 8);
            b[off + 1] = (byte) v;
        }

        private static void put32(byte[] b, int off, int v) {
            put16(b, off, v >>> 16);
            put16(b, off + 2, v);
        }

        @Override
        public int receive(RxFrames frames) {
            MemorySegment.copy(pristine, (long) next * frameLength, live, 0, (long) BURST * frameLength);
            for (int i = 0; i < BURST; i++) {
                frames.address[i] = live.address() + (long) i * frameLength;
                frames.length[i] = frameLength;
                frames.packetType[i] = RxFrames.HOST;
                frames.checksumPartial[i] = false;
            }
            next = next + BURST >= flows ? 0 : next + BURST;
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
