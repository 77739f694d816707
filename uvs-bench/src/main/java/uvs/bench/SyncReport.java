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
 * Runs the sync benchmarks and writes {@code bench/results/sync.json}: codec and backup-apply rates per
 * core (JMH) and the bytes per connection of a short-connection workload under default tunables,
 * {@code sync_persist_mode}, and {@code sync_refresh_period}.
 * Usage: {@code java -cp uvs-bench.jar uvs.bench.SyncReport OUT.json}.
 */
public final class SyncReport {
    private SyncReport() {
    }

    /** Entry point. */
    public static void main(String[] args) throws RunnerException, IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "bench/results/sync.json");
        int clients = 20_000;
        int connections = 100_000;
        SyncTraffic.Result[] modes = {
            SyncTraffic.run("defaults", new String[0][], clients, connections, 1),
            SyncTraffic.run("sync_persist_mode", new String[][] {{"sync_persist_mode", "1"}}, clients, connections, 1),
            SyncTraffic.run("sync_refresh_period", new String[][] {{"sync_refresh_period", "10"},
                {"sync_retries", "1"}, {"sync_threshold", "3 0"}}, clients, connections, 1),
            SyncTraffic.run("sync_persist_mode+sync_refresh_period", new String[][] {{"sync_persist_mode", "1"},
                {"sync_refresh_period", "10"}, {"sync_retries", "1"}, {"sync_threshold", "3 0"}}, clients, connections, 1),
        };
        Collection<RunResult> results = new Runner(new OptionsBuilder()
            .include(SyncCodecBenchmark.class.getSimpleName()).build()).run();
        StringBuilder json = new StringBuilder("{\n");
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark().replaceFirst("^.*\\.", "");
            String key = switch (name) {
                case "encode" -> "encode_entries_per_sec";
                case "decode" -> "decode_entries_per_sec";
                default -> "apply_entries_per_sec";
            };
            json.append(String.format(Locale.ROOT, "  \"%s\": %d,%n  \"%s_error\": %d,%n", key,
                Math.round(r.getPrimaryResult().getScore()), key, Math.round(r.getPrimaryResult().getScoreError())));
        }
        json.append("  \"workload\": \"persistent wlc service, 10 real servers, 20000 returning clients, "
            + "100000 connections of 10 packets\",\n");
        json.append("  \"modes\": {\n");
        for (int i = 0; i < modes.length; i++) {
            SyncTraffic.Result m = modes[i];
            json.append(String.format(Locale.ROOT,
                "    \"%s\": {\"bytes_per_conn\": %.1f, \"entries_per_conn\": %.2f, \"datagrams\": %d, "
                    + "\"wire_bytes\": %d}%s%n", m.mode(), m.bytesPerConnection(), m.entriesPerConnection(),
                m.datagrams(), m.wireBytes(), i + 1 < modes.length ? "," : ""));
        }
        json.append("  },\n");
        json.append(String.format(Locale.ROOT, "  \"persist_mode_traffic_ratio\": %.2f,%n",
            modes[0].bytesPerConnection() / modes[1].bytesPerConnection()));
        json.append("  \"cores\": 1\n}\n");
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, json.toString());
        System.out.print(json);
    }
}
