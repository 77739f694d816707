package uvs.daemon;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import uvs.core.SyncUpdate;
import uvs.daemon.health.HealthChecker;
import uvs.daemon.health.HealthCounters;
import uvs.daemon.health.ServerState;
import uvs.sync.backup.SyncBackupCounters;
import uvs.sync.codec.SyncDropReason;
import uvs.sync.codec.SyncReceiveCounters;
import uvs.sync.codec.SyncSkipReason;
import uvs.sync.master.SyncMasterCounters;

import static uvs.daemon.metrics.MetricPoints.counter;
import static uvs.daemon.metrics.MetricPoints.cp;
import static uvs.daemon.metrics.MetricPoints.gauge;
import static uvs.daemon.metrics.MetricPoints.gp;

/**
 * Prometheus metrics of uvsd's sync daemons (every counter of master and backup, by reason) and health
 * checks (state, checks, failures and state changes per real server). Counters are read without locks
 * from the threads that write them and may be a moment old.
 */
final class DaemonMetrics implements MultiCollector {
    private final SyncDaemonGroup daemons;
    private final Supplier<HealthChecker> health;
    private final Supervisor supervisor;
    private final IntSupplier unchecked;
    private final ReloadCounters reloads;

    DaemonMetrics(SyncDaemonGroup daemons, Supplier<HealthChecker> health, Supervisor supervisor,
                  IntSupplier unchecked, ReloadCounters reloads) {
        this.daemons = daemons;
        this.health = health;
        this.supervisor = supervisor;
        this.unchecked = unchecked;
        this.reloads = reloads;
    }

