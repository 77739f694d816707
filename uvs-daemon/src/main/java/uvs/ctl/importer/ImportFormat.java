package uvs.ctl.importer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import uvs.ctl.ConfigFile;

/** The configuration formats {@code uvsadm --import} reads. */
public enum ImportFormat {
    /** keepalived.conf(5). */
    KEEPALIVED,
    /** ldirectord.cf (ldirectord(8)). */
    LDIRECTORD;

    private static final Pattern LDIRECTORD_VIRTUAL = Pattern.compile("virtual6?\\s*=.*");

    /**
     * The format of {@code file}: by its name (ldirectord / *.cf, keepalived / *.conf), else by its content (a
     * {@code virtual=} line in the first column means ldirectord).
     *
     * @throws IOException if the name does not tell and the file cannot be read
     */
    public static ImportFormat detect(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.contains("ldirectord") || name.endsWith(".cf")) {
            return LDIRECTORD;
        }
        if (name.contains("keepalived") || name.endsWith(".conf")) {
            return KEEPALIVED;
        }
        for (String line : readLines(file)) {
            if (LDIRECTORD_VIRTUAL.matcher(line).matches()) {
                return LDIRECTORD;
            }
        }
        return KEEPALIVED;
    }

    /**
     * The lines of an imported file, read only if it is a regular file of at most {@link ConfigFile#MAX_RULES}
     * bytes of UTF-8 text (never a FIFO, a device or a directory).
     *
     * @throws IOException naming the file and the reason when it is refused
     */
    static List<String> readLines(Path file) throws IOException {
        try {
            return ConfigFile.readText(file, ConfigFile.MAX_RULES).lines().toList();
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /**
     * Imports {@code file} in this format.
     *
     * @throws IOException if the file cannot be read
     */
    public ImportResult importFile(Path file) throws IOException {
        return switch (this) {
            case KEEPALIVED -> new KeepalivedImporter().importFile(file);
            case LDIRECTORD -> new LdirectordImporter().importFile(file);
        };
    }
}
