package uvs.daemon;

import java.io.IOException;
import java.util.Arrays;

/**
 * {@code uvsadm}: ipvsadm 1.31's command line, executed by uvsd. Output, errors and exit codes are
 * ipvsadm's. {@code -R} sends standard input along.
 */
public final class UvsadmMain {
    private UvsadmMain() {
    }

    /** Entry point. */
    public static void main(String[] args) throws IOException {
        boolean restore = Arrays.stream(args).anyMatch(a -> a.equals("-R") || a.equals("--restore"));
        byte[] stdin = restore ? ControlProtocol.readAll(System.in) : new byte[0];
        ControlProtocol.Reply r;
        try {
            r = UvsadmClient.send(ControlServer.pathFromEnvironment(), Arrays.asList(args), stdin);
        } catch (IOException e) {
            System.err.println("uvsadm: " + e.getMessage());
            System.exit(1);
            return;
        }
        System.out.print(r.stdout());
        System.out.flush();
        System.err.print(r.stderr());
        System.err.flush();
        System.exit(r.exitCode());
    }
}
