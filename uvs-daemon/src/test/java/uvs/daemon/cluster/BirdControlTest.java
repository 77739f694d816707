package uvs.daemon.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BirdControlTest {
    @Test
    void shouldReadAReplyUpToItsLastLine() throws IOException {
        BufferedReader in = new BufferedReader(new StringReader(
            "0002-Reading configuration from /etc/bird/bird.conf\n0003 Reconfigured\n0001 next\n"));

        assertThat(BirdControl.reply(in, "configure"))
            .containsExactly("0002-Reading configuration from /etc/bird/bird.conf", "0003 Reconfigured");
    }

    @Test
    void shouldThrowBirdsErrorWithItsText() {
        BufferedReader in = new BufferedReader(new StringReader(
            "0002-Reading configuration from /etc/bird/bird.conf\n8002 /run/uvs/bird/uvsd.conf:3:5 syntax error\n"));

        assertThatThrownBy(() -> BirdControl.reply(in, "configure")).isInstanceOf(IOException.class)
            .hasMessageContaining("'configure' failed").hasMessageContaining("8002 /run/uvs/bird/uvsd.conf:3:5 syntax error");
    }

    @Test
    void shouldSayWhenBirdHangsUp() {
        assertThatThrownBy(() -> BirdControl.reply(new BufferedReader(new StringReader("0002-Reading\n")), "configure"))
            .hasMessage("connection closed during 'configure'");
    }

    @Test
    void shouldSendConfigureAfterTheGreeting(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("bird.ctl");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            CompletableFuture<String> asked = CompletableFuture.supplyAsync(() -> {
                try (SocketChannel c = server.accept()) {
                    c.write(ByteBuffer.wrap("0001 BIRD 2.0.12 ready.\n".getBytes(StandardCharsets.UTF_8)));
                    ByteBuffer b = ByteBuffer.allocate(64);
                    c.read(b);
                    c.write(ByteBuffer.wrap("0003 Reconfigured\n".getBytes(StandardCharsets.UTF_8)));
                    return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });

            assertThat(new BirdControl(socket).configure()).containsExactly("0003 Reconfigured");
            assertThat(asked.get()).isEqualTo("configure\n");
        }
        assertThatThrownBy(() -> new BirdControl(dir.resolve("none.ctl")).configure()).isInstanceOf(IOException.class)
            .hasMessageStartingWith("BIRD at " + dir.resolve("none.ctl") + ": ");
    }
}
