package uvs.sync.ext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HmacAuthenticatorTest {
    private static final byte[] KEY = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

    @TempDir
    Path dir;

    @Test
    void shouldMatchRfc4231TestCase1() {
        byte[] key = new byte[20];
        Arrays.fill(key, (byte) 0x0b);
        byte[] data = "Hi There".getBytes(StandardCharsets.US_ASCII);
        UnsafeBuffer b = new UnsafeBuffer(new byte[data.length + 32]);
        b.putBytes(0, data);
        new HmacAuthenticator(key).sign(b, 0, data.length);
        byte[] mac = new byte[32];
        b.getBytes(data.length, mac);
        assertThat(HexFormat.of().formatHex(mac))
            .isEqualTo("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    }

    @Test
    void shouldRefuseAlteredDataOrWrongKey() {
        UnsafeBuffer b = new UnsafeBuffer(new byte[100 + 32]);
        for (int i = 0; i < 100; i++) {
            b.putByte(i, (byte) i);
        }
        HmacAuthenticator auth = new HmacAuthenticator(KEY);
        auth.sign(b, 0, 100);
        assertThat(auth.verify(b, 0, 100)).isTrue();
        b.putByte(42, (byte) 0x7f);
        assertThat(auth.verify(b, 0, 100)).isFalse();
        b.putByte(42, (byte) 42);
        byte[] other = KEY.clone();
        other[0] ^= 1;
        assertThat(new HmacAuthenticator(other).verify(b, 0, 100)).isFalse();
    }

    @Test
    void shouldReadHexOrRawKeyFilesAndRefuseShortKeys() throws IOException {
        Path hex = dir.resolve("hex.key");
        Files.writeString(hex, HexFormat.of().formatHex(KEY) + "\n");
        assertThat(HmacAuthenticator.readKeyFile(hex)).isEqualTo(KEY);
        Path raw = dir.resolve("raw.key");
        Files.write(raw, "a secret of sufficient length!".getBytes(StandardCharsets.US_ASCII));
        assertThat(HmacAuthenticator.readKeyFile(raw)).hasSize(30);
        Path shortKey = dir.resolve("short.key");
        Files.writeString(shortKey, "abcd");
        assertThatThrownBy(() -> HmacAuthenticator.readKeyFile(shortKey)).hasMessageContaining("short.key")
            .hasMessageContaining("at least 16");
    }
}
