package uvs.daemon;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import uvs.ctl.importer.Diagnostic;
import uvs.ctl.importer.ImportFormat;
import uvs.ctl.importer.ImportResult;
import uvs.ctl.importer.Severity;
import uvs.ctl.model.CheckSpec;
import uvs.ctl.model.DirectorConfig;
import uvs.ctl.health.HealthConfig;

/**
 * A keepalived.conf or ldirectord.cf read as uvsd's configuration: its rules (in ipvsadm-save form),
 * sync daemons, and its typed health checks ({@link CheckSpec}) as the health checker's configuration.
 * Everything that does not run as written (checks UVS does not run, whose servers stay up unchecked, and
 * settings it does not honour) is among the import's diagnostics, known as soon as the file is read.
 */
public final class ImportedConfig {
    private final ImportResult result;
    private final List<String> warnings = new ArrayList<>();

    private ImportedConfig(ImportResult result) {
        this.result = result;
        for (Diagnostic d : result.diagnostics()) {
            warnings.add(d.toString());
        }
    }

    /**
     * Reads and translates {@code file}.
     *
     * @throws IllegalArgumentException listing every error with file:line when the file is bad
     */
    public static ImportedConfig read(Path file) throws IOException {
        return of(ImportFormat.detect(file).importFile(file));
    }

    /**
     * The configuration of a translation.
     *
     * @throws IllegalArgumentException listing every error with file:line when the translation has errors
     */
    public static ImportedConfig of(ImportResult r) {
        List<String> errors = new ArrayList<>();
        for (Diagnostic d : r.diagnostics()) {
            if (d.severity() == Severity.ERROR) {
                errors.add(d.toString());
            }
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", errors));
        }
        return new ImportedConfig(r);
    }

    /** The translation itself. */
    public ImportResult result() {
        return result;
    }

    /** The services, real servers, timeouts and sync daemons of the file. */
    public DirectorConfig config() {
        return result.config();
    }

    /** The configuration in {@code -R} form. */
    public String rulesText() {
        return result.rulesText();
    }

    /**
     * The diagnostics of the translation (each {@code file:line: severity: message}), among them one line per
     * setting or check that does not run as written, naming each real server left unchecked.
     */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** The lines of {@link #warnings()} about what does not run as written (no info diagnostics). */
    public List<String> notAsWritten() {
        List<String> out = new ArrayList<>();
        for (Diagnostic d : result.diagnostics()) {
            if (d.severity() != Severity.INFO) {
                out.add(d.toString());
            }
        }
        return out;
    }

    /** Real servers whose check UVS does not run: they stay up unchecked. */
    public int uncheckedServers() {
        return result.uncheckedServers();
    }

    /** The health checker's configuration of the import ({@link DirectorConfig#healthConfig}). */
    public HealthConfig healthConfig() {
        return result.config().healthConfig(new SplittableRandom());
    }
}
