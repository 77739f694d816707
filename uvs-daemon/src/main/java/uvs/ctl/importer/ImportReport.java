package uvs.ctl.importer;

import java.time.Duration;
import uvs.ctl.health.CheckTiming;
import uvs.sync.SyncDaemonConfig;
import uvs.ctl.health.FailureAction;
import uvs.ctl.health.SorryServer;

/**
 * The text {@code uvsadm --import} prints: the rules as they are, everything else (sysctls, sync daemons,
 * checks, diagnostics) on lines starting with '#', so that the whole report is valid {@code ipvsadm -R} input
 * (the restore reader skips '#' lines).
 */
public final class ImportReport {
    private ImportReport() {
    }

    /** The report of {@code r}. */
    public static String format(ImportResult r) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("# imported from ").append(r.source()).append('\n');
        if (r.hasErrors()) {
            sb.append("# not imported: ").append(r.diagnostics(Severity.ERROR).size()).append(" error(s)\n");
        }
        for (String rule : r.rules()) {
            sb.append(rule).append('\n');
        }
        for (String sysctl : r.sysctls()) {
            sb.append("# sysctl ").append(sysctl).append('\n');
        }
        for (SyncDaemonConfig s : r.syncDaemons()) {
            sb.append("# ").append(s.describe()).append('\n');
        }
        for (String c : r.checkLines()) {
            sb.append("# check ").append(c).append('\n');
        }
        for (Diagnostic d : r.diagnostics()) {
            sb.append("# ").append(d).append('\n');
        }
        return sb.toString();
    }

    /** The report's {@code # check} line (without that prefix) of a checker of {@code s} called {@code label}. */
    static String checkLine(CheckedServer s, String label, CheckText settings) {
        StringBuilder sb = new StringBuilder(128);
        CheckTiming t = s.timing();
        sb.append(s.service()).append(" -> ").append(s.address().withPort(s.port())).append(": ")
            .append(label)
            .append(" every ").append(time(t.interval())).append(", timeout ").append(time(t.timeout()))
            .append(", retries ").append(t.retries() - 1).append(" every ").append(time(t.delayBeforeRetry()))
            .append(", warmup up to ").append(time(t.warmup()))
            .append(", weight ").append(s.weight())
            .append(", on failure ").append(action(s.onFailure()));
        SorryServer sorry = s.sorry();
        if (sorry != null) {
            sb.append(", sorry ").append(sorry.address().withPort(sorry.port())).append(' ')
                .append(sorry.config().forward().ipvsadmOption()).append(" -w ").append(sorry.config().weight())
                .append(" (").append(action(sorry.onRelease())).append(" when not needed)");
        }
        String written = settings.written();
        if (!written.isEmpty()) {
            sb.append(';').append(written);
        }
        return sb.toString();
    }

    private static String action(FailureAction a) {
        return a == FailureAction.QUIESCE ? "quiesce" : "remove";
    }

    private static String time(Duration d) {
        return ConfValues.seconds(d) + "s";
    }
}
