package uvs.ctl.importer;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import uvs.core.net.IpAddress;
import uvs.core.svc.ServiceKey;
import uvs.daemon.health.CheckTiming;
import uvs.daemon.health.FailureAction;
import uvs.daemon.health.SorryServer;

/**
 * One checker of one real server as the importer read it, its settings by the source tool's keywords. It
 * stays inside the importer (and its report's {@code # check} lines): {@code CheckPlanner} turns it into
 * the typed {@link uvs.ctl.model.CheckSpec} the health checker runs.
 *
 * @param source the line that defines the check (the checker block, or the ldirectord virtual or real line)
 * @param service the virtual service
 * @param realAddress the real server checked
 * @param realPort its port in the rules
 * @param kind what the check does
 * @param fields the check's own settings by the source tool's keyword (e.g. {@code url.1.path},
 *               {@code connect_port}, {@code misc_path}, {@code request}); insertion ordered
 * @param timing when it runs (its warm-up the upper bound each start draws below)
 * @param onFailure what a failure does to the real server
 * @param weight the weight the real server has while up
 * @param sorry the service's sorry/fallback server, or null
 */
public record ImportedCheck(SourceLocation source, ServiceKey service, IpAddress realAddress, int realPort,
                            ImportedCheckKind kind, Map<String, String> fields, CheckTiming timing,
                            FailureAction onFailure, int weight, SorryServer sorry) {
    /** Checks the values and keeps an unmodifiable copy of the fields in their order. */
    public ImportedCheck {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(realAddress, "realAddress");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(timing, "timing");
        Objects.requireNonNull(onFailure, "onFailure");
        if (realPort < 0 || realPort > 65_535) {
            throw new IllegalArgumentException("real port " + realPort + " outside 0..65535");
        }
        if (weight < 0 || weight > 65_535) {
            throw new IllegalArgumentException("weight " + weight + " outside 0..65535");
        }
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** This check with one more setting (or another value for it). */
    ImportedCheck withField(String key, String value) {
        Map<String, String> f = new LinkedHashMap<>(fields);
        f.put(key, value);
        return new ImportedCheck(source, service, realAddress, realPort, kind, f, timing, onFailure, weight, sorry);
    }
}
