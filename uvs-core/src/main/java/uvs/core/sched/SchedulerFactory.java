package uvs.core.sched;

import uvs.core.svc.VirtualService;

/** Makes the scheduler instance of one virtual service (the kernel's {@code init_service}). */
@FunctionalInterface
public interface SchedulerFactory {
    /** A new scheduler for {@code svc}, initialised from its current real-server list. */
    Scheduler create(VirtualService svc, SchedulerContext ctx);
}
