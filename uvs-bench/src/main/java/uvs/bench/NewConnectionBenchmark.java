package uvs.bench;

import java.util.Arrays;
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
import uvs.core.PacketHeader;
import uvs.core.conn.ConnTable;
import uvs.core.net.IpProto;

/**
 * One new-connection step: service lookup, scheduling, (template lookup/creation with persistence) and
 * insertion. The table is kept at a steady {@value #WINDOW} connections: each new connection deletes the
 * oldest one, as expiry would.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class NewConnectionBenchmark {
    static final int WINDOW = 1 << 18;
    private static final int BATCH = 256;
    /** Distinct clients: persistent runs reuse templates of returning clients. */
    private static final int CLIENTS = 1 << 20;

    @Param({"wlc", "wrr", "sh", "mh"})
    String scheduler;

    @Param({"10", "100", "1000"})
    int realServers;

    @Param({"false", "true"})
    boolean persistent;

    private Workload w;
    private int[] window;
    private int head;
    private int next;

    /** Builds the service; no connections yet. */
    @Setup(Level.Trial)
    public void setUp() {
        w = new Workload(WINDOW * 4, scheduler, realServers, persistent);
        window = new int[WINDOW];
        Arrays.fill(window, ConnTable.NONE);
    }

    /** A batch of new connections. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int newConnection() {
        int acc = 0;
        ConnTable t = w.engine.conns4();
        for (int i = 0; i < BATCH; i++) {
            int old = window[head];
            if (old != ConnTable.NONE && t.isLive(old)) {
                w.engine.deleteConn(t, old);
            }
            int flow = next;
            next = (next + 1) & (CLIENTS - 1);
            // a fresh client port per visit, so a returning client opens a new connection
            w.pkt.ipv4(IpProto.TCP, Workload.client(flow), 1024 + (head & 0x7fff), Workload.VIP.v4(),
                Workload.VPORT);
            w.pkt.tcpFlags = PacketHeader.TCP_SYN;
            w.pkt.length = 60;
            w.engine.process(w.pkt, w.decision);
            window[head] = w.decision.conn;
            head = (head + 1) & (WINDOW - 1);
            acc += w.decision.dport;
        }
        return acc;
    }
}
