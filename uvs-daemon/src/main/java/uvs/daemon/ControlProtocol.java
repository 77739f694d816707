package uvs.daemon;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import uvs.ctl.ConfigFile;

/**
 * The control socket's wire format between {@code uvsadm} and {@code uvsd}: one request and one reply
 * per connection, big-endian lengths, UTF-8 text.
 * <pre>
 * request: magic "UVS1" (4) | argc (int) | argc × (len (int) | bytes) | stdin len (int) | stdin bytes
 * reply:   exit code (int) | stdout len (int) | bytes | stderr len (int) | bytes
 * </pre>
 */
public final class ControlProtocol {
    /** Request magic. */
    public static final int MAGIC = 0x5556_5331;
    /** Largest reply part accepted (16 MiB). */
    public static final int MAX_PART = 16 << 20;
    /** Largest standard input of a request (a -R restore), as large as a rules file may be. */
    public static final int MAX_STDIN = (int) ConfigFile.MAX_RULES;
    /** Most arguments accepted. */
    public static final int MAX_ARGS = 256;
    /** Most bytes of all arguments together. */
    public static final int MAX_ARGS_BYTES = 64 << 10;

    private ControlProtocol() {
    }

    /** A request: the uvsadm arguments and what it read from standard input (for -R). */
    public record Request(List<String> args, byte[] stdin) {
    }

    /** A reply: exit code and the two output streams. */
    public record Reply(int exitCode, String stdout, String stderr) {
        /** A reply with only an error message. */
        public static Reply error(int code, String message) {
            // a line that echoes a huge argument is cut to a readable length
            StringBuilder b = new StringBuilder();
            message.lines().forEach(l -> b.append(Messages.clip(l)).append('\n'));
            return new Reply(code, "", b.isEmpty() ? "\n" : b.toString());
        }
    }

    /** Writes a request. */
    public static void writeRequest(DataOutputStream out, Request r) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(r.args().size());
        for (String a : r.args()) {
            writeBytes(out, a.getBytes(StandardCharsets.UTF_8));
        }
        writeBytes(out, r.stdin());
        out.flush();
    }

    /**
     * Reads a request.
     *
     * @throws IOException naming the problem when the bytes are not a well-formed request
     */
    public static Request readRequest(DataInputStream in) throws IOException {
        if (in.readInt() != MAGIC) {
            throw new IOException("not a uvsadm request (bad magic)");
        }
        int argc = in.readInt();
        if (argc < 0 || argc > MAX_ARGS) {
            throw new IOException("bad argument count " + argc);
        }
        List<String> args = new ArrayList<>(argc);
        int left = MAX_ARGS_BYTES;
        for (int i = 0; i < argc; i++) {
            byte[] a = readBytes(in, left, "arguments longer than " + MAX_ARGS_BYTES + " bytes in all");
            left -= a.length;
            args.add(new String(a, StandardCharsets.UTF_8));
        }
        return new Request(args, readBytes(in, MAX_STDIN, "standard input longer than " + MAX_STDIN + " bytes"));
    }

    /** Writes a reply. */
    public static void writeReply(DataOutputStream out, Reply r) throws IOException {
        out.writeInt(r.exitCode());
        writeBytes(out, r.stdout().getBytes(StandardCharsets.UTF_8));
        writeBytes(out, r.stderr().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Reads a reply. */
    public static Reply readReply(DataInputStream in) throws IOException {
        int code = in.readInt();
        String out = new String(readBytes(in), StandardCharsets.UTF_8);
        String err = new String(readBytes(in), StandardCharsets.UTF_8);
        return new Reply(code, out, err);
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        return readBytes(in, MAX_PART, "a part longer than " + MAX_PART + " bytes");
    }

    private static byte[] readBytes(DataInputStream in, int max, String tooLong) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("bad length " + n);
        }
        if (n > max) {
            throw new IOException(tooLong);
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    /** Reads all of a stream (uvsadm's standard input for -R). */
    public static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        in.transferTo(b);
        return b.toByteArray();
    }
}
