package uvs.sync.ext;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * HMAC-SHA256 (RFC 2104) over sync datagrams with a shared key. One instance per thread (a
 * {@link MessageDigest} is not thread-safe); signing and verifying reuse its buffers and the digest, so they
 * do not allocate (the JDK's {@code Mac.doFinal} allocates on every call, hence the two hash passes here).
 */
public final class HmacAuthenticator {
    /** Shortest key accepted, in bytes. */
    public static final int MIN_KEY_BYTES = 16;
    /** Largest key file read (a key is a few dozen bytes). */
    public static final int MAX_KEY_FILE = 4096;

    private static final int BLOCK = 64;
    private static final byte IPAD = 0x36;
    private static final byte OPAD = 0x5c;

    private final MessageDigest sha256;
    private final byte[] innerPad = new byte[BLOCK];
    private final byte[] outerPad = new byte[BLOCK];
    private final byte[] inner = new byte[UvsTrailer.MAC_LENGTH];
    private final byte[] scratch = new byte[65_536];
    private final byte[] computed = new byte[UvsTrailer.MAC_LENGTH];
    private final byte[] received = new byte[UvsTrailer.MAC_LENGTH];

    /** An authenticator with {@code key} (at least {@value #MIN_KEY_BYTES} bytes). */
    public HmacAuthenticator(byte[] key) {
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("sync key is " + key.length + " bytes; at least " + MIN_KEY_BYTES
                + " are needed");
        }
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available in this JDK", e);
        }
        // a key longer than the block is hashed first; a shorter one is padded with zeros
        byte[] k = key.length > BLOCK ? sha256.digest(key) : key;
        for (int i = 0; i < BLOCK; i++) {
            byte b = i < k.length ? k[i] : 0;
            innerPad[i] = (byte) (b ^ IPAD);
            outerPad[i] = (byte) (b ^ OPAD);
        }
    }

    /**
     * Reads a key file: the key as hex (64 hex digits for 256 bits; whitespace ignored) or, if the file
     * is not hex, its raw bytes. Only a regular file of at most {@value #MAX_KEY_FILE} bytes is read: a
     * FIFO would block the reader and a device such as /dev/zero never ends.
     *
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException naming the file if it is not a regular file, is too large, or the key
     *     is too short
     */
    public static byte[] readKeyFile(Path file) throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such key file", e);
        }
        if (!a.isRegularFile()) {
            throw new IllegalArgumentException(file + ": not a regular file (" + (a.isDirectory() ? "a directory"
                : "a device, FIFO or socket") + "); a sync key must be a file");
        }
        byte[] raw;
        try (InputStream in = Files.newInputStream(file)) {
            raw = in.readNBytes(MAX_KEY_FILE + 1);
        }
        if (raw.length > MAX_KEY_FILE) {
            throw new IllegalArgumentException(file + ": more than " + MAX_KEY_FILE + " bytes; not a sync key file");
        }
        String text = new String(raw, StandardCharsets.US_ASCII).replaceAll("\\s", "");
        byte[] key;
        if (!text.isEmpty() && text.length() % 2 == 0 && text.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            key = HexFormat.of().parseHex(text);
        } else {
            key = raw;
        }
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException(file + ": sync key is " + key.length + " bytes; at least "
                + MIN_KEY_BYTES + " are needed");
        }
        return key;
    }

    /** Writes the HMAC of bytes {@code [offset, macAt)} at {@code macAt}. */
    public void sign(MutableDirectBuffer b, int offset, int macAt) {
        compute(b, offset, macAt);
        b.putBytes(macAt, computed);
    }

    /** True if the HMAC at {@code macAt} matches bytes {@code [offset, macAt)} (constant-time compare). */
    public boolean verify(DirectBuffer b, int offset, int macAt) {
        compute(b, offset, macAt);
        b.getBytes(macAt, received);
        return MessageDigest.isEqual(computed, received);
    }

    private void compute(DirectBuffer b, int offset, int end) {
        int len = end - offset;
        b.getBytes(offset, scratch, 0, len);
        try {
            sha256.update(innerPad, 0, BLOCK);
            sha256.update(scratch, 0, len);
            sha256.digest(inner, 0, inner.length);
            sha256.update(outerPad, 0, BLOCK);
            sha256.update(inner, 0, inner.length);
            sha256.digest(computed, 0, computed.length);
        } catch (DigestException e) {
            // the output arrays are exactly the digest length
            throw new IllegalStateException(e);
        }
    }
}
