package uvs.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.agrona.ErrorHandler;
import org.junit.jupiter.api.Test;

class DataPlaneErrorHandlerTest {
    @Test
    void shouldCountAWorkerExceptionAndKeepUvsdRunning() {
        List<Integer> exits = new ArrayList<>();
        Supervisor supervisor = new Supervisor(exits::add);
        ErrorHandler h = DataPlane.errorHandler(supervisor, "uvs-dataplane-0");
        h.onError(new IllegalStateException("one bad packet"));
        h.onError(new IllegalStateException("another"));
        assertThat(supervisor.errorCounts()).containsEntry("uvs-dataplane-0", 2L);
        assertThat(exits).isEmpty();
        assertThat(supervisor.failure()).isNull();
    }

    @Test
    void shouldStopUvsdOnAnError() {
        List<Integer> exits = new ArrayList<>();
        Supervisor supervisor = new Supervisor(exits::add);
        DataPlane.errorHandler(supervisor, "uvs-dataplane-1").onError(new OutOfMemoryError("test"));
        assertThat(exits).containsExactly(Supervisor.EXIT_FAILED);
        assertThat(supervisor.failure()).startsWith("uvs-dataplane-1: OutOfMemoryError");
    }
}
