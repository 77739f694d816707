package uvs.daemon;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import java.util.function.Consumer;
import uvs.core.Engine;
import uvs.core.EngineConfig;
import uvs.core.svc.VirtualService;
import uvs.core.tune.SysctlFile;
import uvs.ctl.ConfigFile;
import uvs.ctl.cli.IpvsadmException;
import uvs.ctl.cli.IpvsadmExecutor;
import uvs.ctl.cli.RestoreLine;
import uvs.net.sys.RouteTable;
import uvs.time.ManualClock;

/**
 * uvsd's configuration files (tunables, and rules or an imported keepalived/ldirectord file), read and
 * checked completely before anything is applied, on the thread that loads them, never the engine's: each
 * file is read with {@link ConfigFile}'s limits, the tunables are tried on a copy, and the rules are
 * applied to an empty engine sized for a handful of connections, so checking costs memory in proportion to
 * the rules, not to {@code --capacity}. {@link #applyTo} then brings a live engine to the result; it
 * cannot fail half-way.
 *
 * <p>A rules file whose last line has no newline looks cut off while it was written and is refused. On a
 * reload, a file that would remove every service is refused unless it says so with a line
 * {@value #ALLOW_EMPTY}.
 */
public final class DaemonFiles {
    /** The line by which a rules file declares that it means to remove every service. */
    public static final String ALLOW_EMPTY = "# uvs: allow-empty";
    /** Connections of the engines that check a configuration: they hold services, not traffic. */
    private static final int CHECK_CONNECTIONS = 16;

    private final SysctlFile sysctl;
    private final Engine wanted;
    private final ImportedConfig imported;
    private final boolean allowEmpty;
    private final String rulesSource;

    private DaemonFiles(SysctlFile sysctl, Engine wanted, ImportedConfig imported, boolean allowEmpty,
                        String rulesSource) {
        this.sysctl = sysctl;
        this.wanted = wanted;
        this.imported = imported;
        this.allowEmpty = allowEmpty;
        this.rulesSource = rulesSource;
    }

    /**
     * Reads and checks the files of {@code config}.
     *
     * @throws IllegalArgumentException naming the file (and line) of the first problem
     */
    public static DaemonFiles load(UvsdConfig config) throws IOException {
        EngineConfig small = config.engine().withCapacity(CHECK_CONNECTIONS, CHECK_CONNECTIONS);
        SysctlFile sysctl = null;
        if (config.sysctl() != null) {
            String text = ConfigFile.readText(config.sysctl(), ConfigFile.MAX_SYSCTL);
            sysctl = SysctlFile.read(config.sysctl().toString(), new StringReader(text));
            // all or nothing: throws for the first bad line, naming it
            new Engine(new ManualClock(), small).applySysctl(sysctl.entries());
        }
        ImportedConfig imported = null;
        String text = null;
        String source = null;
        boolean allowEmpty = false;
        if (config.importFile() != null) {
            ConfigFile.readBytes(config.importFile(), ConfigFile.MAX_RULES);
            imported = ImportedConfig.read(config.importFile());
            text = imported.rulesText();
            source = config.importFile() + " (translated rules)";
            allowEmpty = true;
        }
        String extra = null;
        if (config.rules() != null) {
            String rules = ConfigFile.readText(config.rules(), ConfigFile.MAX_RULES);
            if (!rules.isEmpty() && !rules.endsWith("\n")) {
                throw new IllegalArgumentException(config.rules() + ": the last line has no newline: the file looks "
                    + "cut off (write it whole, e.g. with uvsadm -S --output FILE)");
            }
            if (imported != null) {
                extra = rules;
            } else {
                text = rules;
                source = config.rules().toString();
                allowEmpty = rules.lines().anyMatch(l -> l.strip().equals(ALLOW_EMPTY));
            }
        }
        if (text == null) {
            return new DaemonFiles(sysctl, null, null, true, null);
        }
        Engine wanted = new Engine(new ManualClock(), small);
        List<RestoreLine> lines = restore(wanted, text, source, config, small, null);
        if (extra != null) {
            // --import with --rules: the rules file adds to the import (ExtraRules)
            restore(wanted, extra, config.rules().toString(), config, small,
                extraLines -> ExtraRules.check(lines, config.importFile().toString(), extraLines,
                    config.rules().toString()));
        }
        return new DaemonFiles(sysctl, wanted, imported, allowEmpty, source);
    }

    // parses text, checks it (when asked), its real servers' reach, and applies it to wanted; errors name source:line
    private static List<RestoreLine> restore(Engine wanted, String text, String source, UvsdConfig config,
                                             EngineConfig small, Consumer<List<RestoreLine>> check)
            throws IOException {
        try {
            List<RestoreLine> lines = RulesReconciler.parse(text);
            if (check != null) {
                check.accept(lines);
            }
            if (config.dataPlane() != null) {
                new RealServerReach(config.dataPlane().interfaces(), RouteTable::load).check(lines);
            }
            IpvsadmExecutor.applyRestore(wanted, lines, new Engine(new ManualClock(), small));
            return lines;
        } catch (IpvsadmException ex) {
            throw new IllegalArgumentException(source + ":" + ex.line() + ": " + Messages.clip(ex.ipvsadmMessage().strip()),
                ex);
        } catch (IllegalArgumentException ex) {
            if (ex.getMessage() != null && ex.getMessage().startsWith(source + ":")) {
                throw ex;
            }
            throw new IllegalArgumentException(source + ": " + Messages.of(ex), ex);
        }
    }

    /** The imported keepalived/ldirectord configuration, or null. */
    public ImportedConfig imported() {
        return imported;
    }

    /** Services the rules ask for, or -1 without rules. */
    public int services() {
        return wanted == null ? -1 : wanted.services().size();
    }

    /**
     * Refuses, changing nothing, what {@link #applyTo} would refuse on {@code live}: rules that remove every
     * service without saying so.
     *
     * @throws IllegalArgumentException naming the rules file
     */
    public void check(Engine live) {
        if (wanted != null && wanted.services().isEmpty() && !live.services().isEmpty() && !allowEmpty) {
            throw new IllegalArgumentException(rulesSource + ": no services: it would remove all "
                + live.services().size() + " services; an empty or cut-off file is refused unless it has a line \""
                + ALLOW_EMPTY + "\"");
        }
    }

    /**
     * Brings {@code live} (on its own thread) to these files: tunables, then services and real servers with
     * the fewest changes. Checks first ({@link #check}), so a refusal changes nothing.
     *
     * @return the warnings of the tunables file (lines marked to ignore errors that failed)
     */
    public List<String> applyTo(Engine live) {
        check(live);
        List<String> warnings = sysctl == null ? List.of() : live.applySysctl(sysctl.entries());
        if (wanted != null) {
            RulesReconciler.reconcile(live, wanted);
        }
        return warnings;
    }

    /** Real servers the rules ask for, in all services. */
    public int realServers() {
        if (wanted == null) {
            return 0;
        }
        int n = 0;
        for (VirtualService s : wanted.services()) {
            n += s.destCount();
        }
        return n;
    }
}
