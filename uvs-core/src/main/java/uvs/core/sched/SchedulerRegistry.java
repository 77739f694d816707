package uvs.core.sched;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import uvs.core.svc.VirtualService;

/**
 * Schedulers by their ipvsadm name ({@code -s}), as the kernel's {@code ip_vs_sched.c}: registering a
 * name twice is refused, and an unknown name fails the way the kernel reports it.
 */
public final class SchedulerRegistry {
    private final Map<String, SchedulerFactory> factories = new LinkedHashMap<>();

    /** An empty registry. */
    public SchedulerRegistry() {
    }

    /** A registry holding the 14 IPVS schedulers (rr, wrr, lc, wlc, sed, nq, dh, sh, mh, lblc, lblcr, fo, ovf, twos). */
    public static SchedulerRegistry defaultRegistry() {
        SchedulerRegistry r = new SchedulerRegistry();
        r.register(RoundRobinScheduler.NAME, (svc, ctx) -> new RoundRobinScheduler());
        r.register(WeightedRoundRobinScheduler.NAME, (svc, ctx) -> new WeightedRoundRobinScheduler(svc));
        r.register(LeastConnectionScheduler.NAME, (svc, ctx) -> new LeastConnectionScheduler());
        r.register(WeightedLeastConnectionScheduler.NAME, (svc, ctx) -> new WeightedLeastConnectionScheduler());
        r.register(ShortestExpectedDelayScheduler.NAME, (svc, ctx) -> new ShortestExpectedDelayScheduler());
        r.register(NeverQueueScheduler.NAME, (svc, ctx) -> new NeverQueueScheduler());
        r.register(DestinationHashScheduler.NAME, (svc, ctx) -> new DestinationHashScheduler(svc));
        r.register(SourceHashScheduler.NAME, (svc, ctx) -> new SourceHashScheduler(svc));
        r.register(MaglevHashScheduler.NAME, (svc, ctx) -> new MaglevHashScheduler(svc));
        r.register(LocalityBasedLeastConnectionScheduler.NAME,
            (svc, ctx) -> new LocalityBasedLeastConnectionScheduler(ctx));
        r.register(ReplicatedLocalityBasedLeastConnectionScheduler.NAME,
            (svc, ctx) -> new ReplicatedLocalityBasedLeastConnectionScheduler(ctx));
        r.register(WeightedFailoverScheduler.NAME, (svc, ctx) -> new WeightedFailoverScheduler());
        r.register(WeightedOverflowScheduler.NAME, (svc, ctx) -> new WeightedOverflowScheduler());
        r.register(TwoChoiceScheduler.NAME, (svc, ctx) -> new TwoChoiceScheduler(ctx));
        return r;
    }

    /**
     * Adds a scheduler under {@code name}.
     *
     * @throws IllegalArgumentException if the name is empty or already registered
     */
    public void register(String name, SchedulerFactory factory) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(factory, "factory");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("scheduler name must not be empty");
        }
        if (factories.putIfAbsent(name, factory) != null) {
            throw new IllegalArgumentException("[" + name + "] scheduler already existed in the system");
        }
    }

    /** True if a scheduler of this name is registered. */
    public boolean contains(String name) {
        return factories.containsKey(name);
    }

    /**
     * A new instance of the named scheduler for {@code svc}.
     *
     * @throws IllegalArgumentException "Scheduler module ip_vs_NAME not found" (the kernel's wording; the
     *     kernel answers ENOENT, which ipvsadm prints as "Scheduler or persistence engine not found")
     */
    public Scheduler create(String name, VirtualService svc, SchedulerContext ctx) {
        SchedulerFactory f = factories.get(name);
        if (f == null) {
            throw new IllegalArgumentException("Scheduler module ip_vs_" + name + " not found");
        }
        return f.create(svc, ctx);
    }

    /** Registered names, in registration order. */
    public List<String> names() {
        return List.copyOf(factories.keySet());
    }
}
