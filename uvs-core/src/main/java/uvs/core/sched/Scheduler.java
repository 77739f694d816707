package uvs.core.sched;

import uvs.core.PacketHeader;
import uvs.core.svc.RealServer;
import uvs.core.svc.VirtualService;

/**
 * A scheduler, as the kernel's {@code struct ip_vs_scheduler}: one instance per virtual service holds
 * that service's scheduling state. The engine calls the {@code on*} hooks after it changed the service's
 * real-server list, and {@link #schedule} for each new connection. All calls come from the engine's
 * thread; {@link #schedule} must not allocate.
 */
public interface Scheduler {
    /** The ipvsadm name ({@code -s}). */
    String name();

    /** A real server was inserted at the head of the list. */
    default void onDestAdded(VirtualService svc, RealServer dest) {
    }

    /**
     * A real server was removed from the list.
     *
     * @param formerIndex its index in the list before removal
     */
    default void onDestRemoved(VirtualService svc, RealServer dest, int formerIndex) {
    }

    /** A real server's weight, thresholds or method changed. */
    default void onDestUpdated(VirtualService svc, RealServer dest) {
    }

    /** The service's scheduler flags changed ({@code -E -b}). */
    default void onServiceUpdated(VirtualService svc) {
    }

    /**
     * Work a batch of control changes left for later, done after the batch and before the next packet (sh, dh
     * and mh build their lookup table here once, so no packet pays for a rebuild and loading N real servers
     * costs one build, not N).
     */
    default void settle(VirtualService svc) {
    }

    /** Periodic housekeeping (lblc/lblcr cache expiry); {@code now} in jiffies. */
    default void onTick(VirtualService svc, int now) {
    }

    /**
     * Chooses a real server for a new connection, or returns null ("no destination available").
     *
     * @param pkt the packet; address-hashing schedulers use its source (or, when {@code inverse}, its
     *     destination) address
     */
    RealServer schedule(VirtualService svc, PacketHeader pkt);
}
