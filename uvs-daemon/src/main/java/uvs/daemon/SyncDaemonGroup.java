package uvs.daemon;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import uvs.ctl.cli.DaemonOptions;
import uvs.ctl.cli.DaemonState;
import uvs.ctl.view.DaemonView;
import uvs.sync.backup.SyncApplier;
import uvs.sync.backup.SyncBackupCounters;
import uvs.sync.master.SyncMasterCounters;

/**
 * The sync daemons of a (possibly sharded) uvsd. A master runs on every shard — each syncs the connections
 * of its own shard from its own socket, as the kernel's sync_ports threads do — and one backup runs on
 * shard 0, handing each entry to the shard owning its client through the router the data plane installs.
 * Every method runs the work on the right shard's thread.
 */
final class SyncDaemonGroup {
    private static final int TIMEOUT_SECONDS = 30;

    private final EngineGroup engines;
    private final List<SyncDaemons> shards = new ArrayList<>();
    private volatile SyncApplier router;

    SyncDaemonGroup(EngineGroup engines, Supervisor supervisor) {
        this.engines = engines;
        for (int i = 0; i < engines.size(); i++) {
            EngineAgent a = engines.agent(i);
            SyncDaemons d = new SyncDaemons(a.engine(), supervisor);
            shards.add(d);
            a.addCycleWork(d::doWork);
        }
    }

    /** Routes entries received by a backup started from now on (null: straight into shard 0). */
    void router(SyncApplier r) {
        router = r;
    }

    /**
     * Starts a daemon: a master on every shard, a backup on shard 0 (the others learn that one runs). The
     * key file is read here, not on an engine thread.
     */
    void start(DaemonState state, DaemonOptions o, SyncExtensions given) throws Exception {
        SyncExtensions ext = given.loadKey();
        if (state == DaemonState.MASTER) {
            for (int i = 0; i < shards.size(); i++) {
                SyncDaemons d = shards.get(i);
                try {
                    engines.agent(i).call(e -> startOn(d, state, o, ext), TIMEOUT_SECONDS);
                } catch (Exception ex) {
                    for (int k = 0; k < i; k++) {
                        SyncDaemons started = shards.get(k);
                        engines.agent(k).call(e -> {
                            started.stop(DaemonState.MASTER);
                            return null;
                        }, TIMEOUT_SECONDS);
                    }
                    throw ex;
                }
            }
            return;
        }
        SyncDaemons first = shards.get(0);
        SyncApplier r = router;
        engines.agent(0).call(e -> {
            first.applier(r);
            return startOn(first, state, o, ext);
        }, TIMEOUT_SECONDS);
        for (int i = 1; i < shards.size(); i++) {
            engines.agent(i).call(e -> {
                e.backupRunning(true);
                return null;
            }, TIMEOUT_SECONDS);
        }
    }

    private static Void startOn(SyncDaemons d, DaemonState state, DaemonOptions o, SyncExtensions ext) {
        try {
            d.start(state, o, ext);
        } catch (IOException ex) {
            throw new IllegalArgumentException(ex.getMessage(), ex);
        }
        return null;
    }

    /** Stops a daemon; ESRCH ("No daemon is running") if that role is not running. */
    void stop(DaemonState state) throws Exception {
        SyncDaemons first = shards.get(0);
        engines.agent(0).call(e -> {
            first.stop(state);
            return null;
        }, TIMEOUT_SECONDS);
        for (int i = 1; i < shards.size(); i++) {
            SyncDaemons d = shards.get(i);
            engines.agent(i).call(e -> {
                if (state == DaemonState.MASTER) {
                    d.stop(state);
                } else {
                    e.backupRunning(false);
                }
                return null;
            }, TIMEOUT_SECONDS);
        }
    }

    /** The running daemons, as {@code -L --daemon} shows them (every shard's master is configured alike). */
    List<DaemonView> views() throws Exception {
        SyncDaemons first = shards.get(0);
        return engines.agent(0).call(e -> first.views(), TIMEOUT_SECONDS);
    }

    /** True if a running daemon uses reliable mode without a key. */
    boolean reliableWithoutKey() throws Exception {
        SyncDaemons first = shards.get(0);
        return engines.agent(0).call(e -> first.reliableWithoutKey(), TIMEOUT_SECONDS);
    }

    /** {@code -L --sync-stats}: shard 0's daemons, then the masters of the other shards. */
    String stats() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < shards.size(); i++) {
            SyncDaemons d = shards.get(i);
            String s = engines.agent(i).call(e -> d.stats(), TIMEOUT_SECONDS);
            if (shards.size() == 1) {
                return s;
            }
            sb.append("shard ").append(i).append(": ").append(s.replace("\n", "\n  ").strip()).append('\n');
        }
        return sb.toString();
    }

    /** Every shard's master counters added up (metrics), or null when no master runs. */
    SyncMasterCounters masterCounters() {
        SyncMasterCounters first = shards.get(0).masterCounters();
        if (first == null || shards.size() == 1) {
            return first;
        }
        SyncMasterCounters sum = new SyncMasterCounters();
        for (SyncDaemons d : shards) {
            SyncMasterCounters m = d.masterCounters();
            if (m != null) {
                sum.add(m);
            }
        }
        return sum;
    }

    /** The backup's counters (metrics), or null. */
    SyncBackupCounters backupCounters() {
        return shards.get(0).backupCounters();
    }

    /** Stops every daemon of every shard (uvsd shutdown). */
    void stopAll() {
        for (int i = 0; i < shards.size(); i++) {
            SyncDaemons d = shards.get(i);
            try {
                engines.agent(i).call(e -> {
                    d.stopAll();
                    return null;
                }, 5);
            } catch (Exception e) {
                // shutting down: what cannot be stopped goes with the process
            }
        }
    }
}
