package uvs.daemon;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/**
 * The version of UVS and the commit it was built from, as the build wrote them into
 * {@code uvs/daemon/version.properties}: what {@code uvsd --version}, {@code uvsadm --version} and
 * {@code uvs --version} print.
 *
 * @param version the release ({@code 0.1.0-SNAPSHOT})
 * @param commit the abbreviated git commit, {@code unknown} when built outside git
 * @param dirty true when the tree had uncommitted changes
 */
public record UvsVersion(String version, String commit, boolean dirty) {
    /** What this build says. */
    public static UvsVersion current() {
        Properties p = new Properties();
        try (InputStream in = UvsVersion.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // reported as unknown below
        }
        return new UvsVersion(known(p.getProperty("version")), known(p.getProperty("commit")),
            "true".equals(p.getProperty("dirty")));
    }

    // an unfiltered placeholder (a build without the plugin) is not a value
    private static String known(String v) {
        return v == null || v.isBlank() || v.startsWith("${") ? "unknown" : v;
    }

    /** {@code PROGRAM VERSION (commit C)}, with {@code , modified} when built from a modified tree. */
    public String line(String program) {
        return program + " " + version + " (commit " + commit + (dirty ? ", modified" : "") + ")";
    }

    /** picocli's {@code --version} for uvsd and uvs. */
    public static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {current().line("${COMMAND-NAME}")};
        }
    }
}
