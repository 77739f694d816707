package uvs.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import uvs.core.Engine;
import uvs.core.EngineConfig;
import uvs.daemon.metrics.MetricsServer;
import uvs.time.ManualClock;

/**
 * The supervisor's policy for uvsd's agents: each failure logged once with its stack and counted by role;
 * a restarted agent stops the daemon after failing more than 5 times a minute; an Error always stops it.
 */
class SupervisorTest {
    private static final long WAIT_NANOS = Duration.ofSeconds(10).toNanos();

    private final List<Integer> exits = new CopyOnWriteArrayList<>();
    private final AtomicLong now = new AtomicLong();
    private final Supervisor supervisor = new Supervisor(exits::add, now::get);
    private final ch.qos.logback.classic.Logger log =
        (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Supervisor.class);
    private final ListAppender<ILoggingEvent> seen = new ListAppender<>();

    @BeforeEach
    void watchLog() {
        seen.start();
        log.addAppender(seen);
    }

    @AfterEach
    void stopWatching() {
        log.detachAppender(seen);
    }

    @Test
    void shouldRestartAFailingAgentFiveTimesAMinuteThenStopTheDaemon() throws Exception {
        FailingAgent agent = new FailingAgent("uvs-test-part", () -> true, () -> new IllegalStateException("broken"));
        AgentRunner runner = supervisor.run(agent, new SleepingMillisIdleStrategy(1), AgentPolicy.RESTART);
        await(runner::isClosed, "the given-up agent is closed");
        assertThat(agent.runs.get()).isEqualTo(Supervisor.MAX_RESTARTS + 1);
        assertThat(agent.closed).isTrue();
        assertThat(exits).containsExactly(Supervisor.EXIT_FAILED);
        assertThat(supervisor.failure()).contains("restarted " + Supervisor.MAX_RESTARTS + " times within a minute");
        // every failure counted, and the fatal one
        assertThat(supervisor.errorCounts()).containsEntry("uvs-test-part", Supervisor.MAX_RESTARTS + 2L);
        assertThat(loggedOnceWithStack("uvs-test-part failed: IllegalStateException: broken")).isTrue();
        assertThat(messages(Level.WARN, "uvs-test-part restarted")).isEqualTo(Supervisor.MAX_RESTARTS);
    }

    @Test
    void shouldKeepRestartingAnAgentWhoseFailuresAreMoreThanAMinuteApart() throws Exception {
        int failures = Supervisor.MAX_RESTARTS + 2;
        FailingAgent agent = new FailingAgent("uvs-test-part", new Countdown(failures), () -> {
            now.addAndGet(Supervisor.RESTART_WINDOW_NANOS / Supervisor.MAX_RESTARTS + 1);
            return new IllegalStateException("now and then");
        });
        AgentRunner runner = supervisor.run(agent, new SleepingMillisIdleStrategy(1), AgentPolicy.RESTART);
        await(() -> agent.quiet.get() > 0, "the agent works again");
        Supervisor.stop(runner);
        assertThat(agent.runs.get()).isEqualTo(failures);
        assertThat(exits).isEmpty();
        assertThat(supervisor.errorCounts()).containsEntry("uvs-test-part", (long) failures);
        assertThat(messages(Level.ERROR, "uvs-test-part failed")).isEqualTo(1);
    }

    @Test
    void shouldContinueAnAgentThatKeepsFailingAndCountEveryFailureInPrometheus() throws Exception {
        int failures = 50;
        FailingAgent agent = new FailingAgent("uvs-test-sender", new Countdown(failures),
            () -> new IllegalArgumentException("bad send"));
        AgentRunner runner = supervisor.run(agent, new SleepingMillisIdleStrategy(1), AgentPolicy.CONTINUE);
        await(() -> agent.quiet.get() > 0, "the agent goes on after its failures");
        Supervisor.stop(runner);
        assertThat(agent.closed).isTrue();
        assertThat(exits).isEmpty();
        assertThat(supervisor.failure()).isNull();
        assertThat(loggedOnceWithStack("uvs-test-sender failed: IllegalArgumentException: bad send")).isTrue();
        assertThat(scrape()).contains("uvs_daemon_thread_errors_total{thread=\"uvs-test-sender\"} 50.0");
    }

    @Test
    void shouldStopTheDaemonWhenAnAgentThrowsAnErrorAndCountItOnce() throws Exception {
        FailingAgent agent = new FailingAgent("uvs-test-engine", () -> true, StackOverflowError::new);
        AgentRunner runner = supervisor.run(agent, new SleepingMillisIdleStrategy(1), AgentPolicy.CONTINUE);
        await(runner::isClosed, "the agent's thread ends");
        assertThat(agent.runs.get()).isEqualTo(1);
        assertThat(exits).containsExactly(Supervisor.EXIT_FAILED);
        assertThat(supervisor.failure()).isEqualTo("uvs-test-engine: StackOverflowError");
        assertThat(supervisor.errorCounts()).containsEntry("uvs-test-engine", 1L);
        assertThat(messages(Level.ERROR, "uvs-test-engine failed: StackOverflowError; uvsd stops (exit 70)"))
            .isEqualTo(1);
    }

