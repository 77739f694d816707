package uvs.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Errors never read "null", and an echoed argument is cut to a readable length. */
class MessagesTest {
    @Test
    void shouldNeverSayNull() {
        assertThat(Messages.of(new TimeoutException())).isEqualTo("uvsd did not answer in time (the engine is busy or stuck)");
        assertThat(Messages.of(new EOFException())).isEqualTo("cut short");
        assertThat(Messages.of(new NoSuchFileException("/nonexistent"))).isEqualTo("/nonexistent: no such file");
        assertThat(Messages.of(new IllegalStateException())).isEqualTo("IllegalStateException");
    }

    @Test
    void shouldClipLongTextAndSayHowMuchWasLeftOut() {
        String s = "y".repeat(Messages.MAX + 42);
        assertThat(Messages.clip(s)).isEqualTo("y".repeat(Messages.MAX) + "... (42 more characters)");
        assertThat(ControlProtocol.Reply.error(2, "x".repeat(20_000_000) + "\nsecond line\n").stderr())
            .hasSizeLessThan(Messages.MAX + 60).endsWith("more characters)\nsecond line\n");
    }
}
