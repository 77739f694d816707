package uvs.daemon;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.ToIntFunction;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import uvs.core.Engine;

/**
 * The agent that owns an engine in {@code uvsd}: its thread is the only one that touches the engine. Other
 * threads (the control socket, health checks) hand it work through a bounded lock-free queue; each duty cycle
 * runs queued work, then the engine's timers and the registered cycle work. A task that throws fails only
 * itself (its caller gets the exception); a cycle that throws is reported to the runner's error handler and the
 * next cycle runs ({@link AgentPolicy#CONTINUE}). An {@link Error} fails the task that threw it and every task
 * still queued, refuses new ones and ends the agent; the supervisor then stops uvsd: the engine's state is
 * unknown.
 */
public final class EngineAgent implements Agent {
    private static final int QUEUE = 1024;
    private static final int DRAIN_LIMIT = 64;

    private final Engine engine;
    private final String roleName;
    // without a data plane: spin and yield briefly after work (a command's follow-up comes soon), then park
    // up to 1 ms, which bounds both a command's wait and the timers' lateness
    private final IdleStrategy backoff = new BackoffIdleStrategy(10, 5, 1_000, 1_000_000);
    private final IdleStrategy idleStrategy = new EngineIdle();
    private final ManyToOneConcurrentArrayQueue<Task<?>> queue = new ManyToOneConcurrentArrayQueue<>(QUEUE);
    private volatile IntConsumer idle;
    private final List<ToIntFunction<Engine>> cycleWork =
        new CopyOnWriteArrayList<>();
    private volatile boolean running = true;
    private long taskErrors;

    /** An agent owning {@code engine}, its role (and thread) called {@code uvs-engine}. */
    public EngineAgent(Engine engine) {
        this(engine, "uvs-engine");
    }

    /** An agent owning {@code engine}, its role (and thread) called {@code roleName}. */
    public EngineAgent(Engine engine, String roleName) {
        this.engine = engine;
        this.roleName = roleName;
    }

    /** True when the agent runs and its queue can take a task now. */
    public boolean canTake() {
        return running && queue.remainingCapacity() > 0;
    }

    /** The engine; touch it only from the agent's thread (or before the agent runs). */
    public Engine engine() {
        return engine;
    }

    /**
     * Runs {@code work} on the engine thread and returns its result.
     *
     * @throws IllegalStateException if the queue is full or the agent has stopped
     */
    public <T> CompletableFuture<T> submit(Function<Engine, T> work) {
        Task<T> task = new Task<>(work);
        if (!running || !queue.offer(task)) {
            throw new IllegalStateException(running ? "engine busy: control queue full" : "engine stopped");
        }
        if (!running) {
            // the loop may have ended between the check and the offer: never leave a caller waiting
            task.future.completeExceptionally(new IllegalStateException("engine stopped"));
        }
        return task.future;
    }

    /**
     * Like {@link #submit} and waits up to {@code seconds}; a runtime exception thrown by {@code work} is
     * rethrown as it was.
     */
    public <T> T call(Function<Engine, T> work, int seconds) throws Exception {
        try {
            return submit(work).get(seconds, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw new IllegalStateException("engine failed: " + Supervisor.oneLine(err), err);
            }
            throw e;
        }
    }

    /**
     * One cycle: queued work, then engine timers; returns the work done.
     *
     * @throws AgentTerminationException (expected) once {@link #stop} was called
     */
    @Override
    public int doWork() {
        if (!running) {
            throw new AgentTerminationException(true);
        }
        try {
            return cycle();
        } catch (Error e) {
            // callers must not wait out their timeouts on an engine that is gone
            failPending();
            throw e;
        }
    }

    private int cycle() {
        int n = queue.drain(this::runTask, DRAIN_LIMIT);
        if (n > 0) {
            engine.settleSchedulers(); // tables rebuilt here, not on the next packet
        }
        n += engine.doWork();
        for (ToIntFunction<Engine> w : cycleWork) {
            n += w.applyAsInt(engine);
        }
        return n;
    }

    /** Adds work to run on the engine thread every cycle (sync daemons' timers and receive). */
    public void addCycleWork(ToIntFunction<Engine> work) {
        cycleWork.add(work);
    }

    /**
     * Sets how the loop waits when a cycle found nothing to do: given a bound in milliseconds (the data plane
     * waits for frames with poll(2) instead of parking). Call before the loop starts or from its thread.
     */
    public void idleStrategy(IntConsumer idle) {
        this.idle = idle;
    }

    /** The idle strategy to run this agent with: the data plane's wait when one is set, else a backoff. */
    public IdleStrategy idleStrategy() {
        return idleStrategy;
    }

    @Override
    public String roleName() {
        return roleName;
    }

    /** Fails the tasks still queued when the agent ends (stopped, or died of an Error). */
    @Override
    public void onClose() {
        failPending();
    }

    private void failPending() {
        running = false;
        queue.drain(task -> task.future.completeExceptionally(new IllegalStateException("engine stopped")));
    }

    /** Asks the agent to stop after its current cycle (its runner then ends). */
    public void stop() {
        running = false;
    }

    private <T> void runTask(Task<T> t) {
        try {
            t.future.complete(t.work.apply(engine));
        } catch (RuntimeException e) {
            taskErrors++;
            t.future.completeExceptionally(e);
        } catch (Error e) {
            t.future.completeExceptionally(e);
            throw e;
        }
    }

    /** Work queued for the engine thread and the future its caller waits on. */
    private static final class Task<T> {
        final Function<Engine, T> work;
        final CompletableFuture<T> future = new CompletableFuture<>();

        Task(Function<Engine, T> work) {
            this.work = work;
        }
    }

    /** Tasks that threw. */
    public long taskErrors() {
        return taskErrors;
    }

    /** Waits as the data plane asks (it may be set after the agent started), else backs off. */
    private final class EngineIdle implements IdleStrategy {
        @Override
        public void idle(int workCount) {
            IntConsumer i = idle;
            if (i == null) {
                backoff.idle(workCount);
            } else if (workCount <= 0) {
                i.accept(1);
            }
        }

        @Override
        public void idle() {
            idle(0);
        }

        @Override
        public void reset() {
            backoff.reset();
        }
    }
}
