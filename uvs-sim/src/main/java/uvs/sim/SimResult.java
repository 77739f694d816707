package uvs.sim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one simulation run measured: one row per sample and the summary lines.
 *
 * @param scenario the scenario as run (after scaling)
 * @param seed     the seed of the client population and the sync loss
 * @param samples  measurement rows in time order
 * @param summary  headline values by name, in report order, already formatted
 */
public record SimResult(Scenario scenario, long seed, List<Sample> samples, Map<String, String> summary) {

    /**
     * One measurement row.
     *
     * @param second       virtual time of the row
     * @param a            ActiveConn, InActConn, PersistConn totals on director A
     * @param b            the same on director B
     * @param agreement    settled backup/master agreement in % for the three counters (NaN once A is dead or
     *                     when nothing was eligible)
     * @param syncDatagrams sync datagrams all masters sent so far
     * @param syncBytes    sync wire bytes (payload + IPv4/UDP headers) all masters sent so far
     * @param toQuiesced   new connections scheduled to the quiesced server since the previous row
     * @param others       the same totals on directors 3..N (none with two directors)
     */
    public record Sample(int second, long[] a, long[] b, double[] agreement, long syncDatagrams, long syncBytes,
                        long toQuiesced, long[][] others) {
    }

    /** Copies the samples and the summary (keeping its order). */
    public SimResult {
        samples = List.copyOf(samples);
        summary = Collections.unmodifiableMap(new LinkedHashMap<>(summary));
    }
}
