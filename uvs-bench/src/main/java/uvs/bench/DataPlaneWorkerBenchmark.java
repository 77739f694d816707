package uvs.bench;

import java.util.ArrayList;
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
import uvs.net.io.ReplayPacketIo;
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

    private ReplayPacketIo io;
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
        io = new ReplayPacketIo(frames(flows), BURST);
        Shard shard = Shard.single(64);
        for (int i = 0; i < 10; i++) {
            shard.neighbours().learn(2, 0, (RS + i) & 0xffff_ffffL, 0x02_00_00_00_01_00L + i, 0, true);
        }
        NextHops onLink = NextHops.onLink();
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

    /** {@code flows} TCP ACK frames of 16 ports of each client address. */
    private static List<byte[]> frames(int flows) {
        List<byte[]> frames = new ArrayList<>(flows);
        for (int i = 0; i < flows; i++) {
            frames.add(tcpAck(0x0A000001 + i / 16, 40000 + i % 16));
        }
        return frames;
    }

    /** An Ethernet + IPv4 + TCP ACK frame with 16 payload bytes and valid checksums. */
    private static byte[] tcpAck(int client, int port) {
        byte[] f = new byte[14 + 20 + 20 + 16];
        f[12] = 0x08;
        f[14] = 0x45;
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
}
