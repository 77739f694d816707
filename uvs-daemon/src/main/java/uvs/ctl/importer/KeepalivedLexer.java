package uvs.ctl.importer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import uvs.ctl.ConfigFile;

/**
 * Splits keepalived.conf text into words, braces and line ends, as keepalived.conf(5) describes: '#' and '!'
 * start a comment anywhere outside quotes; " and ' quote (the quotes are removed, quoted and unquoted parts
 * of one word join, and backslash escapes work inside quotes); {@code include} (and its variants) reads
 * files relative to the including file's directory, with wildcards; {@code $NAME=VALUE} defines a parameter
 * that {@code $NAME} and {@code ${NAME}} then stand for. Conditional lines are read as keepalived started with
 * {@code --config-id uvs} reads them: {@code @uvs ...} and {@code @^other ...} lines are kept, {@code @other ...}
 * and {@code @^uvs ...} lines skipped. So a line that only UVS must act on (e.g. {@code lvs_sync_daemon}, which
 * keepalived's VRRP process would hand to the kernel) is written {@code @uvs lvs_sync_daemon ...}.
 */
final class KeepalivedLexer {
    /** The config-id whose conditional lines UVS reads (keepalived's {@code -i}). */
    static final String CONFIG_ID = "uvs";
    private static final int MAX_INCLUDE_DEPTH = 32;
    private static final int MAX_SUBSTITUTIONS = 32;
    private static final Pattern DEFINITION = Pattern.compile("\\$([A-Za-z_][A-Za-z0-9_]*)=(.*)");
    private static final Pattern REFERENCE =
        Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}|\\$([A-Za-z_][A-Za-z0-9_]*)(?=\\s|$)");

    /** The kinds of token. */
    enum Type {
        /** A word (keyword or value). */
        WORD,
        /** '{'. */
        OPEN,
        /** '}'. */
        CLOSE,
        /** The end of a line. */
        EOL
    }

    /** One token and where it is. */
    record Token(Type type, String text, SourceLocation at) {
    }

    private final Path rootDir;
    private final Diagnostics diagnostics;
    private final Map<String, String> params = new HashMap<>();
    private final Deque<Path> open = new ArrayDeque<>();
    private final List<Token> tokens = new ArrayList<>();
    /** Characters read from included files so far: all of them together are bounded too. */
    private long includedBytes;

    private KeepalivedLexer(Path rootDir, Diagnostics diagnostics) {
        this.rootDir = rootDir;
        this.diagnostics = diagnostics;
    }

    /** The tokens of {@code file} and the files it includes; problems go to {@code d}. */
    static List<Token> lex(Path file, Diagnostics d) throws IOException {
        Path abs = file.toAbsolutePath().normalize();
        KeepalivedLexer lexer = new KeepalivedLexer(abs.getParent(), d);
        lexer.lexFile(abs, ImportFormat.readLines(abs));
        return List.copyOf(lexer.tokens);
    }

    /** How diagnostics name a file: relative to the imported file's directory. */
    String name(Path file) {
        Path rel = rootDir.relativize(file);
        return rel.startsWith("..") ? file.toString() : rel.toString();
    }

    private void lexFile(Path file, List<String> lines) throws IOException {
        open.push(file);
        String name = name(file);
        diagnostics.file(name);
        for (int i = 0; i < lines.size(); i++) {
            lexLine(lines.get(i), new SourceLocation(name, i + 1), file.getParent());
        }
        open.pop();
    }

    private void lexLine(String raw, SourceLocation at, Path dir) throws IOException {
        String line = raw.strip();
        String first = firstWord(line);
        if (isInclude(first)) {
            include(first, line.substring(first.length()), at, dir);
            return;
        }
        if (line.startsWith("@")) {
            boolean negated = line.startsWith("@^");
            String id = firstWord(line.substring(negated ? 2 : 1));
            if (negated == id.equals(CONFIG_ID)) {
                diagnostics.info(at, "conditional line '" + (negated ? "@^" : "@") + id + "' skipped (UVS reads "
                    + "the lines of config-id '" + CONFIG_ID + "')");
                return;
            }
            line = line.substring((negated ? 2 : 1) + id.length()).strip();
        }
        Matcher def = DEFINITION.matcher(line);
        if (def.matches()) {
            params.put(def.group(1), def.group(2).strip());
            return;
        }
        tokenize(substitute(line, at), at);
    }

    private String substitute(String line, SourceLocation at) {
        String s = line;
        for (int round = 0; round < MAX_SUBSTITUTIONS; round++) {
            Matcher m = REFERENCE.matcher(s);
            StringBuilder sb = new StringBuilder();
            boolean changed = false;
            while (m.find()) {
                String name = m.group(1) != null ? m.group(1) : m.group(2);
                String value = params.get(name);
                if (value == null) {
                    m.appendReplacement(sb, Matcher.quoteReplacement(m.group()));
                } else {
                    m.appendReplacement(sb, Matcher.quoteReplacement(value));
                    changed = true;
                }
            }
            m.appendTail(sb);
            if (!changed) {
                return s;
            }
            s = sb.toString();
        }
        diagnostics.error(at, "parameter substitution does not end (a parameter refers to itself)");
        return "";
    }

    private void include(String keyword, String rest, SourceLocation at, Path dir) throws IOException {
        List<String> words = new ArrayList<>();
        int before = tokens.size();
        tokenize(rest, at);
        // take the words back: the file name is not part of the configuration
        for (int i = before; i < tokens.size(); i++) {
            if (tokens.get(i).type() == Type.WORD) {
                words.add(tokens.get(i).text());
            }
        }
        tokens.subList(before, tokens.size()).clear();
        if (words.size() != 1) {
            diagnostics.error(at, keyword + " needs exactly one file name");
            return;
        }
        boolean strict = !keyword.equals("include");
        Path pattern = dir.resolve(words.get(0)).normalize();
        List<Path> files = expand(pattern);
        if (files.isEmpty()) {
            String msg = "no file matches " + keyword + " " + words.get(0);
            if (strict) {
                diagnostics.error(at, msg);
            } else {
                diagnostics.warn(at, msg + " (keepalived ignores a missing include)");
            }
            return;
        }
        for (Path f : files) {
            if (open.contains(f)) {
                diagnostics.error(at, "include loop: " + name(f) + " is already being read");
            } else if (open.size() >= MAX_INCLUDE_DEPTH) {
                diagnostics.error(at, "includes nested deeper than " + MAX_INCLUDE_DEPTH);
            } else {
                String text;
                try {
                    // the same checks as the imported file: no FIFO, device or directory, bounded, UTF-8
                    text = ConfigFile.readText(f, name(f), ConfigFile.MAX_RULES);
                } catch (IllegalArgumentException e) {
                    String why = e.getMessage().startsWith("cannot read ") ? e.getMessage().substring(12) : e.getMessage();
                    diagnostics.error(at, "cannot read included file " + why);
                    continue;
                }
                includedBytes += text.length();
                if (includedBytes > ConfigFile.MAX_RULES) {
                    diagnostics.error(at, "included files total more than " + ConfigFile.MAX_RULES + " characters");
                    return;
                }
                lexFile(f, text.lines().toList());
            }
        }
    }

    // glob only in the last path element, as configurations use it (conf.d/*.conf)
    private static List<Path> expand(Path pattern) throws IOException {
        String last = pattern.getFileName().toString();
        if (last.chars().noneMatch(c -> c == '*' || c == '?' || c == '[' || c == '{')) {
            // a named file that is not a regular file is refused when read, not ignored as missing
            return Files.exists(pattern) ? List.of(pattern) : List.of();
        }
        Path parent = pattern.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            return List.of();
        }
        PathMatcher m = parent.getFileSystem().getPathMatcher("glob:" + last);
        try (Stream<Path> s = Files.list(parent)) {
            // keepalived skips directories a pattern matches; anything else is checked when read
            return s.filter(p -> m.matches(p.getFileName()) && !Files.isDirectory(p)).sorted().toList();
        }
    }

    // include, or one of its variants includer / includem / includew / includeb / includea
    private static boolean isInclude(String word) {
        return word.equals("include")
            || (word.length() == 8 && word.startsWith("include") && "rmwba".indexOf(word.charAt(7)) >= 0);
    }

    private static String firstWord(String line) {
        int i = 0;
        while (i < line.length() && !Character.isWhitespace(line.charAt(i))) {
            i++;
        }
        return line.substring(0, i);
    }

    private void tokenize(String line, SourceLocation at) {
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        int n = line.length();
        for (int i = 0; i < n; i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && i + 1 < n) {
                    i = escape(line, i + 1, word);
                } else {
                    word.append(c);
                }
                continue;
            }
            if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (c == '#' || c == '!') {
                break;
            } else if (Character.isWhitespace(c)) {
                inWord = endWord(word, inWord, at);
            } else if (c == '{' || c == '}') {
                inWord = endWord(word, inWord, at);
                tokens.add(new Token(c == '{' ? Type.OPEN : Type.CLOSE, String.valueOf(c), at));
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            diagnostics.error(at, "unterminated quoted string (missing " + quote + ")");
        }
        endWord(word, inWord, at);
        tokens.add(new Token(Type.EOL, "", at));
    }

    private boolean endWord(StringBuilder word, boolean inWord, SourceLocation at) {
        if (inWord) {
            tokens.add(new Token(Type.WORD, word.toString(), at));
            word.setLength(0);
        }
        return false;
    }

    // one escape inside quotes starting at s[i] (after the backslash); returns the index of its last char
    private static int escape(String s, int i, StringBuilder out) {
        char c = s.charAt(i);
        switch (c) {
            case 'a' -> out.append('\u0007');
            case 'b' -> out.append('\b');
            case 'E' -> out.append('\u001b');
            case 'f' -> out.append('\f');
            case 'n' -> out.append('\n');
            case 'r' -> out.append('\r');
            case 't' -> out.append('\t');
            case 'v' -> out.append('\u000b');
            case 'c' -> {
                if (i + 1 < s.length()) {
                    out.append((char) (s.charAt(i + 1) & 0x1f));
                    return i + 1;
                }
                out.append(c);
            }
            case 'x' -> {
                int end = i + 1;
                int v = 0;
                while (end < s.length() && end < i + 3 && Character.digit(s.charAt(end), 16) >= 0) {
                    v = v * 16 + Character.digit(s.charAt(end), 16);
                    end++;
                }
                if (end == i + 1) {
                    out.append(c);
                    return i;
                }
                out.append((char) v);
                return end - 1;
            }
            default -> {
                if (c >= '0' && c <= '7') {
                    int end = i;
                    int v = 0;
                    while (end < s.length() && end < i + 3 && s.charAt(end) >= '0' && s.charAt(end) <= '7') {
                        v = v * 8 + (s.charAt(end) - '0');
                        end++;
                    }
                    out.append((char) v);
                    return end - 1;
                }
                out.append(c);
            }
        }
        return i;
    }
}
