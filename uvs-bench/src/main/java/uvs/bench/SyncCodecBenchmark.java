package uvs.bench;

import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import uvs.core.Engine;
import uvs.core.EngineConfig;
import uvs.core.SyncUpdate;
import uvs.core.conn.ConnFlags;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.proto.TcpState;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.sync.codec.SyncEntry;
import uvs.sync.codec.SyncMessageReader;
import uvs.sync.codec.SyncMessageWriter;
import uvs.sync.codec.SyncReceiveCounters;
import uvs.time.ManualClock;

/**
 * Sync costs per entry: encoding v1 messages (master), decoding them, and a backup applying decoded
 * entries to its engine (lookup, create or refresh, bind, re-arm).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"})
public class SyncCodecBenchmark {
    private static final int ENTRIES = 40;
    /** Distinct connections the backup cycles through: creates at first, refreshes after. */
    private static final int FLOWS = 1 << 20;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[SyncMessageWriter.requiredCapacity(1472)]);
    private final SyncMessageWriter writer = new SyncMessageWriter();
    private final SyncMessageReader reader = new SyncMessageReader();
    private final SyncReceiveCounters counters = new SyncReceiveCounters();
    private final SyncEntry entry = new SyncEntry();
    private final SyncUpdate update = new SyncUpdate();
    private Engine backup;
    private int length;
    private int flow;

    /** A full v1 message of 40 IPv4 TCP entries, and a backup engine with the matching service. */
    @Setup(Level.Trial)
    public void setUp() {
        writer.wrap(buffer, 0, 1472).start(1, 0);
        for (int i = 0; i < ENTRIES; i++) {
            fill(entry, i);
            writer.tryAppend(entry);
        }
        length = writer.finish();
        backup = new Engine(new ManualClock(), EngineConfig.defaults().withCapacity(FLOWS + 1024, 1024));
        backup.addService(Workload.SERVICE, ServiceConfig.of("wlc"));
        for (int i = 0; i < 100; i++) {
            backup.addDest(Workload.SERVICE, IpAddress.v4(0x0a02_0000 + i + 1), Workload.VPORT,
                RealServerConfig.of(1, ForwardMethod.ROUTE));
        }
    }

    private static void fill(SyncEntry e, int i) {
        e.clear();
        e.protocol = IpProto.TCP;
        e.flags = ConnFlags.DROUTE | ConnFlags.NOOUTPUT;
        e.state = TcpState.ESTABLISHED;
        e.caddrLo = Workload.client(i) & 0xffff_ffffL;
        e.cport = Workload.clientPort(i);
        e.vaddrLo = Workload.VIP.lo();
        e.vport = Workload.VPORT;
        e.daddrLo = (0x0a02_0000 + (i % 100) + 1) & 0xffff_ffffL;
        e.dport = Workload.VPORT;
        e.timeout = 900;
    }

    /** Master: encode a full message. */
    @Benchmark
    @OperationsPerInvocation(ENTRIES)
    public int encode() {
        writer.wrap(buffer, 0, 1472).start(1, 0);
        for (int i = 0; i < ENTRIES; i++) {
            entry.caddrLo = Workload.client(i) & 0xffff_ffffL;
            writer.tryAppend(entry);
        }
        return writer.finish();
    }

    /** Backup: decode and validate a full message. */
    @Benchmark
    @OperationsPerInvocation(ENTRIES)
    public int decode() {
        return reader.read(buffer, 0, length, 0, e -> { }, counters);
    }

    /** Backup: apply entries to the engine (a million distinct connections, created then refreshed). */
    @Benchmark
    @OperationsPerInvocation(ENTRIES)
    public int apply() {
        int n = 0;
        for (int i = 0; i < ENTRIES; i++) {
            int f = flow;
            flow = (flow + 1) & (FLOWS - 1);
            SyncUpdate u = update;
            u.protocol = IpProto.TCP;
            u.flags = ConnFlags.DROUTE | ConnFlags.NOOUTPUT;
            u.state = TcpState.ESTABLISHED;
            u.caddrLo = Workload.client(f) & 0xffff_ffffL;
            u.cport = Workload.clientPort(f);
            u.vaddrLo = Workload.VIP.lo();
            u.vport = Workload.VPORT;
            u.daddrLo = (0x0a02_0000 + (f % 100) + 1) & 0xffff_ffffL;
            u.dport = Workload.VPORT;
            u.timeoutSeconds = 900;
            n += backup.applySync(u).ordinal();
        }
        return n;
    }
}
