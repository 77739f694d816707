package uvs.core.tune;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A sysctl.conf file: one {@code name = value} per line, split at the first '='; name and value are
 * trimmed. Blank lines and lines whose first non-blank character is '#' or ';' are skipped (there are no
 * end-of-line comments: "1 # x" is the value). A '-' before the name marks the entry "ignore errors": as
 * with sysctl, a failure to set it is reported but does not fail the load. An empty value is kept (it is
 * meaningful for est_cpulist). Names are checked when the entries are applied ({@link Tunables#applyAll}),
 * so this class only checks the syntax.
 */
public final class SysctlFile {
    /**
     * One setting.
     *
     * @param source the file's name, as errors show it
     * @param line 1-based line number
     * @param name the name as written, without the '-' marker
     * @param value the value as written, trimmed
     * @param ignoreErrors the line started with '-'
     */
    public record Entry(String source, int line, String name, String value, boolean ignoreErrors) {
        /** {@code source:line}, the prefix of every error about this entry. */
        public String location() {
            return source + ":" + line;
        }
    }

    private final String source;
    private final List<Entry> entries;

    private SysctlFile(String source, List<Entry> entries) {
        this.source = source;
        this.entries = List.copyOf(entries);
    }

    /**
     * Parses {@code text}, naming it {@code source} in errors.
     *
     * @throws TunableException listing every malformed line as {@code source:line: message}
     */
    public static SysctlFile parse(String source, String text) {
        try {
            return read(source, new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads and parses {@code in} to its end, naming it {@code source} in errors.
     *
     * @throws TunableException listing every malformed line as {@code source:line: message}
     * @throws IOException if reading fails
     */
    public static SysctlFile read(String source, Reader in) throws IOException {
        BufferedReader lines = new BufferedReader(in);
        List<Entry> entries = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        int n = 0;
        for (String raw = lines.readLine(); raw != null; raw = lines.readLine()) {
            n++;
            String line = raw.strip();
            if (line.isEmpty() || line.charAt(0) == '#' || line.charAt(0) == ';') {
                continue;
            }
            boolean ignoreErrors = line.charAt(0) == '-';
            int eq = line.indexOf('=');
            if (eq < 0) {
                errors.add(source + ":" + n + ": expected \"name = value\", got \"" + line + "\"");
                continue;
            }
            String name = line.substring(ignoreErrors ? 1 : 0, eq).strip();
            if (name.isEmpty()) {
                errors.add(source + ":" + n + ": missing name before '=' in \"" + line + "\"");
                continue;
            }
            entries.add(new Entry(source, n, name, line.substring(eq + 1).strip(), ignoreErrors));
        }
        if (!errors.isEmpty()) {
            throw new TunableException(errors.size() + (errors.size() == 1 ? " malformed line" : " malformed lines")
                + " in " + source + ":", errors);
        }
        return new SysctlFile(source, entries);
    }

    /** The name given to the file. */
    public String source() {
        return source;
    }

    /** The settings in file order. */
    public List<Entry> entries() {
        return entries;
    }
}
