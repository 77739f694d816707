package uvs.ctl.importer;

import java.util.Locale;

/** How much a {@link Diagnostic} matters. */
public enum Severity {
    /** Noted: ignored because it does not apply to UVS, or a default made explicit. */
    INFO,
    /** Not supported, unknown or corrected: the import goes on without it. */
    WARNING,
    /** Wrong input: the import gives no output. */
    ERROR;

    /** Lower-case name as diagnostics print it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
