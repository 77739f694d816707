package uvs.daemon;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import uvs.core.Engine;

/**
 * The engine's owner thread in {@code uvsd}: the only thread that touches the engine. Other threads
 * (the control socket, health checks) hand it work through a bounded lock-free queue; each cycle it runs
 * queued work, then the engine's timers. The loop survives any exception a task throws.
 */
public final class EngineAgent implements Runnable {
    private static final int QUEUE = 1024;
    private static final int DRAIN_LIMIT = 64;

    private final Engine engine;
    private final ManyToOneConcurrentArrayQueue<Runnable> queue = new ManyToOneConcurrentArrayQueue<>(QUEUE);
    private volatile java.util.function.IntConsumer idle;
    private final java.util.List<java.util.function.ToIntFunction<Engine>> cycleWork =
        new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean running = true;
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
        CompletableFuture<T> f = new CompletableFuture<>();
        Runnable task = () -> {
            try {
                f.complete(work.apply(engine));
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        };
        if (!running || !queue.offer(task)) {
            throw new IllegalStateException(running ? "engine busy: control queue full" : "engine stopped");
        }
        return f;
    }

    /**
     * Like {@link #submit} and waits up to {@code seconds}; a runtime exception thrown by {@code work} is
     * rethrown as it was.
     */
    public <T> T call(Function<Engine, T> work, int seconds) throws Exception {
        try {
            return submit(work).get(seconds, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }

    /** One cycle: queued work, then engine timers; returns the work done. */
    public int doWork() {
        int n = queue.drain(task -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                taskErrors++;
            }
        }, DRAIN_LIMIT);
        n += engine.doWork();
        for (java.util.function.ToIntFunction<Engine> w : cycleWork) {
            n += w.applyAsInt(engine);
        }
        return n;
    }

    /** Adds work to run on the engine thread every cycle (sync daemons' timers and receive). */
    public void addCycleWork(java.util.function.ToIntFunction<Engine> work) {
        cycleWork.add(work);
    }

    /**
     * Sets how the loop waits when a cycle found nothing to do: given a bound in milliseconds (the data plane
     * waits for frames with poll(2) instead of sleeping). Call before the loop starts or from its thread.
     */
    public void idleStrategy(java.util.function.IntConsumer idle) {
        this.idle = idle;
    }

    @Override
    public void run() {
        while (running) {
            try {
                if (doWork() == 0) {
                    java.util.function.IntConsumer i = idle;
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
            }
        }
    }

    /** Asks the loop to stop after its current cycle. */
    public void stop() {
        running = false;
    }

    /** Tasks that threw. */
    public long taskErrors() {
        return taskErrors;
    }
}
