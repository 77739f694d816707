package uvs.sync.ext;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * HMAC-SHA256 over sync datagrams with a shared key. One instance per thread (a {@link Mac} is not
 * thread-safe); signing and verifying reuse its buffers, so they do not allocate.
 */
public final class HmacAuthenticator {
    /** Shortest key accepted, in bytes. */
    public static final int MIN_KEY_BYTES = 16;

    private final Mac mac;
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
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
        }
    }

    /**
     * Reads a key file: the key as hex (64 hex digits for 256 bits; whitespace ignored) or, if the file
     * is not hex, its raw bytes.
     *
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException naming the file if the key is too short
     */
    public static byte[] readKeyFile(Path file) throws IOException {
        byte[] raw = Files.readAllBytes(file);
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
        mac.update(scratch, 0, len);
        try {
            mac.doFinal(computed, 0);
        } catch (javax.crypto.ShortBufferException e) {
            throw new IllegalStateException(e);
        }
    }
}
