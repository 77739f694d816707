package uvs.ctl.importer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import uvs.ctl.model.CheckSpec;

/**
 * One checker of one real server as an importer read it: the typed check it runs (null when it runs none),
 * the report's {@code # check} line for it, and the warnings of what does not run as written (given at its
 * line when the import's checks are planned, see {@link CheckPlanner}).
 *
 * @param server the real server checked
 * @param spec the typed check, or null when nothing runs
 * @param line the report's {@code # check} line (without that prefix)
 * @param warnings what does not run as written, in order
 * @param unchecked true when the server stays up unchecked because UVS does not run its kind of check
 */
record ReadCheck(CheckedServer server, CheckSpec spec, String line, List<String> warnings, boolean unchecked) {
    ReadCheck {
        warnings = List.copyOf(warnings);
    }

    /**
     * A check that runs: {@code label} is what the report calls it; {@code before} and {@code after} are its
     * warnings before and after those of the settings {@code text} does not honour.
     */
    static ReadCheck of(CheckedServer server, String label, CheckSpec spec, CheckText text, List<String> before,
                        List<String> after) {
        List<String> warnings = new ArrayList<>(before);
        for (String setting : text.ignored()) {
            warnings.add(server.name() + ": '" + setting + "' is not honoured by UVS's "
                + label.toUpperCase(Locale.ROOT) + " check");
        }
        warnings.addAll(after);
        return new ReadCheck(server, spec, ImportReport.checkLine(server, label, text), warnings, false);
    }

    /**
     * A checker that runs nothing: {@code why} UVS does not check the server (which stays up unchecked), or
     * null when the source tool does not check it either.
     */
    static ReadCheck notRun(CheckedServer server, String label, CheckText text, String why) {
        String line = ImportReport.checkLine(server, label, text);
        return why == null ? new ReadCheck(server, null, line, List.of(), false)
            : new ReadCheck(server, null, line,
                List.of(server.name() + " is not checked: " + why + "; it stays up unchecked"), true);
    }
}
