package uvs.ctl.importer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Translates an ldirectord.cf (ldirectord(8)) into UVS rules and typed health checks ({@link uvs.ctl.model.CheckSpec}). As ldirectord reads
 * it: global {@code key = value} lines start in the first column; a {@code virtual=} line starts a section
 * whose lines are indented by at least 4 spaces or a tab, and any other line (a blank one too) ends it;
 * '#' starts a comment (here only outside double quotes). Global settings apply wherever they are in the file.
 *
 * <p>Where ldirectord's manual and code disagree the code is followed: {@code quiescent} defaults to "no"
 * (the manual says "yes"); an info diagnostic says so where the default is relied on.
 */
public final class LdirectordImporter {
    private static final Pattern KEY_VALUE = Pattern.compile("([A-Za-z][A-Za-z0-9_]*)\\s*=\\s*(.*)");
    private static final Set<String> NOT_APPLICABLE = Set.of("autoreload", "callback", "logfile", "supervised",
        "emailalert", "emailalertfreq", "emailalertstatus", "emailalertfrom", "cleanstop", "smtp", "readdquiescent");
    private static final Set<String> YES_NO = Set.of("autoreload", "fork", "supervised", "quiescent",
        "readdquiescent", "cleanstop");

    /** An importer (stateless: one instance can import any number of files). */
    public LdirectordImporter() {
        // nothing to set up
    }

    /**
     * Imports {@code file}.
     *
     * @throws IOException if the file cannot be read
     */
    public ImportResult importFile(Path file) throws IOException {
        String name = file.getFileName().toString();
        List<String> lines = ImportFormat.readLines(file);
        Diagnostics d = new Diagnostics();
        d.file(name);
        LdirectordSettings global = new LdirectordSettings();
        List<LdirectordVirtual> virtuals = new ArrayList<>();
        int interval = LdirectordSettings.DEFAULT_CHECKINTERVAL;
        boolean fork = false;
        LdirectordVirtual current = null;
        for (int i = 0; i < lines.size(); i++) {
            SourceLocation at = new SourceLocation(name, i + 1);
            String raw = lines.get(i);
            if (current != null) {
                if (raw.strip().startsWith("#")) {
                    continue;
                }
                String line = stripComment(raw).replace("\t", "    ");
                if (line.startsWith("    ") && !line.isBlank()) {
                    keyValue(at, line.strip(), d, current);
                    continue;
                }
                current = null;
            }
            String line = stripComment(raw);
            if (line.isBlank()) {
                continue;
            }
            if (Character.isWhitespace(line.charAt(0))) {
                d.error(at, "indented line outside a virtual section (a blank or unindented line ends a section)");
                continue;
            }
            Matcher m = KEY_VALUE.matcher(line.strip());
            if (m.matches() && (m.group(1).equals("virtual") || m.group(1).equals("virtual6"))) {
                current = LdirectordVirtual.start(at, m.group(2).strip(), m.group(1).equals("virtual6"), d);
                if (current != null) {
                    virtuals.add(current);
                } else {
                    // keep reading the section's lines so that they are not taken for global ones
                    current = LdirectordVirtual.start(at, "1", false, d);
                }
                continue;
            }
            if (line.strip().equals("supervised")) {
                d.warn(at, "a bare 'supervised' is deprecated; it does not apply to UVS anyway");
                continue;
            }
            if (!m.matches()) {
                d.warn(at, "unknown line '" + line.strip() + "': ignored");
                continue;
            }
            String key = m.group(1);
            String value = m.group(2).strip();
            switch (key) {
                case "checkinterval" -> interval = positive(at, key, value, d, interval);
                case "fork" -> {
                    if (yesNo(at, key, value, d)) {
                        fork = value.equals("yes");
                        d.info(at, "fork does not apply to UVS (it only decides whether per-virtual checkinterval "
                            + "counts)");
                    }
                }
                default -> global(at, key, value, d, global);
            }
        }
        RuleBook rules = new RuleBook();
        List<ReadCheck> checks = new ArrayList<>();
        boolean noted = false;
        for (LdirectordVirtual v : virtuals) {
            if (!noted && v.usesDefaultQuiescent(global)) {
                noted = true;
                d.info(new SourceLocation(name, 1), "quiescent is not set: ldirectord's code default 'no' is used "
                    + "(failed real servers are removed; its manual page says the default is 'yes')");
            }
            v.emit(global, fork, interval, rules, checks);
        }
        rules.validate(d);
        String source = file.toString();
        return ImportResult.of(source, d.hasErrors() ? null : rules.config(), checks, d, null);
    }

    private static void keyValue(SourceLocation at, String text, Diagnostics d, LdirectordVirtual v) {
        Matcher m = KEY_VALUE.matcher(text);
        if (!m.matches()) {
            d.warn(at, "unknown line '" + text + "' in a virtual section: ignored");
            return;
        }
        String value = m.group(2).strip();
        boolean quoted = value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"");
        String key = m.group(1);
        // real= keeps its quotes: its request and receive are parsed with it
        v.statement(at, key, quoted && !key.startsWith("real") ? value.substring(1, value.length() - 1) : value,
            quoted);
    }

    private static void global(SourceLocation at, String key, String value, Diagnostics d, LdirectordSettings g) {
        if (YES_NO.contains(key) && !yesNo(at, key, value, d)) {
            return;
        }
        switch (key) {
            case "checktimeout" -> g.checktimeout = positive(at, key, value, d, -1);
            case "negotiatetimeout" -> g.negotiatetimeout = positive(at, key, value, d, -1);
            case "checkcount" -> {
                g.checkcount = positive(at, key, value, d, -1);
                d.warn(at, "checkcount is deprecated (see failurecount)");
            }
            case "failurecount" -> g.failurecount = positive(at, key, value, d, -1);
            case "quiescent" -> g.quiescent = value;
            case "fallback" -> g.fallback = LdirectordFallback.parse(at, value, false, d);
            case "fallback6" -> d.warn(at, "global fallback6 is not supported: set fallback6 in each virtual6 section");
            case "fallbackcommand" -> d.warn(at, "fallbackcommand is not supported: UVS runs no scripts");
            case "execute" -> d.warn(at, "execute starts ldirectord for configuration " + value
                + ": it is not imported (import it separately)");
            case "maintenancedir" -> d.warn(at, "maintenancedir is not supported: put real servers in maintenance "
                + "with uvsadm instead");
            case "connecttimeout" -> d.error(at, "connecttimeout is deprecated in favour of negotiatetimeout");
            case "timeout" -> d.error(at, "timeout is deprecated in favour of checktimeout and negotiatetimeout");
            default -> {
                if (NOT_APPLICABLE.contains(key)) {
                    d.info(at, "'" + key + "' does not apply to UVS: ignored");
                } else {
                    d.warn(at, "unknown keyword '" + key + "': ignored");
                }
            }
        }
    }

    private static int positive(SourceLocation at, String key, String value, Diagnostics d, int otherwise) {
        long n = ConfValues.number(value, 1, Integer.MAX_VALUE);
        if (n < 0) {
            d.error(at, "invalid " + key + " '" + value + "' (a positive number)");
            return otherwise;
        }
        return (int) n;
    }

    private static boolean yesNo(SourceLocation at, String key, String value, Diagnostics d) {
        if (!value.equals("yes") && !value.equals("no")) {
            d.error(at, key + " must be 'yes' or 'no', not '" + value + "'");
            return false;
        }
        return true;
    }

    // '#' starts a comment outside double quotes
    private static String stripComment(String line) {
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '#' && !quoted) {
                return line.substring(0, i);
            }
        }
        return line;
    }
}
