/**
 * IPVS schedulers, one class each under its ipvsadm name (rr, wrr, lc, wlc, sed, nq, dh, sh, mh, lblc,
 * lblcr, fo, ovf, twos), the {@link uvs.core.sched.SchedulerRegistry} that makes them by name, and the
 * kernel hash functions they rely on. Dest lists are read in kernel list order (newest first).
 */
package uvs.core.sched;
