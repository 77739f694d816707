package uvs.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import uvs.core.EngineConfig;
import uvs.ctl.model.Change;
import uvs.ctl.model.DirectorConfig;
import uvs.ctl.model.EngineModel;
import uvs.daemon.DaemonFiles;
import uvs.daemon.Uvsd;
import uvs.daemon.UvsdConfig;
import uvs.time.ManualClock;

/**
 * How a reload scales with the rules file: uvsd is started on a generated file, the file is rewritten
 * (every weight changed, one real server in ten replaced, one service in a hundred replaced) and uvsd
 * reloaded (best of 5). Reported: the whole reload, its control-thread part (read, parse, validate: the
 * {@link DaemonFiles} load; and the diff), the number of changes the shards apply, the longest a trivial
 * engine command waited meanwhile (as uvsadm's would: the stall the reload causes), and the peak heap
 * during the reload (the heap pools' peak after a collection and a reset: garbage not yet collected
 * included, so an upper bound; this JVM's baseline included) and the heap in use after it and a collection.
 * Two shapes: files of L lines (services of one {@code -A} and nine {@code -a} lines) and S services of
 * one real server each. Writes {@code bench/results/reload-scale.json}.
 * Usage: {@code java -Xmx1g -cp uvs-bench.jar uvs.bench.ReloadScaleReport [OUT.json]}
 */
public final class ReloadScaleReport {
    private static final int RUNS = 5;

    private ReloadScaleReport() {
    }

    /** Entry point. */
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "bench/results/reload-scale.json");
        StringBuilder json = new StringBuilder("{\n  \"workload\": \"uvsd started on a generated rules file, then "
            + "reloaded with every weight changed, one real server in ten and one service in a hundred replaced; "
            + "best of 5\",\n  \"results\": {\n");
        List<String> lines = List.of(
            measure("10000 lines", 1_000, 9),
            measure("100000 lines", 10_000, 9),
            measure("1000 services", 1_000, 1),
            measure("10000 services", 10_000, 1));
        json.append(String.join(",\n", lines)).append("\n  }\n}\n");
        Files.writeString(out, json);
    }

    private static String measure(String name, int services, int serversPer) throws Exception {
        Path dir = Files.createTempDirectory("uvs-reload-");
        Path rules = dir.resolve("rules");
        double reload = Double.MAX_VALUE;
        double load = Double.MAX_VALUE;
        double diff = Double.MAX_VALUE;
        double peak = Double.MAX_VALUE;
        double after = 0;
        double stall = Double.MAX_VALUE;
        int changes = 0;
        int lineCount = 0;
        try {
            for (int run = 0; run < RUNS; run++) {
                Files.writeString(rules, rules(services, serversPer, 0));
                UvsdConfig config = UvsdConfig.minimal(new ManualClock(), EngineConfig.defaults().withCapacity(1024, 64),
                    dir.resolve("control.sock")).withRules(rules);
                try (Uvsd uvsd = new Uvsd(config)) {
                    String text = rules(services, serversPer, 1);
                    lineCount = (int) text.lines().count();
                    Files.writeString(rules, text);
                    // the control thread's part, measured on its own
                    long t0 = System.nanoTime();
                    DaemonFiles files = DaemonFiles.load(config);
                    load = Math.min(load, (System.nanoTime() - t0) / 1e6);
                    DirectorConfig current = uvsd.agent().call(EngineModel::of, 30);
                    long t1 = System.nanoTime();
                    List<Change> c = files.changes(current);
                    diff = Math.min(diff, (System.nanoTime() - t1) / 1e6);
                    changes = c.size();
                    // the whole reload, with its peak heap
                    resetPeaks();
                    StallProbe probe = new StallProbe(uvsd);
                    long t2 = System.nanoTime();
                    boolean ok = uvsd.reload();
                    reload = Math.min(reload, (System.nanoTime() - t2) / 1e6);
                    double worst = probe.stopMillis();
                    if (!ok) {
                        throw new IllegalStateException("reload refused");
                    }
                    stall = Math.min(stall, worst);
                    peak = Math.min(peak, peakHeapMib());
                    System.gc();
                    after = heapUsedMib();
                }
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
        String line = String.format(Locale.ROOT, "    \"%s\": {\"lines\": %d, \"reload_ms\": %.0f, \"load_parse_validate_ms\": "
            + "%.0f, \"diff_ms\": %.1f, \"changes\": %d, \"command_stall_ms\": %.0f, \"peak_heap_mib\": %.1f, "
            + "\"heap_after_mib\": %.1f}", name, lineCount, reload, load, diff, changes, stall, peak, after);
        System.out.println(line.strip());
        return line;
    }

    private static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
    }

    private static double heapUsedMib() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
    }

    private static double peakHeapMib() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum / (1024.0 * 1024.0);
    }

    /**
     * {@code services} TCP services 10.250.(i/256).(i%256):80, each with {@code per} real servers; version 1
     * changes every weight, replaces every tenth real server and every hundredth service.
     */
    static String rules(int services, int per, int version) {
        StringBuilder b = new StringBuilder(services * (per + 1) * 48);
        int n = 0;
        for (int s = 0; s < services; s++) {
            int vip = version == 1 && s % 100 == 0 ? s + services : s;
            String svc = "-t 10." + (250 + (vip >> 16 & 3)) + "." + (vip >> 8 & 255) + "." + (vip & 255) + ":80";
            b.append("-A ").append(svc).append(" -s wlc\n");
            for (int i = 0; i < per; i++, n++) {
                int a = version == 1 && n % 10 == 0 ? n + services * per : n;
                b.append("-a ").append(svc).append(" -r 10.").append(a >> 16 & 127).append('.').append(a >> 8 & 255)
                    .append('.').append(a & 255).append(":80 -m -w ").append(1 + (n + version) % 100).append('\n');
            }
        }
        return b.toString();
    }
}
