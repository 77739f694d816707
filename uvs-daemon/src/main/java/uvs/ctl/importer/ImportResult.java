package uvs.ctl.importer;

import java.util.List;
import java.util.Objects;
import uvs.ctl.format.RulesText;
import uvs.ctl.model.CheckSpec;
import uvs.ctl.model.ConfigValidator;
import uvs.ctl.model.DirectorConfig;
import uvs.ctl.model.Problem;
import uvs.sync.SyncDaemonConfig;

/**
 * What an import produced. When any diagnostic is an {@link Severity#ERROR} the output is empty: a
 * configuration is translated completely or not at all.
 *
 * @param source the imported file as given
 * @param config the services, real servers, timeouts, sync daemons and typed health checks, in file order
 * @param sysctls {@code name = value} lines for {@code uvs.core.tune.SysctlFile}; neither keepalived nor
 *                ldirectord sets a sysctl, so they give none
 * @param checkLines each check as read, by the source tool's keywords, in file order: the text of the report's
 *                   {@code # check} lines (what runs is {@link #healthChecks()})
 * @param uncheckedServers real servers whose kind of check UVS does not run: they stay up unchecked
 * @param diagnostics everything ignored, unsupported, corrected, wrong or not run as written, by file (in the
 *                    order they were read) and line
 * @param syncFollow the VRRP instance whose state picks the sync daemon's role, or null when both the master
 *                   and the backup run
 */
public record ImportResult(String source, DirectorConfig config, List<String> sysctls, List<String> checkLines,
                           int uncheckedServers, List<Diagnostic> diagnostics,
                           SyncFollow syncFollow) {
    /** Keeps immutable copies; outputs must be empty when there are errors. */
    public ImportResult {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(config, "config");
        sysctls = List.copyOf(sysctls);
        checkLines = List.copyOf(checkLines);
        diagnostics = List.copyOf(diagnostics);
        boolean failed = diagnostics.stream().anyMatch(d -> d.severity() == Severity.ERROR);
        boolean empty = config.services().isEmpty() && config.timeouts() == null && !config.flush()
            && config.syncDaemons().isEmpty();
        if (failed && !(empty && sysctls.isEmpty() && checkLines.isEmpty() && config.checks().isEmpty())) {
            throw new IllegalArgumentException("an import with errors must have no output");
        }
        if (failed) {
            syncFollow = null;
        }
    }

    /**
     * An import whose sync daemons (if any) both run, whatever any VRRP instance does; its checks are planned
     * here and what does not run as written is added to the diagnostics.
     */
    ImportResult(String source, DirectorConfig config, List<ReadCheck> checks, List<Diagnostic> diagnostics) {
        Diagnostics d = Diagnostics.of(diagnostics);
        CheckPlanner plan = CheckPlanner.of(checks, d);
        this(source, config.withChecks(plan.specs()), List.of(), lines(checks), plan.unchecked(),
            d.list(), null);
    }

    /**
     * The result of an import: {@code checks} planned (what does not run as written added to {@code d}), or,
     * when {@code d} has errors, a failed one.
     */
    static ImportResult of(String source, DirectorConfig config, List<ReadCheck> checks, Diagnostics d,
                           SyncFollow syncFollow) {
        if (d.hasErrors()) {
            return failed(source, d.list());
        }
        CheckPlanner plan = CheckPlanner.of(checks, d);
        DirectorConfig typed = config.withChecks(plan.specs());
        for (Problem p : ConfigValidator.checkProblems(typed)) {
            d.error(p.at(), p.message());
        }
        if (d.hasErrors()) {
            return failed(source, d.list());
        }
        for (Problem p : ConfigValidator.checkWarnings(typed)) {
            d.warn(p.at(), p.message());
        }
        return new ImportResult(source, typed, List.of(), lines(checks), plan.unchecked(), d.list(),
            syncFollow);
    }

    private static List<String> lines(List<ReadCheck> checks) {
        return checks.stream().map(ReadCheck::line).toList();
    }

    /** A failed import: only the diagnostics. */
    public static ImportResult failed(String source, List<Diagnostic> diagnostics) {
        return new ImportResult(source, DirectorConfig.EMPTY, List.of(), List.of(), 0, diagnostics, null);
    }

    /** True when at least one diagnostic is an error (and so there is no output). */
    public boolean hasErrors() {
        return diagnostics.stream().anyMatch(d -> d.severity() == Severity.ERROR);
    }

    /** The diagnostics of one severity. */
    public List<Diagnostic> diagnostics(Severity severity) {
        return diagnostics.stream().filter(d -> d.severity() == severity).toList();
    }

    /** The typed health checks, one per checked real server ({@link DirectorConfig#checks()}). */
    public List<CheckSpec> healthChecks() {
        return config.checks();
    }

    /** The sync daemons to start. */
    public List<SyncDaemonConfig> syncDaemons() {
        return config.syncDaemons();
    }

    /**
     * The configuration as {@code ipvsadm -R} lines ({@code -C} and {@code --set} first, then each {@code -A}
     * with its {@code -a} lines), written from {@link #config()}.
     */
    public List<String> rules() {
        return RulesText.lines(config);
    }

    /** {@link #rules()} as {@code ipvsadm -R} input: one per line, each ending in a newline. */
    public String rulesText() {
        return RulesText.text(config);
    }
}
