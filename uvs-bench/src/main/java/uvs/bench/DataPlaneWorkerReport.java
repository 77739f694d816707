package uvs.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link DataPlaneWorkerBenchmark} and writes {@code bench/results/dataplane-worker.json}: packets per
 * second one worker thread parses, decides, rewrites and queues, without the kernel's part.
 * Usage: {@code java -cp uvs-bench.jar uvs.bench.DataPlaneWorkerReport OUT.json}.
 */
public final class DataPlaneWorkerReport {
    private DataPlaneWorkerReport() {
    }

    /** Entry point. */
    public static void main(String[] args) throws RunnerException, IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "bench/results/dataplane-worker.json");
        Collection<RunResult> results = new Runner(new OptionsBuilder()
            .include(DataPlaneWorkerBenchmark.class.getSimpleName()).build()).run();
        StringBuilder json = new StringBuilder("{\n");
        for (RunResult r : results) {
            String method = r.getParams().getParam("method");
            double pps = r.getPrimaryResult().getScore();
            json.append(String.format(Locale.ROOT, "  \"%s_packets_per_sec\": %d,%n  \"%s_packets_per_sec_error\": %d,%n"
                    + "  \"%s_ns_per_packet\": %.1f,%n", method, Math.round(pps), method,
                Math.round(r.getPrimaryResult().getScoreError()), method, 1e9 / pps));
        }
        json.append("  \"workload\": \"bursts of 32 TCP ACK frames of 65536 established connections (wlc, 10 real "
            + "servers), in-memory port: parse, engine decision, DR or NAT rewrite, next-hop MAC, queued for "
            + "sendmmsg; frames restored from pristine copies each burst (a 2.4 KB copy per 32 packets)\",\n");
        json.append("  \"cores\": 1\n}\n");
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, json.toString());
        System.out.print(json);
    }
}
