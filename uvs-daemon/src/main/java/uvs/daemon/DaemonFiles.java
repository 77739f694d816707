package uvs.daemon;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import uvs.core.Engine;
import uvs.core.tune.SysctlFile;
import uvs.core.tune.Tunables;
import uvs.ctl.ConfigFile;
import uvs.ctl.cli.IpvsadmException;
import uvs.ctl.cli.IpvsadmParser;
import uvs.ctl.cli.RestoreLine;
import uvs.ctl.model.Change;
import uvs.ctl.model.ConfigValidator;
import uvs.ctl.model.DirectorConfig;
import uvs.ctl.model.EngineModel;
import uvs.ctl.model.Problem;
import uvs.ctl.model.Reconciler;
import uvs.ctl.model.RulesBuilder;
import uvs.net.sys.RouteTable;

/**
 * uvsd's configuration files (tunables, and rules or an imported keepalived/ldirectord file), read and
 * checked completely before anything is applied, on the thread that loads them (a control thread, never
 * an engine's): each file is read with {@link ConfigFile}'s limits, the tunables are tried on a
 * {@link Tunables} of their own, and the rules become a {@link DirectorConfig} checked by the
 * {@link ConfigValidator}, every problem reported with file:line. No engine is built to check them. The
 * result is one {@link DirectorConfig}, always: services, timeouts, sync daemons, the import's health
 * checks, the tunables and the data-plane settings of uvsd's command line (fixed for the life of the
 * process). Without {@code --rules} and {@code --import} its services are empty and not applied: the
 * table is then uvsadm's to manage, and only the tunables are uvsd's.
 * {@link #changes} then diffs the result against what the engines run, still on the loading thread, and
 * {@link #apply} is all an engine's thread does: the tunables and the ordered changes.
 *
 * <p>A rules file whose last line has no newline looks cut off while it was written and is refused. On a
 * reload, a file that would remove every service is refused unless it says so with a line
 * {@value #ALLOW_EMPTY}.
 */
public final class DaemonFiles {
    /** The line by which a rules file declares that it means to remove every service. */
    public static final String ALLOW_EMPTY = "# uvs: allow-empty";
    /** Changes a shard applies in one go on a reload. */
    static final int BATCH = 1024;

    private final SysctlFile sysctl;
    private final DirectorConfig desired;
    // --rules or --import given: the services of desired are the table
    private final boolean managesServices;
    private final ImportedConfig imported;
    private final boolean allowEmpty;
    private final String rulesSource;

    private DaemonFiles(SysctlFile sysctl, DirectorConfig desired, boolean managesServices, ImportedConfig imported,
                        boolean allowEmpty, String rulesSource) {
        this.sysctl = sysctl;
        this.desired = desired;
        this.managesServices = managesServices;
        this.imported = imported;
        this.allowEmpty = allowEmpty;
        this.rulesSource = rulesSource;
    }

    /**
     * Reads and checks the files of {@code config}.
     *
     * @throws IllegalArgumentException naming the file and line of every problem (one per line), or of the
     *     first line that does not parse
     */
    public static DaemonFiles load(UvsdConfig config) throws IOException {
        SysctlFile sysctl = null;
        if (config.sysctl() != null) {
            String text = ConfigFile.readText(config.sysctl(), ConfigFile.MAX_SYSCTL);
            sysctl = SysctlFile.read(config.sysctl().toString(), new StringReader(text));
            // all or nothing: throws for the first bad line, naming it
            new Tunables().applyAll(sysctl.entries());
        }
        ImportedConfig imported = null;
        DirectorConfig desired = null;
        String source = null;
        boolean allowEmpty = false;
        if (config.importFile() != null) {
            ConfigFile.readBytes(config.importFile(), ConfigFile.MAX_RULES);
            imported = ImportedConfig.read(config.importFile());
            desired = imported.config();
            source = config.importFile().toString();
            allowEmpty = true;
        }
        if (config.rules() != null) {
            String rules = ConfigFile.readText(config.rules(), ConfigFile.MAX_RULES);
            String file = config.rules().toString();
            if (!rules.isEmpty() && !rules.endsWith("\n")) {
                throw new IllegalArgumentException(file + ": the last line has no newline: the file looks "
                    + "cut off (write it whole, e.g. with uvsadm -S --output FILE)");
            }
            List<RestoreLine> lines = parse(rules, file);
            RulesBuilder b;
            if (desired != null) {
                // --import with --rules: the rules file adds to the import (ExtraRules)
                ExtraRules.check(desired, config.importFile().toString(), lines, file);
                b = new RulesBuilder(ConfigValidator.standard(), desired);
            } else {
                b = new RulesBuilder(ConfigValidator.standard());
                source = file;
                allowEmpty = rules.lines().anyMatch(l -> l.strip().equals(ALLOW_EMPTY));
            }
            b.applyAll(file, lines);
            refuse(b.problems());
            DirectorConfig base = desired;
            desired = b.build().withSyncDaemons(base == null ? List.of() : base.syncDaemons())
                .withChecks(base == null ? List.of() : base.checks());
        }
        boolean managesServices = desired != null;
        if (managesServices) {
            refuse(ConfigValidator.checkProblems(desired));
            if (config.dataPlane() != null) {
                refuse(new RealServerReach(config.dataPlane().interfaces(), RouteTable::load).problems(desired));
            }
        } else {
            desired = DirectorConfig.EMPTY;
        }
        desired = desired.withTunables(sysctl).withDataPlane(config.dataPlane());
        return new DaemonFiles(sysctl, desired, managesServices, imported, !managesServices || allowEmpty, source);
    }