    @Test
    void shouldGiveARunnerOfItsOwnTheSamePolicy() throws Exception {
        // as the data plane runs its workers: its own AgentRunner, the supervisor's handler
        FailingAgent agent = new FailingAgent("uvs-test-worker", new Countdown(3), () -> new IllegalStateException("x"));
        AgentRunner runner = new AgentRunner(NoOpIdleStrategy.INSTANCE, supervisor.errorHandlerFor("uvs-test-worker"),
            null, agent);
        AgentRunner.startOnThread(runner);
        await(() -> agent.quiet.get() > 0, "the worker goes on");
        runner.close();
        assertThat(supervisor.errorCounts()).containsEntry("uvs-test-worker", 3L);
        assertThat(messages(Level.ERROR, "uvs-test-worker failed")).isEqualTo(1);
        assertThat(exits).isEmpty();
        supervisor.errorHandlerFor("uvs-test-worker").onError(new OutOfMemoryError("simulated"));
        assertThat(exits).containsExactly(Supervisor.EXIT_FAILED);
    }

    @Test
    void shouldStopTheDaemonWhenAOneOffTaskDiesOfAnError() throws Exception {
        Thread t = supervisor.start("uvs-test-reload", () -> {
            throw new StackOverflowError();
        });
        t.join(5000);
        assertThat(exits).containsExactly(Supervisor.EXIT_FAILED);
        assertThat(supervisor.failure()).isEqualTo("uvs-test-reload: StackOverflowError");
    }

    @Test
    void shouldStopTheDaemonWhenAnEngineAgentDiesOfAnErrorAndFailItsQueuedTasks() throws Exception {
        EngineAgent engine = new EngineAgent(new Engine(new ManualClock(), EngineConfig.defaults()), "uvs-test-engine");
        AgentRunner runner = supervisor.run(engine, engine.idleStrategy(), AgentPolicy.CONTINUE);
        engine.addCycleWork(e -> {
            throw new IllegalStateException("cycle fault");
        });
        await(() -> supervisor.errorCounts().getOrDefault("uvs-test-engine", 0L) >= 3, "cycle faults counted");
        assertThat(exits).as("a cycle that throws does not stop the engine").isEmpty();
        int seven = engine.call(e -> 7, 5);
        assertThat(seven).isEqualTo(7);
        assertThat(engine.submit(e -> {
            throw new OutOfMemoryError("simulated");
        })).failsWithin(Duration.ofSeconds(5));
        await(runner::isClosed, "the engine's thread ends");
        assertThat(exits).containsExactly(Supervisor.EXIT_FAILED);
        assertThat(supervisor.failure()).startsWith("uvs-test-engine: OutOfMemoryError");
        assertThat(engine.canTake()).isFalse();
        assertThat(messages(Level.ERROR, "uvs-test-engine failed: IllegalStateException: cycle fault")).isEqualTo(1);
    }

    private String scrape() throws Exception {
        EngineGroup engines = new EngineGroup(List.of(new EngineAgent(new Engine(new ManualClock(),
            EngineConfig.defaults()))));
        DaemonMetrics metrics = new DaemonMetrics(new SyncDaemonGroup(engines, supervisor), () -> null, supervisor,
            () -> 0, new ReloadCounters());
        try (MetricsServer server = new MetricsServer("127.0.0.1", 0, metrics)) {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        }
    }

    private boolean loggedOnceWithStack(String message) {
        List<ILoggingEvent> events = seen.list.stream()
            .filter(e -> e.getLevel() == Level.ERROR && e.getFormattedMessage().startsWith(message)).toList();
        return events.size() == 1 && events.get(0).getThrowableProxy() != null;
    }

    private long messages(Level level, String start) {
        return seen.list.stream().filter(e -> e.getLevel() == level && e.getFormattedMessage().startsWith(start))
            .count();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + WAIT_NANOS;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - end).as("waited 10 s for: " + what).isNegative();
            Thread.sleep(5);
        }
    }

    /** True the first {@code n} times it is asked. */
    private static final class Countdown implements BooleanSupplier {
        private final AtomicInteger left;

        Countdown(int n) {
            left = new AtomicInteger(n);
        }

        @Override
        public boolean getAsBoolean() {
            return left.getAndDecrement() > 0;
        }
    }

    /** An agent that throws while {@code failing} says so, then idles (counting its quiet cycles). */
    private static final class FailingAgent implements Agent {
        final String role;
        final BooleanSupplier failing;
        final Supplier<Throwable> failure;
        final AtomicInteger runs = new AtomicInteger();
        final AtomicInteger quiet = new AtomicInteger();
        volatile boolean closed;

        FailingAgent(String role, BooleanSupplier failing, Supplier<Throwable> failure) {
            this.role = role;
            this.failing = failing;
            this.failure = failure;
        }

        @Override
        public int doWork() throws Exception {
            if (failing.getAsBoolean()) {
                runs.incrementAndGet();
                Throwable t = failure.get();
                if (t instanceof Error e) {
                    throw e;
                }
                throw (Exception) t;
            }
            quiet.incrementAndGet();
            return 0;
        }

        @Override
        public void onClose() {
            closed = true;
        }

        @Override
        public String roleName() {
            return role;
        }
    }
}
