package uvs.ctl.cli;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits {@code ipvsadm -R} input into command lines, as ipvsadm's {@code config_stream_read} does:
 * a line ends at '\n'; tokens are separated by space, tab and '\r'; every token equal to "ipvsadm" is
 * dropped; lines left without tokens are skipped.
 *
 * <p>'#' comments: ipvsadm's own comment detection never triggers (a '#' token reaches the option parser
 * and fails), and only the {@code ipvsadm-restore} wrapper drops lines starting with '#'
 * ({@code grep -v '^#'}). This follows the wrapper: a line whose first character is '#' is skipped; a
 * '#' anywhere else is an ordinary token (so {@code -C # x} fails with "unexpected argument #").
 *
 * <p>Unlike ipvsadm, a last line without a final newline is read even when it ends in blanks (ipvsadm
 * loses such a line).
 */
final class ConfigStream {

    /** The tokens of one input line and its 1-based number. */
    record Line(int number, String[] tokens) {
    }

    private ConfigStream() {
    }

    /** Reads every command line of the input. */
    static List<Line> read(Reader in) throws IOException {
        List<Line> lines = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int number = 1;
        char[] buf = new char[8192];
        int n;
        while ((n = in.read(buf)) > 0) {
            for (int i = 0; i < n; i++) {
                if (buf[i] == '\n') {
                    addLine(lines, number++, current);
                    current.setLength(0);
                } else {
                    current.append(buf[i]);
                }
            }
        }
        addLine(lines, number, current);
        return lines;
    }

    private static void addLine(List<Line> lines, int number, CharSequence text) {
        if (text.length() > 0 && text.charAt(0) == '#') {
            return;
        }
        List<String> tokens = new ArrayList<>();
        int i = 0;
        int len = text.length();
        while (i < len) {
            while (i < len && isBlank(text.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < len && !isBlank(text.charAt(i))) {
                i++;
            }
            if (i > start) {
                String token = text.subSequence(start, i).toString();
                if (!token.equals(IpvsadmUsage.PROGRAM)) {
                    tokens.add(token);
                }
            }
        }
        if (!tokens.isEmpty()) {
            lines.add(new Line(number, tokens.toArray(new String[0])));
        }
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\r';
    }
}
