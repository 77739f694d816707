package uvs.lab.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Median and spread of repeated measurements.
 *
 * @param median the middle value (mean of the two middle ones for an even count)
 * @param min smallest value
 * @param max largest value
 */
public record Spread(double median, double min, double max) {
    /** The spread of {@code values} (at least one). */
    public static Spread of(double... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no measurements to summarise");
        }
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        double median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
        return new Spread(median, v[0], v[n - 1]);
    }

    /** (max - min) / median in percent; 0 when the median is 0. */
    public double spreadPercent() {
        return median == 0 ? 0 : 100 * (max - min) / median;
    }

    /** The report form: median, min, max (rounded to whole units) and spread in percent. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("median", Math.round(median));
        m.put("min", Math.round(min));
        m.put("max", Math.round(max));
        m.put("spread_pct", spreadPercent());
        return m;
    }
}
