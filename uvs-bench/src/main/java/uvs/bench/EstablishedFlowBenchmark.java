package uvs.bench;

import java.util.SplittableRandom;
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
import org.openjdk.jmh.annotations.Warmup;
import uvs.core.Decision;
import uvs.core.PacketHeader;
import uvs.core.net.IpProto;

/**
 * One established-flow packet step (lookup, state machine, counters, timer re-arm, in_pkts) on a table of
 * 1 M or 10 M connections, flows visited in random order so that the table does not sit in cache.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms6g", "-Xmx6g", "-XX:+AlwaysPreTouch", "-XX:+UseTransparentHugePages"})
public class EstablishedFlowBenchmark {
    private static final int BATCH = 1024;

    @Param({"1000000", "10000000"})
    int connections;

    private static final int BURST = 32;

    private Workload w;
    private int[] order;
    private int cursor;
    private final PacketHeader[] burst = new PacketHeader[BURST];
    private final Decision[] decisions = new Decision[BURST];

    /** Fills the table with established flows. */
    @Setup(Level.Trial)
    public void setUp() {
        w = new Workload(connections + connections / 8, "wlc", 100, false);
        w.establish(connections);
        order = new int[1 << 22];
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < order.length; i++) {
            order[i] = r.nextInt(connections);
        }
        for (int i = 0; i < BURST; i++) {
            burst[i] = new PacketHeader();
            decisions[i] = new Decision();
        }
    }

    /** The same packets handed over in bursts of 32, as a data-plane worker takes them from its ring. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int establishedPacketBurst() {
        int acc = 0;
        int[] o = order;
        int c = cursor;
        for (int i = 0; i < BATCH; i += BURST) {
            for (int k = 0; k < BURST; k++) {
                int flow = o[c];
                c = (c + 1) & (o.length - 1);
                burst[k].ipv4(IpProto.TCP, Workload.client(flow), Workload.clientPort(flow),
                    Workload.VIP.v4(), Workload.VPORT);
                burst[k].tcpFlags = PacketHeader.TCP_ACK;
                burst[k].length = 1500;
            }
            w.engine.process(burst, decisions, BURST);
            acc += decisions[BURST - 1].dport;
        }
        cursor = c;
        return acc;
    }

    /** A batch of established packets. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int establishedPacket() {
        int acc = 0;
        int[] o = order;
        int c = cursor;
        for (int i = 0; i < BATCH; i++) {
            w.send(o[c], PacketHeader.TCP_ACK);
            acc += w.decision.dport;
            c = (c + 1) & (o.length - 1);
        }
        cursor = c;
        return acc;
    }
}