    private static List<RestoreLine> parse(String text, String file) throws IOException {
        try {
            return IpvsadmParser.parseRestore(new StringReader(text));
        } catch (IpvsadmException ex) {
            throw new IllegalArgumentException(file + ":" + ex.line() + ": " + Messages.clip(ex.ipvsadmMessage().strip()),
                ex);
        }
    }

    private static void refuse(List<Problem> problems) {
        if (!problems.isEmpty()) {
            List<String> lines = new ArrayList<>(problems.size());
            for (Problem p : problems) {
                lines.add(p.toString());
            }
            throw new IllegalArgumentException(String.join("\n", lines));
        }
    }

    /** The imported keepalived/ldirectord configuration, or null. */
    public ImportedConfig imported() {
        return imported;
    }

    /**
     * The whole desired state: the services the rules (or the import) ask for (none, and not applied, without
     * either), the checks, the tunables and the data-plane settings.
     */
    public DirectorConfig desired() {
        return desired;
    }

    /** Services the rules ask for, or -1 without rules. */
    public int services() {
        return managesServices ? desired.services().size() : -1;
    }

    /** Real servers the rules ask for, in all services. */
    public int realServers() {
        return managesServices ? desired.realServerCount() : 0;
    }

    /**
     * Refuses, changing nothing, rules that would remove every one of the services {@code current} runs
     * without saying so.
     *
     * @throws IllegalArgumentException naming the rules file
     */
    public void check(DirectorConfig current) {
        if (managesServices && desired.services().isEmpty() && !current.services().isEmpty() && !allowEmpty) {
            throw new IllegalArgumentException(rulesSource + ": no services: it would remove all "
                + current.services().size() + " services; an empty or cut-off file is refused unless it has a line \""
                + ALLOW_EMPTY + "\"");
        }
    }

    /**
     * The ordered changes that bring an engine running {@code current} to these rules ({@link #check}ed
     * first); empty without rules or an import. Pure: for the loading thread.
     */
    public List<Change> changes(DirectorConfig current) {
        check(current);
        return managesServices ? Reconciler.diff(current, desired) : List.of();
    }

    /**
     * On {@code live}'s own thread: the tunables, then {@code changes}.
     *
     * @return the warnings of the tunables file (lines marked to ignore errors that failed)
     */
    public List<String> apply(Engine live, List<Change> changes) {
        List<String> warnings = sysctl == null ? List.of() : live.applySysctl(sysctl.entries());
        EngineModel.apply(live, changes);
        return warnings;
    }

    /**
     * Applies the tunables and {@code changes} to every shard of {@code engines}, in batches of
     * {@value #BATCH} changes, each waited for before the next is queued: a shard's thread goes back to its
     * packets between batches, so a reload of a hundred thousand lines never holds one for long.
     *
     * @return the warnings of the tunables file
     * @throws java.util.concurrent.TimeoutException when a shard does not answer a batch within {@code seconds}
     */
    public List<String> applyTo(EngineGroup engines, List<Change> changes, int seconds) throws Exception {
        List<String> warnings = engines.call(e -> apply(e, changes.subList(0, Math.min(BATCH, changes.size()))),
            seconds);
        for (int from = BATCH; from < changes.size(); from += BATCH) {
            List<Change> batch = changes.subList(from, Math.min(from + BATCH, changes.size()));
            engines.call(e -> {
                EngineModel.apply(e, batch);
                return null;
            }, seconds);
        }
        return warnings;
    }

    /** {@link #changes} and {@link #apply} at once, for an engine no other thread runs yet. */
    public List<String> applyTo(Engine live) {
        return apply(live, changes(EngineModel.of(live)));
    }
}