    @Override
    public MetricSnapshots collect() {
        List<MetricSnapshot> out = new ArrayList<>();
        SyncMasterCounters m = daemons.masterCounters();
        SyncBackupCounters b = daemons.backupCounters();
        out.add(gauge("uvs_sync_daemon_running", "1 while the sync daemon of this role runs",
            List.of(gp(m != null ? 1 : 0, "role", "master"), gp(b != null ? 1 : 0, "role", "backup"))));
        if (m != null) {
            out.add(counter("uvs_sync_master_messages_sent", "Sync messages sent", m.messagesSent()));
            out.add(counter("uvs_sync_master_entries_sent", "Connection entries sent", m.entriesSent()));
            out.add(counter("uvs_sync_master_bytes_sent", "Sync payload bytes sent", m.bytesSent()));
            out.add(counter("uvs_sync_master_queue_drops", "Messages dropped: sync_qlen_max reached", m.queueDrops()));
            out.add(counter("uvs_sync_master_entries_dropped", "Entries lost (no buffer, queue full)", m.entriesDropped()));
            out.add(counter("uvs_sync_master_send_errors", "Messages that could not be sent", m.sendErrors()));
            out.add(counter("uvs_sync_master_retransmitted", "Datagrams sent again on request (reliable mode)",
                m.retransmitted()));
            out.add(counter("uvs_sync_master_nacks_received", "Retransmission requests received", m.nacksReceived()));
            out.add(counter("uvs_sync_master_resyncs_completed", "Full-table resyncs sent", m.resyncsCompleted()));
            out.add(counter("uvs_sync_master_entries_queued", "Entries put into messages", m.entries()));
            out.add(counter("uvs_sync_master_messages_queued", "Messages handed to the sender", m.messagesQueued()));
            out.add(counter("uvs_sync_master_no_buffer", "Entries lost for lack of a free buffer", m.noBuffer()));
            out.add(counter("uvs_sync_master_pe_data_invalid", "Templates not sent: PE data without PE", m.peDataInvalid()));
            out.add(counter("uvs_sync_master_partial_flushes", "Partial messages sent after 2 s", m.partialFlushes()));
            out.add(counter("uvs_sync_master_discarded_on_stop", "Messages discarded when the master stopped",
                m.discardedOnStop() + m.partialsDiscarded()));
            out.add(counter("uvs_sync_master_send_retries", "Sends retried after the socket was full", m.sendRetries()));
            out.add(counter("uvs_sync_master_heartbeats", "Heartbeats sent (reliable mode)", m.heartbeats()));
            out.add(counter("uvs_sync_master_resyncs_started", "Full-table resyncs started", m.resyncsStarted()));
            out.add(counter("uvs_sync_master_resync_entries", "Entries sent by resyncs", m.resyncEntries()));
            out.add(counter("uvs_sync_master_control_sent", "Control datagrams sent", m.controlSent()));
            out.add(counter("uvs_sync_master_gone", "Requested datagrams no longer held", m.gone()));
            out.add(counter("uvs_sync_master_resync_requests", "Resync requests received", m.resyncRequests()));
            out.add(counter("uvs_sync_master_bad_replies", "Malformed replies from backups", m.badReplies()));
            out.add(counter("uvs_sync_master_reply_auth_failures", "Backup replies whose HMAC did not verify",
                m.replyAuthFailures()));
            out.add(counter("uvs_sync_master_reply_replays", "Replayed backup replies refused", m.replyReplays()));
        }
        if (b != null) {
            SyncReceiveCounters r = b.receive();
            out.add(counter("uvs_sync_backup_messages", "Sync messages received", r.messages()));
            out.add(counter("uvs_sync_backup_bytes", "Sync bytes received", r.bytes()));
            out.add(counter("uvs_sync_backup_entries_accepted", "Entries that passed validation", r.entriesAccepted()));
            List<CounterDataPointSnapshot> dropped = new ArrayList<>();
            for (SyncDropReason reason : SyncDropReason.values()) {
                dropped.add(cp(r.dropped(reason), "reason", reason.name().toLowerCase(Locale.ROOT)));
            }
            out.add(counter("uvs_sync_backup_messages_dropped", "Malformed or refused messages, by reason", dropped));
            List<CounterDataPointSnapshot> skipped = new ArrayList<>();
            for (SyncSkipReason reason : SyncSkipReason.values()) {
                skipped.add(cp(r.skipped(reason), "reason", reason.name().toLowerCase(Locale.ROOT)));
            }
            out.add(counter("uvs_sync_backup_entries_skipped", "Entries skipped, by reason", skipped));
            List<CounterDataPointSnapshot> applied = new ArrayList<>();
            for (SyncUpdate.Result result : SyncUpdate.Result.values()) {
                applied.add(cp(b.applied(result), "result", result.name().toLowerCase(Locale.ROOT)));
            }
            out.add(counter("uvs_sync_backup_entries_applied", "Entries applied to the engine, by result", applied));
            out.add(counter("uvs_sync_backup_auth_failures", "Datagrams whose HMAC did not verify", b.authFailures()));
            out.add(counter("uvs_sync_backup_replays", "Replayed or too old datagrams refused", b.replays()));
            out.add(counter("uvs_sync_backup_lost", "Datagrams found missing (reliable mode)", b.lost()));
            out.add(counter("uvs_sync_backup_recovered", "Missing datagrams recovered", b.recovered()));
            out.add(counter("uvs_sync_backup_nacks_sent", "Retransmission requests sent", b.nacksSent()));
            out.add(counter("uvs_sync_backup_datagrams", "Datagrams received", b.datagrams()));
            out.add(counter("uvs_sync_backup_v1_messages", "Version 1 messages parsed", r.v1Messages()));
            out.add(counter("uvs_sync_backup_v0_messages", "Version 0 messages parsed", r.v0Messages()));
            out.add(counter("uvs_sync_backup_templates_bad_state", "Templates received with a state above ASSURED",
                r.templatesWithBadState()));
            out.add(counter("uvs_sync_backup_no_trailer", "Datagrams without the expected UVS trailer", b.noTrailer()));
            out.add(counter("uvs_sync_backup_plain_datagrams",
                "Datagrams of a plain (Linux-compatible) master, whose IPVS size covers the datagram", b.plainDatagrams()));
            out.add(counter("uvs_sync_backup_duplicates", "Datagrams received twice (reliable mode)", b.duplicates()));
            out.add(counter("uvs_sync_backup_out_of_window", "Datagrams refused: sequence number too far ahead to be "
                + "believed (reliable mode without a key)", b.outOfWindow()));
            out.add(counter("uvs_sync_backup_new_masters", "Masters seen with a new sender id", b.newMasters()));
            out.add(counter("uvs_sync_backup_masters_forgotten", "Masters forgotten after silence", b.mastersForgotten()));
            out.add(counter("uvs_sync_backup_given_up", "Missing datagrams given up", b.givenUp()));
            out.add(counter("uvs_sync_backup_reply_errors", "Replies to masters that could not be sent", b.replyErrors()));
            out.add(counter("uvs_sync_backup_resync_requests", "Resync requests sent", b.resyncRequests()));
            out.add(counter("uvs_sync_backup_resyncs_completed", "Resyncs completed", b.resyncsCompleted()));
            out.add(counter("uvs_sync_backup_resync_entries", "Entries applied by resyncs", b.resyncEntries()));
            out.add(gauge("uvs_sync_backup_last_resync_seconds", "Duration of the last startup resync",
                List.of(GaugeDataPointSnapshot.builder().value(b.lastResyncMillis() / 1000.0).build())));
        }
        HealthChecker h = health.get();
        if (h != null) {
            List<GaugeDataPointSnapshot> up = new ArrayList<>();
            List<CounterDataPointSnapshot> checks = new ArrayList<>();
            List<CounterDataPointSnapshot> failures = new ArrayList<>();
            List<CounterDataPointSnapshot> changes = new ArrayList<>();
            for (HealthCounters.ServerView s : h.counters().snapshot()) {
                Labels l = Labels.of("service", s.service().toString(), "server", s.address().withPort(s.port()));
                up.add(GaugeDataPointSnapshot.builder().value(s.state() == ServerState.UP ? 1 : 0).labels(l).build());
                checks.add(CounterDataPointSnapshot.builder().value(s.checks()).labels(l).build());
                failures.add(CounterDataPointSnapshot.builder().value(s.failures()).labels(l).build());
                changes.add(CounterDataPointSnapshot.builder().value(s.stateChanges()).labels(l).build());
            }
            out.add(gauge("uvs_health_server_up", "1 while the real server passes its health check", up));
            out.add(counter("uvs_health_checks", "Health checks run", checks));
            out.add(counter("uvs_health_check_failures", "Health checks that failed", failures));
            out.add(counter("uvs_health_state_changes", "Up/down changes", changes));
        }
        out.add(gauge("uvs_health_unchecked_servers", "Real servers of the imported configuration whose check UVS does "
            + "not run: they stay up unchecked", List.of(GaugeDataPointSnapshot.builder()
            .value(unchecked.getAsInt()).build())));
        List<CounterDataPointSnapshot> failures = new ArrayList<>();
        supervisor.errorCounts().forEach((thread, n) -> failures.add(cp(n, "thread", thread)));
        // "_total" is added by the exposition format
        out.add(counter("uvs_daemon_thread_errors", "Failures caught by uvsd's supervisor, by thread", failures));
        out.add(counter("uvs_daemon_reloads", "Reloads (SIGHUP) by result: applied, refused (bad file, nothing "
            + "changed) or failed (an error of uvsd, logged with its stack)", List.of(
                cp(reloads.appliedCount(), "result", "applied"), cp(reloads.refusedCount(), "result", "refused"),
                cp(reloads.failedCount(), "result", "failed"))));
        return new MetricSnapshots(out);
    }



}
