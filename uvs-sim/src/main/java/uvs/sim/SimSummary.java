package uvs.sim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import uvs.core.svc.ServiceFlags;
import uvs.sim.AgreementMeter.Agreement;
import uvs.sim.AgreementMeter.Share;

/**
 * Turns what a run measured into the summary's headline values: their names, the order the reports print them
 * in, and their formatting.
 */
final class SimSummary {
    private final Scenario s;
    private final int ticksPerSecond;
    private final Map<String, String> out = new LinkedHashMap<>();

    private SimSummary(Scenario s, int ticksPerSecond) {
        this.s = s;
        this.ticksPerSecond = ticksPerSecond;
    }

    /**
     * The headline values of a run of {@code s} that ended at {@code endTick}.
     *
     * @param sync           the sync traffic, null without sync
     * @param settled        the agreement summed over the samples before the failure
     * @param agreeAfterTicks ticks until the tables agreed again after B's restart and after A's return, -1 = never
     * @param directors      how many directors ran
     */
    static Map<String, String> of(Scenario s, int ticksPerSecond, int endTick, List<SimResult.Sample> samples,
                                  PopulationTally pop, SyncTally sync, Agreement settled, FailoverTally moves,
                                  RemapTally remap, QuiesceTally quiesce, int[] agreeAfterTicks, int directors) {
        SimSummary summary = new SimSummary(s, ticksPerSecond);
        summary.connections(pop);
        boolean ecmp = s.traffic() == Scenario.Traffic.ECMP;
        if (sync != null) {
            if (!ecmp) {
                summary.agreement(settled, samples);
            }
            summary.sync(sync, pop.opened);
        }
        if (!s.uniformPopulation()) {
            summary.population(pop);
        }
        summary.moves(moves, agreeAfterTicks, ecmp, directors);
        if (ecmp && remap.flows >= 0) {
            String sfx = "_" + summary.schedulerLabel();
            summary.out.put("remapped_on_rs_change" + sfx, percent(remap.moved, remap.flows));
            summary.out.put("remapped_untouched" + sfx, percent(remap.untouchedMoved, remap.untouched));
        }
        if (quiesce.tick > 0) {
            summary.quiesce(quiesce, endTick);
        }
        return summary.out;
    }

    private void connections(PopulationTally pop) {
        out.put("connections", Long.toString(pop.opened));
        if (!s.weights().isEmpty()) {
            StringBuilder share = new StringBuilder();
            for (int i = 1; i < pop.toServer.length; i++) {
                share.append(i > 1 ? " " : "").append("rs").append(i).append('=')
                    .append(pop.opened == 0 ? "n/a" : fmt("%.1f%%", 100.0 * pop.toServer[i] / pop.opened));
            }
            out.put("new_conns_per_real_server", share.toString());
        }
    }

    private void agreement(Agreement settled, List<SimResult.Sample> samples) {
        out.put("agreement_active", percent(settled.active()));
        out.put("agreement_inact", percent(settled.inactive()));
        out.put("agreement_persist", percent(settled.persistent()));
        rawRatios(samples);
    }

    /**
     * B's counters over A's in the last row before the failure (or the last row), as a field report computes
     * them from two {@code ipvsadm -L} listings: lag and never-synced states included. With
     * {@code reference_ratios}, the reference's figures follow.
     */
    private void rawRatios(List<SimResult.Sample> samples) {
        SimResult.Sample last = null;
        for (SimResult.Sample x : samples) {
            if (s.failDirectorAt() == 0 || x.second() < s.failDirectorAt()) {
                last = x;
            }
        }
        String[] names = {"active", "inact", "persist"};
        for (int k = 0; k < names.length; k++) {
            out.put("ratio_" + names[k], last == null ? "n/a" : percent(last.b()[k], last.a()[k]));
            if (!s.referenceRatios().isEmpty()) {
                out.put("reference_ratio_" + names[k], fmt("%.2f%%", s.referenceRatios().get(k)));
            }
        }
    }

    private void sync(SyncTally sync, long opened) {
        out.put("sync_datagrams", Long.toString(sync.datagrams()));
        out.put("sync_datagrams_lost", Long.toString(sync.lost()));
        if (s.syncReliable()) {
            out.put("sync_replies_lost", Long.toString(sync.repliesLost()));
        }
        if (sync.overBandwidth() > 0 || s.link().bandwidthMbit() > 0) {
            out.put("sync_datagrams_over_bandwidth", Long.toString(sync.overBandwidth()));
        }
        if (s.link().reorderPercent() > 0) {
            out.put("sync_datagrams_reordered", Long.toString(sync.reordered()));
        }
        if (sync.queueDrops() > 0) {
            out.put("sync_entries_dropped_queue_full", Long.toString(sync.queueDrops()));
        }
        out.put("sync_bytes", Long.toString(sync.bytes()));
        out.put("sync_mbit_per_s", fmt("%.3f", sync.bytes() * 8.0 / s.duration() / 1e6));
        out.put("sync_datagrams_per_s", fmt("%.1f", (double) sync.datagrams() / s.duration()));
        // every director's master sends for the connections it carries
        out.put("sync_bytes_per_conn", opened == 0 ? "n/a" : fmt("%.1f", (double) sync.bytes() / opened));
        out.put("sync_entries_per_conn", opened == 0 ? "n/a" : fmt("%.2f", (double) sync.entries() / opened));
    }

