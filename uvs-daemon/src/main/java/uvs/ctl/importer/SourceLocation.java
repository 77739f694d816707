package uvs.ctl.importer;

/**
 * A line of an imported file.
 *
 * @param file the file as diagnostics name it (relative to the directory of the imported file)
 * @param line 1-based line number
 */
public record SourceLocation(String file, int line) {
    /** Checks the values. */
    public SourceLocation {
        if (file == null || file.isEmpty()) {
            throw new IllegalArgumentException("file name must not be empty");
        }
        if (line < 1) {
            throw new IllegalArgumentException("line number must be at least 1, got " + line);
        }
    }

    /** {@code file:line}. */
    @Override
    public String toString() {
        return file + ":" + line;
    }
}
