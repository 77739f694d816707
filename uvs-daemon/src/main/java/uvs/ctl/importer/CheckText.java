package uvs.ctl.importer;

import java.util.ArrayList;
import java.util.List;

/**
 * A checker's settings as written, in the order they were read: the {@code key=value} words of the report's
 * {@code # check} line, and, of those, the ones UVS does not honour (each warned at the checker's line). The
 * typed settings themselves are the parser's; this is only what the report and the warnings say.
 */
final class CheckText {
    private final StringBuilder written;
    private final List<String> ignored;

    CheckText() {
        written = new StringBuilder();
        ignored = new ArrayList<>();
    }

    private CheckText(CheckText from) {
        written = new StringBuilder(from.written);
        ignored = new ArrayList<>(from.ignored);
    }

    /** A copy to add a real server's own settings to. */
    CheckText copy() {
        return new CheckText(this);
    }

    /** A setting UVS honours. */
    CheckText add(String key, String value) {
        written.append(' ').append(key).append('=').append(quoted(value));
        return this;
    }

    /** A setting UVS does not honour: shown, and warned about as {@code 'setting value'}. */
    CheckText ignored(String key, String value) {
        add(key, value);
        ignored.add(key.replaceFirst("^url\\.\\d+\\.", "url ") + " " + value);
        return this;
    }

    /** Adds {@code more}'s settings after these. */
    CheckText then(CheckText more) {
        written.append(more.written);
        ignored.addAll(more.ignored);
        return this;
    }

    /** Where the next setting goes, to {@link #replace} what is written from there later. */
    int mark() {
        return written.length();
    }

    /** Replaces what was written from {@code from} to {@code to} (two {@link #mark}s) by {@code with}'s settings. */
    void replace(int from, int to, CheckText with) {
        written.replace(from, to, with.written.toString());
    }

    /** The settings as the report shows them: {@code " key=value"} each, or empty. */
    String written() {
        return written.toString();
    }

    /** The settings UVS does not honour, as {@code setting value}, in the order read. */
    List<String> ignored() {
        return List.copyOf(ignored);
    }

    // a value with blanks (or none) in double quotes, so that settings stay apart
    private static String quoted(String v) {
        return v.isEmpty() || v.chars().anyMatch(Character::isWhitespace) ? '"' + v + '"' : v;
    }
}