    /** What the drawn population came to (only for scenarios that ask for a varied one). */
    private void population(PopulationTally pop) {
        long n = pop.ended[0] + pop.ended[1] + pop.ended[2];
        if (s.twoServices()) {
            out.put("conns_to_persistent_service", Long.toString(pop.toPersistentService));
        }
        out.put("packets_per_conn", n == 0 ? "n/a" : fmt("%.2f", (double) pop.endedPackets / n));
        out.put("conn_seconds", n == 0 ? "n/a" : fmt("%.1f", (double) pop.endedTicks / n / ticksPerSecond));
        out.put("closed_fin", Long.toString(pop.ended[CloseMix.FIN]));
        out.put("closed_rst", Long.toString(pop.ended[CloseMix.RST]));
        out.put("abandoned", Long.toString(pop.ended[CloseMix.ABANDON]));
        if (s.idleGapProbability() > 0) {
            out.put("idle_pauses", Long.toString(pop.idlePauses));
            out.put("idle_resumed_not_forwarded", percent(pop.idleResumedDropped, pop.idleResumed));
        }
    }

    private void moves(FailoverTally m, int[] agreeAfterTicks, boolean ecmp, int directors) {
        String sfx = ecmp ? "_" + schedulerLabel() : "";
        int fail = FailoverTally.FAILOVER;
        int ret = FailoverTally.RETURN;
        if (s.backupRestartsAt() > 0) {
            out.put("time_to_agreement_s", agreeTime(agreeAfterTicks[0],
                s.failDirectorAt() > 0 ? s.failDirectorAt() : s.duration(), s.backupRestartsAt()));
        }
        if (s.failDirectorAt() > 0) {
            out.put("flows_at_failure" + sfx, Long.toString(m.flowsAt[fail]));
            out.put("flows_continued" + sfx, percent(m.flowsContinued[fail], m.flowsChecked[fail]));
            if (ecmp && directors > 2) {
                out.put("flows_moved_at_failure", percent(m.flowsAt[fail], m.flowsAt[fail] + m.flowsStaying));
            }
            if (s.persistent() > 0) {
                out.put("persistent_clients_at_failure", Long.toString(m.persistAt[fail]));
                out.put("persistent_returned", Long.toString(m.persistChecked[fail]));
                out.put("persistent_kept", percent(m.persistKept[fail], m.persistChecked[fail]));
            }
        }
        if (s.directorReturnsAt() > 0) {
            if (s.sync() && !ecmp) {
                out.put("time_to_agreement_after_return_s",
                    agreeTime(agreeAfterTicks[1], s.duration(), s.directorReturnsAt()));
            }
            out.put("flows_continued_on_return" + sfx, percent(m.flowsContinued[ret], m.flowsChecked[ret]));
            if (s.persistent() > 0) {
                out.put("persistent_kept_on_return", percent(m.persistKept[ret], m.persistChecked[ret]));
            }
        }
    }

    private void quiesce(QuiesceTally q, int endTick) {
        out.put("quiesced_new_conns", Long.toString(q.total));
        int lastRowStart = endTick - 1 - s.sampleEvery() * ticksPerSecond;
        String drain = q.lastTick < 0 ? "0"
            : q.lastTick > lastRowStart ? "not drained"
            : fmt("%.1f", (double) (q.lastTick - q.tick) / ticksPerSecond);
        out.put("drain_seconds", drain);
    }

    private String agreeTime(int ticks, int until, int from) {
        return ticks >= 0 ? fmt("%.0f", (double) ticks / ticksPerSecond) : "not reached in " + (until - from) + " s";
    }

    /** sh, sh_port, mh_fallback, ...: the scheduler and its flags, for the ECMP headline names. */
    private String schedulerLabel() {
        String label = s.scheduler();
        if ((s.schedFlags() & ServiceFlags.SCHED2) != 0) {
            label += "_port";
        }
        if ((s.schedFlags() & ServiceFlags.SCHED1) != 0) {
            label += "_fallback";
        }
        return label;
    }

    private static String percent(Share share) {
        return percent(share.matched(), share.union());
    }

    /** {@code part} of {@code whole} as "12.34%", or n/a. */
    static String percent(long part, long whole) {
        return whole == 0 ? "n/a" : fmt("%.2f%%", 100.0 * part / whole);
    }

    static String fmt(String f, double v) {
        return String.format(Locale.ROOT, f, v);
    }
}
