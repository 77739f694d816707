package uvs.daemon;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import uvs.ctl.importer.ImportFormat;
import uvs.ctl.importer.ImportReport;
import uvs.ctl.importer.ImportResult;

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
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        Path output;
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
                AtomicFile.write(output, r.stdout().getBytes(StandardCharsets.UTF_8));
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
    static Path takeOutput(List<String> args) {
        Path out = null;
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
            out = Path.of(file);
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
    static int importFile(String[] args, PrintStream out, PrintStream err) {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        boolean check = rest.remove("--check");
        String file = rest.getFirst().startsWith("--import=") ? rest.getFirst().substring("--import=".length())
            : rest.size() > 1 ? rest.get(1) : null;
        if (file == null || file.isEmpty() || rest.size() > (rest.getFirst().startsWith("--import=") ? 1 : 2)) {
            err.println("uvsadm: usage: uvsadm --import keepalived.conf|ldirectord.cf [--check]");
            return 2;
        }
        try {
            Path p = Path.of(file);
            ImportResult r = ImportFormat.detect(p).importFile(p);
            out.print(ImportReport.format(r));
            if (r.hasErrors()) {
                return 1;
            }
            ImportedConfig c = ImportedConfig.of(r);
            List<String> notAsWritten = c.notAsWritten();
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
