package uvs.daemon;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.ToIntFunction;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import uvs.core.Engine;

/**
 * The engine's owner thread in {@code uvsd}: the only thread that touches the engine. Other threads
 * (the control socket, health checks) hand it work through a bounded lock-free queue; each cycle it runs
 * queued work, then the engine's timers. The loop survives any exception a task throws (the task's caller
 * gets it) or a cycle throws (reported to the {@link ErrorHandler}); an {@link Error} ends the loop, after
 * failing the task that threw it, and the thread's supervisor stops uvsd: the engine's state is unknown then.
 */
public final class EngineAgent implements Runnable {
    private static final int QUEUE = 1024;
    private static final int DRAIN_LIMIT = 64;

    private final Engine engine;
    private final ManyToOneConcurrentArrayQueue<Task<?>> queue = new ManyToOneConcurrentArrayQueue<>(QUEUE);
    private volatile IntConsumer idle;
    private final List<ToIntFunction<Engine>> cycleWork =
        new CopyOnWriteArrayList<>();
    private volatile boolean running = true;
    private volatile ErrorHandler errorHandler = e -> { };
    private long taskErrors;

    /** An agent owning {@code engine}. */
    public EngineAgent(Engine engine) {
        this.engine = engine;
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

    /** One cycle: queued work, then engine timers; returns the work done. */
    public int doWork() {
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
     * waits for frames with poll(2) instead of sleeping). Call before the loop starts or from its thread.
     */
    public void idleStrategy(IntConsumer idle) {
        this.idle = idle;
    }

    @Override
    public void run() {
        try {
            loop();
        } finally {
            failPending();
        }
    }

    private void loop() {
        while (running) {
            try {
                if (doWork() == 0) {
                    IntConsumer i = idle;
                    if (i == null) {
                        Thread.sleep(1);
                    } else {
                        i.accept(1);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            } catch (RuntimeException e) {
                // a daemon loop never dies on an exception
                taskErrors++;
                errorHandler.onError(e);
            }
        }
    }

    /** Fails the tasks still queued when the loop ends (stopped, or died of an Error). */
    private void failPending() {
        running = false;
        queue.drain(task -> task.future.completeExceptionally(new IllegalStateException("engine stopped")));
    }

    /** Where failures of the loop itself (not of a task) are reported. */
    public void errorHandler(ErrorHandler h) {
        this.errorHandler = h;
    }

    /** Asks the loop to stop after its current cycle. */
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
}
