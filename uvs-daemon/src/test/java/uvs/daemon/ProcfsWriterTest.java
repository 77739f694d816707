package uvs.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import uvs.core.Engine;
import uvs.core.EngineConfig;
import uvs.time.ManualClock;

/** The procfs writer's duty cycle: writes once a period, and a directory it cannot write is a warning, not a failure. */
class ProcfsWriterTest {
    @TempDir
    Path dir;

    private final EngineAgent agent = new EngineAgent(new Engine(new ManualClock(), EngineConfig.defaults()));
    private final EngineGroup engines = new EngineGroup(List.of(agent));
    private final ch.qos.logback.classic.Logger log =
        (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(ProcfsWriter.class);
    private final ListAppender<ILoggingEvent> seen = new ListAppender<>();
    private Thread engineThread;

    @BeforeEach
    void start() {
        engineThread = TestAgents.start(agent, agent.idleStrategy());
        seen.start();
        log.addAppender(seen);
    }

    @AfterEach
    void stop() throws InterruptedException {
        log.detachAppender(seen);
        agent.stop();
        engineThread.join(2000);
    }

    @Test
    void shouldWriteAtOnceThenWaitForThePeriod() throws Exception {
        ProcfsWriter w = new ProcfsWriter(engines, dir.resolve("proc/net"), null);
        assertThat(w.roleName()).isEqualTo("uvs-procfs");
        assertThat(w.doWork()).isEqualTo(1);
        assertThat(dir.resolve("proc/net/ip_vs")).content().startsWith("IP Virtual Server version");
        assertThat(dir.resolve("proc/net/ip_vs_conn_sync")).exists();
        assertThat(w.doWork()).as("the period has not passed").isZero();
    }

    @Test
    void shouldWarnOnceWhenTheDirectoryCannotBeWrittenAndNotThrow() throws Exception {
        Path notADir = Files.writeString(dir.resolve("file"), "x");
        ProcfsWriter w = new ProcfsWriter(engines, notADir.resolve("net"), null);
        assertThat(w.doWork()).isEqualTo(1);
        assertThat(seen.list).filteredOn(e -> e.getLevel() == Level.WARN).singleElement()
            .extracting(ILoggingEvent::getFormattedMessage).asString()
            .contains("procfs view in " + notADir.resolve("net") + " not written");
    }
}
