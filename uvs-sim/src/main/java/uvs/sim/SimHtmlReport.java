package uvs.sim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.ToDoubleFunction;

/**
 * A self-contained HTML report of one run: the summary table and inline SVG line charts (agreement, the
 * directors' counters, sync Mbit/s over time). No scripts, no external resources.
 */
public final class SimHtmlReport {
    private static final int WIDTH = 720;
    private static final int HEIGHT = 220;
    private static final int PAD = 48;
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c"};

    private SimHtmlReport() {
    }

    /**
     * Writes {@code DIR/report.html}.
     *
     * @param extra further summary lines (measured, not deterministic), shown after the summary
     * @return the file written
     * @throws IOException if it cannot be written
     */
    public static Path write(SimResult r, Map<String, String> extra, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("report.html");
        Files.writeString(file, html(r, extra), StandardCharsets.UTF_8);
        return file;
    }

    /** The report as one HTML document. */
    static String html(SimResult r, Map<String, String> extra) {
        Scenario s = r.scenario();
        StringBuilder h = new StringBuilder(16_384);
        h.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>uvs sim: ").append(esc(s.name()))
            .append("</title>\n<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
                + "td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}svg{display:block;margin:1em 0}"
                + "</style></head><body>\n");
        h.append("<h1>uvs sim: ").append(esc(s.name())).append("</h1>\n<p>")
            .append(String.format(Locale.ROOT, "%d clients, %.2f new connections/s, %d s, seed %d", s.clients(),
                s.newConnsPerSecond(), s.duration(), r.seed())).append("</p>\n<table>\n");
        for (Map.Entry<String, String> e : r.summary().entrySet()) {
            row(h, e.getKey(), e.getValue());
        }
        for (Map.Entry<String, String> e : extra.entrySet()) {
            row(h, e.getKey(), e.getValue());
        }
        h.append("</table>\n");
        List<SimResult.Sample> x = r.samples();
        chart(h, "Backup/master agreement (%)", x, new String[] {"ActiveConn", "InActConn", "PersistConn"},
            k -> v -> v.agreement()[k]);
        chart(h, "Director A: connections", x, new String[] {"ActiveConn", "InActConn", "PersistConn"},
            k -> v -> v.a()[k]);
        chart(h, "Director B: connections", x, new String[] {"ActiveConn", "InActConn", "PersistConn"},
            k -> v -> v.b()[k]);
        double[] mbit = new double[x.size()];
        for (int i = 0; i < x.size(); i++) {
            long bytes = x.get(i).syncBytes() - (i == 0 ? 0 : x.get(i - 1).syncBytes());
            int secs = x.get(i).second() - (i == 0 ? 0 : x.get(i - 1).second());
            mbit[i] = bytes * 8.0 / Math.max(1, secs) / 1e6;
        }
        chart(h, "Sync traffic (Mbit/s, all masters)", x, new String[] {"Mbit/s"}, k -> v -> mbit[x.indexOf(v)]);
        h.append("</body></html>\n");
        return h.toString();
    }

    private static void row(StringBuilder h, String k, String v) {
        h.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v)).append("</td></tr>\n");
    }

    /** One SVG line chart; NaN values break the line (nothing was measured there). */
    private static void chart(StringBuilder h, String title, List<SimResult.Sample> x, String[] names,
                              IntFunction<ToDoubleFunction<SimResult.Sample>> series) {
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (int k = 0; k < names.length; k++) {
            for (SimResult.Sample v : x) {
                double y = series.apply(k).applyAsDouble(v);
                if (!Double.isNaN(y)) {
                    min = Math.min(min, y);
                    max = Math.max(max, y);
                }
            }
        }
        h.append("<h2>").append(esc(title)).append("</h2>\n");
        if (x.isEmpty() || min > max) {
            h.append("<p>not measured</p>\n");
            return;
        }
        if (max - min < 1e-9) {
            max = min + 1;
        }
        double t0 = 0;
        double t1 = Math.max(1, x.get(x.size() - 1).second());
        h.append(String.format(Locale.ROOT, "<svg width=\"%d\" height=\"%d\">",
            WIDTH, HEIGHT + 30));
        h.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"none\" "
            + "stroke=\"#999\"/>", PAD, WIDTH - PAD - 10, HEIGHT));
        h.append(text(2, 12, fmt(max))).append(text(2, HEIGHT, fmt(min)))
            .append(text(PAD, HEIGHT + 14, "0 s")).append(text(WIDTH - 70, HEIGHT + 14, (int) t1 + " s"));
        for (int k = 0; k < names.length; k++) {
            StringBuilder pts = new StringBuilder();
            for (SimResult.Sample v : x) {
                double y = series.apply(k).applyAsDouble(v);
                if (Double.isNaN(y)) {
                    polyline(h, pts, k);
                    pts.setLength(0);
                    continue;
                }
                double px = PAD + (v.second() - t0) / (t1 - t0) * (WIDTH - PAD - 10);
                double py = HEIGHT - (y - min) / (max - min) * HEIGHT;
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
            }
            polyline(h, pts, k);
            h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"%s\" font-size=\"12\">%s</text>",
                PAD + 10 + 120 * k, HEIGHT + 28, COLOURS[k], esc(names[k])));
        }
        h.append("</svg>\n");
    }

    private static void polyline(StringBuilder h, StringBuilder pts, int k) {
        if (!pts.isEmpty()) {
            h.append("<polyline fill=\"none\" stroke-width=\"1.5\" stroke=\"").append(COLOURS[k])
                .append("\" points=\"").append(pts).append("\"/>");
        }
    }

    private static String text(int x, int y, String s) {
        return String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text>", x, y, esc(s));
    }

    private static String fmt(double v) {
        return Math.abs(v) >= 1000 || v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v)
            : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
