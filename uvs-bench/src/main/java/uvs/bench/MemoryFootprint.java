package uvs.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import uvs.core.conn.ConnTable;

/**
 * Bytes per connection: the engine's own connection-table accounting and, independently, the heap the
 * JVM reports in use after filling a table through the engine with {@code n} established flows.
 */
final class MemoryFootprint {
    private MemoryFootprint() {
    }

    /** Result of one measurement. */
    record Result(int connections, long tableBytes, long heapBytes) {
        double tableBytesPerConn() {
            return (double) tableBytes / connections;
        }

        double heapBytesPerConn() {
            return (double) heapBytes / connections;
        }
    }

    static Result measure(int n) {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        gc();
        long before = mem.getHeapMemoryUsage().getUsed();
        Workload w = new Workload(n, "wlc", 100, false);
        w.establish(n);
        gc();
        long after = mem.getHeapMemoryUsage().getUsed();
        ConnTable t = w.engine.conns4();
        if (t.size() != n) {
            throw new IllegalStateException("expected " + n + " connections, table holds " + t.size());
        }
        Result r = new Result(n, t.memoryBytes(), after - before);
        // keep w reachable until the heap was read
        if (w.engine.conns4().size() < 0) {
            throw new AssertionError();
        }
        return r;
    }

    private static void gc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
    }

    /** Prints the footprint of {@code args[0]} connections (default 10 M). */
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000_000;
        Result r = measure(n);
        System.out.printf("connections=%d table_bytes_per_conn=%.2f heap_bytes_per_conn=%.2f%n",
            r.connections(), r.tableBytesPerConn(), r.heapBytesPerConn());
    }
}
