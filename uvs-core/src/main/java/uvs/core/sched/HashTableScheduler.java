package uvs.core.sched;

import uvs.core.svc.RealServer;
import uvs.core.svc.VirtualService;

/**
 * What sh, dh and mh share: a lookup table filled from their service's list of real servers. The kernel fills
 * it again on every add, delete and edit; here a change only marks it stale, and it is filled once after the
 * batch of changes ({@link #settle}, on the engine thread before the next packet) or, failing that, before the
 * next pick, from the same list, so the picks are the kernel's and loading N real servers costs one fill.
 */
abstract class HashTableScheduler implements Scheduler {
    private final VirtualService owner;
    /** The list changed since the table was filled. */
    private boolean stale;

    /** A scheduler of {@code svc}, its table filled by the subclass's constructor. */
    HashTableScheduler(VirtualService svc) {
        this.owner = svc;
    }

    /** Fills the table from {@code dests} (the service's list, newest first). */
    abstract void reassign(RealServer[] dests);

    /** Marks the table to be filled again. */
    final void markStale() {
        stale = true;
    }

    /** True when the list changed since the table was filled. */
    final boolean isStale() {
        return stale;
    }

    /** Fills the table now from {@code dests}, which the subclass chose (mh: the last list that fitted). */
    final void fillNow(RealServer[] dests) {
        reassign(dests);
        stale = false;
    }

    @Override
    public final void settle(VirtualService svc) {
        rebuildIfStale();
    }

    /** Fills the table now if the list changed since it was last filled. */
    final void rebuildIfStale() {
        if (stale) {
            fillNow(owner.dests());
        }
    }
}
