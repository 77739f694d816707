package uvs.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the engine benchmarks and writes {@code bench/results/engine.json}: every JMH score plus the
 * headline keys ({@code established_mpps_10m}, {@code new_conns_per_sec_wlc_100}, {@code bytes_per_conn_10m}).
 * Usage: {@code java -cp uvs-bench.jar uvs.bench.EngineReport OUT.json [--quick]}.
 */
public final class EngineReport {
    private EngineReport() {
    }

    /** Entry point. */
    public static void main(String[] args) throws RunnerException, IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "bench/results/engine.json");
        boolean quick = args.length > 1 && args[1].equals("--quick");
        Map<String, Object> json = new LinkedHashMap<>();

        MemoryFootprint.Result mem = MemoryFootprint.measure(quick ? 1_000_000 : 10_000_000);
        json.put("bytes_per_conn_10m", round(mem.tableBytesPerConn()));
        json.put("heap_bytes_per_conn_10m", round(mem.heapBytesPerConn()));

        OptionsBuilder ob = new OptionsBuilder();
        ob.include(EstablishedFlowBenchmark.class.getSimpleName());
        ob.include(NewConnectionBenchmark.class.getSimpleName());
        if (quick) {
            ob.warmupIterations(1).measurementIterations(2).param("connections", "1000000");
        }
        Options opts = ob.build();
        Collection<RunResult> results = new Runner(opts).run();
        Map<String, Object> scores = new LinkedHashMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark().replaceFirst("^.*\\.", "");
            StringBuilder key = new StringBuilder(name);
            for (String p : r.getParams().getParamsKeys()) {
                key.append('_').append(p).append('=').append(r.getParams().getParam(p));
            }
            double score = r.getPrimaryResult().getScore();
            double err = r.getPrimaryResult().getScoreError();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("ops_per_sec", round(score));
            entry.put("error", round(err));
            scores.put(key.toString(), entry);
            if (name.startsWith("establishedPacket")) {
                String n = r.getParams().getParam("connections");
                String suffix = name.equals("establishedPacketBurst") ? "_burst" : "_single";
                String headline = n.equals("10000000") ? "established_mpps_10m" : "established_mpps_1m";
                json.put(headline + suffix, round(score / 1e6));
                if (suffix.equals("_burst")) {
                    // the data plane hands the engine bursts from its ring: that is the headline figure
                    json.put(headline, round(score / 1e6));
                }
            }
            if (name.equals("newConnection") && "wlc".equals(r.getParams().getParam("scheduler"))
                && "100".equals(r.getParams().getParam("realServers"))
                && "false".equals(r.getParams().getParam("persistent"))) {
                json.put("new_conns_per_sec_wlc_100", Math.round(score));
            }
        }
        json.put("cores", 1);
        json.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        json.put("benchmarks", scores);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, toJson(json, "") + "\n");
        System.out.println("wrote " + out);
    }

    private static double round(double v) {
        return Math.round(v * 100.0) / 100.0;
    }

    @SuppressWarnings("unchecked")
    private static String toJson(Object o, String indent) {
        if (o instanceof Map<?, ?> m) {
            StringBuilder sb = new StringBuilder("{\n");
            int i = 0;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                sb.append(indent).append("  \"").append(e.getKey()).append("\": ")
                    .append(toJson(e.getValue(), indent + "  "));
                sb.append(++i < m.size() ? ",\n" : "\n");
            }
            return sb.append(indent).append('}').toString();
        }
        if (o instanceof String s) {
            return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
        }
        if (o instanceof Double dd) {
            return String.format(Locale.ROOT, "%.2f", dd);
        }
        return String.valueOf(o);
    }
}
