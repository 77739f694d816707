package uvs.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReloadSignalTest {
    @Test
    void aHangUpWhileStartingIsServedOnceUvsdRuns() {
        ReloadSignal hup = new ReloadSignal();
        AtomicInteger reloads = new AtomicInteger();
        hup.signalled();
        hup.signalled(); // two while starting: one reload reads the newest files
        assertThat(reloads).hasValue(0);
        hup.running(reloads::incrementAndGet);
        assertThat(reloads).hasValue(1);
        hup.signalled();
        assertThat(reloads).hasValue(2);
    }

    @Test
    void noHangUpNoReload() {
        ReloadSignal hup = new ReloadSignal();
        AtomicInteger reloads = new AtomicInteger();
        hup.running(reloads::incrementAndGet);
        assertThat(reloads).hasValue(0);
    }
}
