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
        // UVS's own version, answered without uvsd; -v stays ipvsadm's line
        if (args.length == 1 && args[0].equals("--version")) {
            System.out.println(UvsVersion.current().line("uvsadm") + ", ipvsadm v1.31 command line");
            System.exit(0);
            return;
        }
        if (args.length > 0 && (args[0].equals("--import") || args[0].startsWith("--import="))) {
            System.exit(importFile(args, System.out, System.err));
            return;
        }
        boolean restore = Arrays.stream(args).anyMatch(a -> a.equals("-R") || a.equals("--restore"));
        byte[] stdin = restore ? ControlProtocol.readAll(System.in) : new byte[0];
        java.util.List<String> rest = new java.util.ArrayList<>(Arrays.asList(args));
        java.nio.file.Path output;
        try {
            output = takeOutput(rest);
        } catch (IllegalArgumentException e) {
            System.err.println("uvsadm: " + e.getMessage());
            System.exit(2);
            return;
        }
        ControlProtocol.Reply r;
        try {
            r = UvsadmClient.send(ControlServer.pathFromEnvironment(), rest, stdin);
        } catch (IOException e) {
            System.err.println("uvsadm: " + e.getMessage());
            System.exit(1);
            return;
        }
        if (output != null && r.exitCode() == 0) {
            try {
                AtomicFile.write(output, r.stdout().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } catch (IOException e) {
                System.err.println("uvsadm: cannot write " + output + ": " + Messages.of(e));
                System.exit(1);
                return;
            }
            System.err.print(r.stderr());
            System.exit(0);
            return;
        }
        System.out.print(r.stdout());
        System.out.flush();
        System.err.print(r.stderr());
        System.err.flush();
        System.exit(r.exitCode());
    }

    /**
     * Removes {@code --output FILE} (UVS's, for {@code -S}: the rules are written to FILE atomically, so a
     * reload never reads a half-written file) from {@code args} and returns FILE, or null.
     *
     * @throws IllegalArgumentException when FILE is missing or the command is not {@code -S}
     */
    static java.nio.file.Path takeOutput(java.util.List<String> args) {
        java.nio.file.Path out = null;
        for (int i = 0; i < args.size(); ) {
            String a = args.get(i);
            String file;
            if (a.equals("--output")) {
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException("--output needs a file");
                }
                file = args.remove(i + 1);
                args.remove(i);
            } else if (a.startsWith("--output=")) {
                file = a.substring("--output=".length());
                args.remove(i);
            } else {
                i++;
                continue;
            }
            if (out != null || file.isEmpty()) {
                throw new IllegalArgumentException("--output takes one file");
            }
            out = java.nio.file.Path.of(file);
        }
        if (out != null && !(args.contains("-S") || args.contains("--save"))) {
            throw new IllegalArgumentException("--output goes with -S (--save)");
        }
        return out;
    }

    /**
     * {@code uvsadm --import FILE [--check]}: prints the translation of a keepalived.conf or ldirectord.cf
     * (rules in {@code -R} form; checks, sync daemons, every diagnostic with file:line and everything that
     * would not run as written as {@code #} lines), so it can be reviewed, or piped into {@code uvsadm -R}.
     * Runs locally; uvsd is not needed. Exit code 1 when the file has errors; with {@code --check} also when
     * anything in it would not run as written.
     */
    static int importFile(String[] args, java.io.PrintStream out, java.io.PrintStream err) {
        java.util.List<String> rest = new java.util.ArrayList<>(Arrays.asList(args));
        boolean check = rest.remove("--check");
        String file = rest.getFirst().startsWith("--import=") ? rest.getFirst().substring("--import=".length())
            : rest.size() > 1 ? rest.get(1) : null;
        if (file == null || file.isEmpty() || rest.size() > (rest.getFirst().startsWith("--import=") ? 1 : 2)) {
            err.println("uvsadm: usage: uvsadm --import keepalived.conf|ldirectord.cf [--check]");
            return 2;
        }
        try {
            java.nio.file.Path p = java.nio.file.Path.of(file);
            uvs.ctl.importer.ImportResult r = uvs.ctl.importer.ImportFormat.detect(p).importFile(p);
            out.print(uvs.ctl.importer.ImportReport.format(r));
            if (r.hasErrors()) {
                return 1;
            }
            ImportedConfig c = ImportedConfig.of(r);
            // the diagnostics are printed above; the checks' lines follow them
            for (String line : c.checkWarnings()) {
                out.println("# " + line);
            }
            java.util.List<String> notAsWritten = c.notAsWritten();
            if (check && !notAsWritten.isEmpty()) {
                err.println("uvsadm: " + file + ": " + notAsWritten.size() + " thing(s) would not run as written:");
                notAsWritten.forEach(err::println);
                return 1;
            }
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            err.println("uvsadm: " + e.getMessage());
            return 1;
        }
    }
}
