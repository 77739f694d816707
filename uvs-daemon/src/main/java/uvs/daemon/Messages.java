package uvs.daemon;

import java.io.EOFException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.TimeoutException;

/** Keeps messages that echo what a user gave (an argument, a file's text) to one readable line. */
public final class Messages {
    /** Longest message part echoed back. */
    public static final int MAX = 300;

    private Messages() {
    }

    /** {@code s} cut to {@link #MAX} characters, with how much was left out. */
    public static String clip(String s) {
        if (s == null) {
            return "";
        }
        if (s.length() <= MAX) {
            return s;
        }
        return s.substring(0, MAX) + "... (" + (s.length() - MAX) + " more characters)";
    }

    /** The message of {@code e}, never null: its class name stands in for a missing message. */
    public static String of(Throwable e) {
        String m = e.getMessage();
        if (e instanceof TimeoutException) {
            return "uvsd did not answer in time (the engine is busy or stuck)";
        }
        if (e instanceof NoSuchFileException f) {
            return f.getFile() + ": no such file";
        }
        if (e instanceof AccessDeniedException f) {
            return f.getFile() + ": permission denied";
        }
        if (e instanceof EOFException) {
            return "cut short" + (m == null ? "" : ": " + m);
        }
        return clip(m == null || m.isBlank() ? e.getClass().getSimpleName() : m);
    }
}
