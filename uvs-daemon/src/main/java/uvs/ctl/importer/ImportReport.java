package uvs.ctl.importer;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import uvs.ctl.format.RulesText;
import uvs.daemon.health.CheckTiming;
import uvs.sync.SyncDaemonConfig;
import uvs.daemon.health.FailureAction;
import uvs.daemon.health.SorryServer;

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

    // each check as read: what the report's '# check' lines say
    static List<String> checkLines(List<ImportedCheck> checks) {
        return checks.stream().map(ImportReport::checkLine).toList();
    }

    private static String checkLine(ImportedCheck c) {
        StringBuilder sb = new StringBuilder(128);
        CheckTiming t = c.timing();
        sb.append(c.service()).append(" -> ").append(RulesText.addrPort(c.realAddress(), c.realPort())).append(": ")
            .append(c.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'))
            .append(" every ").append(time(t.interval())).append(", timeout ").append(time(t.timeout()))
            .append(", retries ").append(t.retries() - 1).append(" every ").append(time(t.delayBeforeRetry()))
            .append(", warmup up to ").append(time(t.warmup()))
            .append(", weight ").append(c.weight())
            .append(", on failure ").append(action(c.onFailure()));
        SorryServer s = c.sorry();
        if (s != null) {
            sb.append(", sorry ").append(RulesText.addrPort(s.address(), s.port())).append(' ')
                .append(s.config().forward().ipvsadmOption()).append(" -w ").append(s.config().weight())
                .append(" (").append(action(s.onRelease())).append(" when not needed)");
        }
        if (!c.fields().isEmpty()) {
            sb.append(';');
            for (Map.Entry<String, String> e : c.fields().entrySet()) {
                sb.append(' ').append(e.getKey()).append('=').append(quoted(e.getValue()));
            }
        }
        return sb.toString();
    }

    private static String action(FailureAction a) {
        return a == FailureAction.QUIESCE ? "quiesce" : "remove";
    }

    private static String time(Duration d) {
        return ConfValues.seconds(d) + "s";
    }

    // a value with blanks (or none) in double quotes, so that fields stay apart
    private static String quoted(String v) {
        return v.isEmpty() || v.chars().anyMatch(Character::isWhitespace) ? '"' + v + '"' : v;
    }
}
