package uvs.daemon;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import uvs.core.Engine;
import uvs.ctl.view.EngineView;
import uvs.ctl.view.EngineViews;
import uvs.ctl.view.Snapshots;

/**
 * The engine shards of one uvsd, each owned by its agent's thread (one per data-plane worker; a single one
 * without {@code --workers}). Configuration changes go to every shard, shard 0 first, so all shards hold
 * the same services, real servers and tunables; listings add the shards up.
 */
public final class EngineGroup {
    private final List<EngineAgent> agents;

    /** A group of these agents (at least one). */
    public EngineGroup(List<EngineAgent> agents) {
        if (agents.isEmpty()) {
            throw new IllegalArgumentException("an engine group needs at least one engine");
        }
        this.agents = List.copyOf(agents);
    }

    /** Shard 0's agent. */
    public EngineAgent primary() {
        return agents.get(0);
    }

    /** Shard {@code i}'s agent. */
    public EngineAgent agent(int i) {
        return agents.get(i);
    }

    /** How many shards. */
    public int size() {
        return agents.size();
    }

    /**
     * Runs {@code work} on every shard (queued on all at once) and completes with shard 0's result once all
     * are done, or with the first failure. The same change is valid on every shard, so a change refused by
     * one is refused by all.
     *
     * @throws IllegalStateException if a shard's queue is full or it has stopped
     */
    public <T> CompletableFuture<T> submit(Function<Engine, T> work) {
        // refuse before any shard takes it: a change queued on some shards only would split the configuration
        for (EngineAgent a : agents) {
            if (!a.canTake()) {
                throw new IllegalStateException("engine busy: control queue full");
            }
        }
        List<CompletableFuture<T>> all = new ArrayList<>(agents.size());
        for (EngineAgent a : agents) {
            all.add(a.submit(work));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(v -> all.get(0).join());
    }

    /** {@link #submit} and wait up to {@code seconds}; a runtime exception from {@code work} is rethrown as is. */
    public <T> T call(Function<Engine, T> work, int seconds) throws Exception {
        try {
            return submit(work).get(seconds, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            while (c instanceof CompletionException && c.getCause() != null) {
                c = c.getCause();
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }

    /** Runs {@code work} on each shard and returns every result, in shard order. */
    public <T> List<T> callEach(Function<Engine, T> work, int seconds) throws Exception {
        List<T> out = new ArrayList<>(agents.size());
        for (EngineAgent a : agents) {
            out.add(a.call(work, seconds));
        }
        return out;
    }

    /** The whole director as ipvsadm lists it: the shards' views added up, with or without connections. */
    public EngineView view(boolean connections, int seconds) throws Exception {
        return EngineViews.merge(callEach(connections ? Snapshots::of : Snapshots::withoutConnections, seconds));
    }

    /** Stops every agent's loop. */
    public void stop() {
        agents.forEach(EngineAgent::stop);
    }
}
