package uvs.sim;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** Writes a simulation result: a terminal table, a CSV file, and summary lines {@code NAME: VALUE}. */
public final class SimReport {
    private static final String CSV_HEADER = "second,a_active,a_inact,a_persist,b_active,b_inact,b_persist,"
        + "agree_active_pct,agree_inact_pct,agree_persist_pct,sync_datagrams,sync_bytes,new_conns_to_quiesced";

    private SimReport() {
    }

    /** Prints the table of samples followed by the summary lines. */
    public static void print(SimResult r, PrintWriter out) {
        Scenario s = r.scenario();
        // the director count only when it differs from the original two, so two-director reports stay as they were
        out.printf(Locale.ROOT, "scenario %s: %d clients, %.2f new conns/s,%s seed %d%n", s.name(), s.clients(),
            s.newConnsPerSecond(), s.directors() == 2 ? "" : " " + s.directors() + " directors (A, B shown),",
            r.seed());
        out.printf(Locale.ROOT, "%7s %9s %9s %9s %9s %9s %9s %8s %8s %8s %9s %11s %6s%n", "second", "A.active",
            "A.inact", "A.persist", "B.active", "B.inact", "B.persist", "agr.act", "agr.ina", "agr.per",
            "sync.dgm", "sync.bytes", "to.q");
        for (SimResult.Sample x : r.samples()) {
            out.printf(Locale.ROOT, "%7d %9d %9d %9d %9d %9d %9d %8s %8s %8s %9d %11d %6d%n", x.second(), x.a()[0],
                x.a()[1], x.a()[2], x.b()[0], x.b()[1], x.b()[2], pct(x.agreement()[0]), pct(x.agreement()[1]),
                pct(x.agreement()[2]), x.syncDatagrams(), x.syncBytes(), x.toQuiesced());
        }
        out.println();
        for (Map.Entry<String, String> e : r.summary().entrySet()) {
            out.println(e.getKey() + ": " + e.getValue());
        }
        out.flush();
    }

    /**
     * Writes the samples as CSV to {@code DIR/NAME.csv}; agreements are empty where not measured; with more than
     * two directors, the counters of directors 3..N follow.
     *
     * @return the file written
     * @throws IOException if the file cannot be written
     */
    public static Path writeCsv(SimResult r, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(r.scenario().name() + ".csv");
        StringBuilder sb = new StringBuilder(CSV_HEADER);
        // directors 3..N after the original columns, so that two-director files stay as they were
        for (int d = 3; d <= r.scenario().directors(); d++) {
            sb.append(",d").append(d).append("_active,d").append(d).append("_inact,d").append(d).append("_persist");
        }
        sb.append('\n');
        for (SimResult.Sample x : r.samples()) {
            sb.append(x.second());
            for (long v : x.a()) {
                sb.append(',').append(v);
            }
            for (long v : x.b()) {
                sb.append(',').append(v);
            }
            for (double v : x.agreement()) {
                sb.append(',').append(Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.3f", v));
            }
            sb.append(',').append(x.syncDatagrams()).append(',').append(x.syncBytes()).append(',')
                .append(x.toQuiesced());
            for (long[] o : x.others()) {
                for (long v : o) {
                    sb.append(',').append(v);
                }
            }
            sb.append('\n');
        }
        Files.writeString(file, sb, StandardCharsets.UTF_8);
        return file;
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f%%", v);
    }
}
