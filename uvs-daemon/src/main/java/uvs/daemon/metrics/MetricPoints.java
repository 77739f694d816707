package uvs.daemon.metrics;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.List;

/** Small builders shared by UVS's Prometheus collectors: data points, metric families, label text. */
public final class MetricPoints {
    private MetricPoints() {
    }

    /** A gauge point with one label. */
    public static GaugeDataPointSnapshot gp(double v, String label, String value) {
        return GaugeDataPointSnapshot.builder().value(v).labels(Labels.of(label, value)).build();
    }

    /** A counter point with one label. */
    public static CounterDataPointSnapshot cp(double v, String label, String value) {
        return CounterDataPointSnapshot.builder().value(v).labels(Labels.of(label, value)).build();
    }

    /** A gauge family. */
    public static GaugeSnapshot gauge(String name, String help, List<GaugeDataPointSnapshot> points) {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
        points.forEach(b::dataPoint);
        return b.build();
    }

    /** A counter family. */
    public static CounterSnapshot counter(String name, String help, List<CounterDataPointSnapshot> points) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
        points.forEach(b::dataPoint);
        return b.build();
    }

    /** A counter family with one unlabelled value. */
    public static CounterSnapshot counter(String name, String help, long value) {
        return counter(name, help, List.of(CounterDataPointSnapshot.builder().value(value).build()));
    }
}
