package uvs.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import uvs.core.EngineConfig;
import uvs.daemon.Uvsd;
import uvs.daemon.UvsdConfig;
import uvs.time.ManualClock;

/**
 * How long uvsd takes to start with, and to reload, one service of many real servers, and the heap it
 * then holds: a rules file of N real servers is written, uvsd started on it (best of 3), then reloaded
 * with every weight changed and one server in ten replaced (best of 3), while another thread keeps asking
 * the engine thread for a trivial answer, as uvsadm commands would: the longest wait is the stall a reload
 * causes. Writes {@code bench/results/uvsd-scale.json}.
 * Usage: {@code java [-Duvs.scale.schedulers=sh,mh,...] -cp uvs-bench.jar uvs.bench.UvsdScaleReport [OUT.json [N ...]]}
 * (all of sh, mh, dh, wrr, wlc, rr, lblc by default).
 */
public final class UvsdScaleReport {
    private static final int RUNS = 3;

    private UvsdScaleReport() {
    }

    /** Entry point. */
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "bench/results/uvsd-scale.json");
        List<Integer> sizes = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            sizes.add(Integer.parseInt(args[i]));
        }
        if (sizes.isEmpty()) {
            sizes = List.of(5_000, 20_000, 40_000);
        }
        List<String> scheds = List.of(System.getProperty("uvs.scale.schedulers", "sh,mh,dh,wrr,wlc,rr,lblc").split(","));
        StringBuilder json = new StringBuilder("{\n  \"workload\": \"one service, N real servers; reload changes "
            + "every weight and replaces one server in ten\",\n  \"sizes\": {\n");
        for (int k = 0; k < sizes.size(); k++) {
            int n = sizes.get(k);
            for (int j = 0; j < scheds.size(); j++) {
                String sched = scheds.get(j);
                Result r = measure(n, sched);
                String line = String.format(Locale.ROOT,
                    "    \"%d %s\": {\"start_ms\": %.0f, \"reload_ms\": %.0f, \"command_stall_ms\": %.0f, "
                        + "\"heap_mib\": %.1f}", n, sched, r.startMs, r.reloadMs, r.stallMs, r.heapMib);
                System.out.println(line.strip());
                json.append(line).append(k + 1 < sizes.size() || j + 1 < scheds.size() ? ",\n" : "\n");
            }
        }
        json.append("  }\n}\n");
        Files.writeString(out, json);
    }

    private record Result(double startMs, double reloadMs, double stallMs, double heapMib) {
    }

    private static Result measure(int n, String sched) throws Exception {
        Path dir = Files.createTempDirectory("uvs-scale-");
        Path rules = dir.resolve("rules");
        double start = Double.MAX_VALUE;
        double reload = Double.MAX_VALUE;
        double heap = 0;
        double stall = Double.MAX_VALUE;
        try {
            for (int run = 0; run < RUNS; run++) {
                Files.writeString(rules, rules(n, sched, 0));
                System.gc();
                long t0 = System.nanoTime();
                try (Uvsd uvsd = new Uvsd(UvsdConfig.minimal(new ManualClock(),
                    EngineConfig.defaults().withCapacity(1024, 64), dir.resolve("control.sock")).withRules(rules))) {
                    start = Math.min(start, (System.nanoTime() - t0) / 1e6);
                    heap = heapMib();
                    Files.writeString(rules, rules(n, sched, 1));
                    StallProbe probe = new StallProbe(uvsd);
                    long t1 = System.nanoTime();
                    boolean ok = uvsd.reload();
                    reload = Math.min(reload, (System.nanoTime() - t1) / 1e6);
                    double worst = probe.stopMillis();
                    if (!ok) {
                        throw new IllegalStateException("reload refused");
                    }
                    stall = Math.min(stall, worst);
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
        return new Result(start, reload, stall, heap);
    }

    /** Heap in use after a collection, in MiB (uvsd's engine with its rules, this JVM's baseline included). */
    private static double heapMib() {
        MemoryMXBean m = ManagementFactory.getMemoryMXBean();
        System.gc();
        return m.getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
    }

    /** N servers 10.(i/65536).(i/256).(i%256):80; {@code version} 1 changes weights and every tenth server. */
    static String rules(int n, String sched, int version) {
        StringBuilder b = new StringBuilder(n * 48);
        b.append("-A -t 10.255.0.1:80 -s ").append(sched).append('\n');
        for (int i = 0; i < n; i++) {
            int a = version == 1 && i % 10 == 0 ? i + n : i;
            b.append("-a -t 10.255.0.1:80 -r 10.").append(a >> 16 & 255).append('.').append(a >> 8 & 255).append('.')
                .append(a & 255).append(":80 -m -w ").append(1 + (i + version) % 100).append('\n');
        }
        return b.toString();
    }
}
