package uvs.ctl.importer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Collects the diagnostics of one import. They are handed out ordered by file (in the order the files were
 * opened) and line, whatever the order they were found in; findings on one line keep their order, and the
 * same finding twice is given once.
 */
final class Diagnostics {
    private final List<Diagnostic> list = new ArrayList<>();
    private final Map<String, Integer> files = new LinkedHashMap<>();
    private boolean errors;

    /** Diagnostics starting with {@code found}, in their order. */
    static Diagnostics of(List<Diagnostic> found) {
        Diagnostics d = new Diagnostics();
        for (Diagnostic x : found) {
            d.list.add(x);
            d.errors |= x.severity() == Severity.ERROR;
        }
        return d;
    }

    /** Registers a file, so that its diagnostics sort after those of the files opened before it. */
    void file(String name) {
        files.putIfAbsent(name, files.size());
    }

    void info(SourceLocation at, String message) {
        list.add(new Diagnostic(at, Severity.INFO, message));
    }

    void warn(SourceLocation at, String message) {
        list.add(new Diagnostic(at, Severity.WARNING, message));
    }

    void error(SourceLocation at, String message) {
        list.add(new Diagnostic(at, Severity.ERROR, message));
        errors = true;
    }

    boolean hasErrors() {
        return errors;
    }

    List<Diagnostic> list() {
        // a finding about a statement used for several services is reported once
        List<Diagnostic> sorted = new ArrayList<>(new LinkedHashSet<>(list));
        sorted.sort(Comparator.<Diagnostic>comparingInt(x -> files.getOrDefault(x.at().file(), Integer.MAX_VALUE))
            .thenComparingInt(x -> x.at().line()));
        return List.copyOf(sorted);
    }
}
