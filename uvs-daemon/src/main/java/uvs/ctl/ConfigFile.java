package uvs.ctl;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reads one of uvsd's configuration files (rules, tunables, an imported keepalived or ldirectord file and
 * the files it includes) safely: only a regular file (a FIFO would block, a device such as /dev/zero never
 * ends, a directory is a mistake), at most a given size, UTF-8 text. Every refusal is an
 * {@link IllegalArgumentException} naming the file and, for bad text, the line.
 */
public final class ConfigFile {
    /** Largest rules or import file (about 1 M rule lines). */
    public static final long MAX_RULES = 64L << 20;
    /** Largest tunables file. */
    public static final long MAX_SYSCTL = 1L << 20;

    private ConfigFile() {
    }

    /** The bytes of {@code file}, refused unless it is a regular file of at most {@code max} bytes. */
    public static byte[] readBytes(Path file, long max) {
        return readBytes(file, file.toString(), max);
    }

    /** The text of {@code file} (UTF-8), refused as {@link #readBytes} does or when it is not UTF-8. */
    public static String readText(Path file, long max) {
        return readText(file, file.toString(), max);
    }

    /** As {@link #readText(Path, long)}, naming the file {@code name} in errors. */
    public static String readText(Path file, String name, long max) {
        byte[] b = readBytes(file, name, max);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(name + ":" + badLine(b) + ": not UTF-8 text", e);
        }
    }

    private static byte[] readBytes(Path file, String name, long max) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + reason(name, e), e);
        }
        if (!a.isRegularFile()) {
            throw new IllegalArgumentException(name + ": not a regular file (" + kind(a) + ")");
        }
        if (a.size() > max) {
            throw new IllegalArgumentException(name + ": " + a.size() + " bytes, more than the " + max + " allowed");
        }
        try (InputStream in = Files.newInputStream(file)) {
            // the file may grow between the check and the read: never take more than the limit
            byte[] b = in.readNBytes((int) Math.min(max, Integer.MAX_VALUE - 8) + 1);
            if (b.length > max) {
                throw new IllegalArgumentException(name + ": more than the " + max + " bytes allowed");
            }
            return b;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + reason(name, e), e);
        }
    }

    /** The line of the first byte sequence that is not UTF-8. */
    private static int badLine(byte[] b) {
        int line = 1;
        int start = 0;
        for (int i = 0; i <= b.length; i++) {
            if (i == b.length || b[i] == '\n') {
                try {
                    StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(b, start, i - start));
                } catch (CharacterCodingException e) {
                    return line;
                }
                line++;
                start = i + 1;
            }
        }
        return line;
    }

    private static String reason(String name, IOException e) {
        if (e instanceof NoSuchFileException) {
            return name + ": no such file";
        }
        if (e instanceof AccessDeniedException) {
            return name + ": permission denied";
        }
        String m = e.getMessage();
        return name + ": " + (m == null || m.isBlank() ? e.getClass().getSimpleName() : m.strip());
    }

    private static String kind(BasicFileAttributes a) {
        if (a.isDirectory()) {
            return "a directory";
        }
        if (a.isOther()) {
            return "a device, FIFO or socket";
        }
        return "not a file";
    }
}
