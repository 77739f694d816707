package uvs.lab.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import uvs.lab.net.LabException;
import uvs.lab.net.Shell;

/** Runs the bench's external programs (ip, nft, sysctl, cat) and returns their output. */
final class Sh {
    private Sh() {}

    /** Runs {@code argv}; a non-zero status becomes an IOException naming the command and its error output. */
    static String run(List<String> argv) throws IOException {
        return run(argv, null);
    }

    /** Runs {@code argv} with {@code stdin} as input (the lab's {@link Shell}); a failure becomes an IOException. */
    static String run(List<String> argv, String stdin) throws IOException {
        try {
            return Shell.run(argv, stdin);
        } catch (LabException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** Runs {@code argv} inside namespace {@code ns}. */
    static String in(String ns, String... argv) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        cmd.addAll(List.of(argv));
        return run(cmd);
    }
}
