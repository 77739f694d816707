package uvs.daemon;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uvs.core.Engine;
import uvs.core.IpvsException;
import uvs.ctl.cli.DaemonOptions;
import uvs.ctl.cli.DaemonState;
import uvs.ctl.view.DaemonView;
import uvs.sync.SyncDaemonConfig;
import uvs.sync.backup.SyncApplier;
import uvs.sync.backup.SyncBackup;
import uvs.sync.backup.SyncBackupCounters;
import uvs.sync.master.SyncMaster;
import uvs.sync.master.SyncMasterCounters;
import uvs.sync.master.SyncSender;
import uvs.sync.transport.MulticastSyncTransport;

/**
 * The sync daemons of uvsd ({@code --start-daemon master|backup}): at most one master and one backup,
 * which may run at the same time (active/active). Every method runs on the engine thread; the master's
 * sender is an agent of its own ({@code uvs-sync-sender}, {@link AgentPolicy#CONTINUE}: one bad send must
 * not stop sync).
 */
final class SyncDaemons {
    private static final Logger LOG = LoggerFactory.getLogger(SyncDaemons.class);

    private final Engine engine;
    private final Supervisor supervisor;
    private SyncMaster master;
    private AgentRunner sender;
    private MulticastSyncTransport masterTransport;
    private SyncBackup backup;
    private MulticastSyncTransport backupTransport;
    private int backupMtu;
    private SyncApplier applier;
    // published for the metrics thread
    private volatile SyncMasterCounters masterCounters;
    private volatile SyncBackupCounters backupCounters;
    private final MixedGroupGuard mixedGroup = new MixedGroupGuard();

    SyncDaemons(Engine engine, Supervisor supervisor) {
        this.engine = engine;
        this.supervisor = supervisor;
    }

    /** True if a running daemon uses reliable mode without authentication (warned in {@code -L --daemon}). */
    boolean reliableWithoutKey() {
        return master != null && master.config().reliable() && !master.config().authenticated()
            || backup != null && backup.config().reliable() && !backup.config().authenticated();
    }

    /** Starts a plain (Linux-compatible) daemon. */
    void start(DaemonState state, DaemonOptions o) throws IOException {
        start(state, o, SyncExtensions.NONE);
    }

    /** Starts a daemon; EEXIST ("Daemon has already run") if that role runs already. */
    void start(DaemonState state, DaemonOptions o, SyncExtensions ext) throws IOException {
        boolean isMaster = state == DaemonState.MASTER;
        if (isMaster ? master != null : backup != null) {
            throw new IpvsException(IpvsException.Op.START_DAEMON, IpvsException.Errno.EEXIST, null);
        }
        if (isMaster) {
            MixedGroupGuard.checkMasterStart(backup, ext);
        }
        SyncDaemonConfig cfg = (isMaster ? SyncDaemonConfig.master() : SyncDaemonConfig.backup())
            .withMcastInterface(o.mcastInterface() == null ? DaemonOptions.DEFAULT_MCAST_INTERFACE : o.mcastInterface())
            .withSyncid(o.syncId());
        if (o.syncMaxlen() > 0) {
            cfg = cfg.withMaxlen(o.syncMaxlen());
        }
        if (o.mcastGroup() != null) {
            cfg = cfg.withGroup(o.mcastGroup());
        }
        if (o.mcastPort() > 0) {
            cfg = cfg.withPort(o.mcastPort());
        }
        if (o.mcastTtl() > 0) {
            cfg = cfg.withTtl(o.mcastTtl());
        }
        if (ext.reliable()) {
            cfg = cfg.withReliable(true);
        }
        if (ext.authKeyFile() != null) {
            // read by the caller, off the engine thread
            cfg = cfg.withAuthKey(ext.loadKey().authKey());
        }
        if (cfg.reliable() && !cfg.authenticated()) {
            LOG.warn("{} sync daemon runs reliable mode without --sync-auth-key: loss and reordering are repaired, "
                + "but a forged datagram from the network is believed (docs/sync.md)", isMaster ? "master" : "backup");
        }
        int ports = engine.tunables().syncPorts();
        int sockSize = engine.tunables().syncSockSize();
        if (isMaster) {
            masterTransport = MulticastSyncTransport.master(cfg, ports, sockSize);
            master = new SyncMaster(engine, cfg);
            SyncSender s = master.sender(masterTransport);
            master.start();
            masterCounters = master.counters();
            // spin and yield while messages keep coming (a busy master fills a message every few hundred
            // connections), then park up to 1 ms: a closed message waits at most that long for its send
            sender = supervisor.run(s, new BackoffIdleStrategy(10, 5, 1_000, 1_000_000), AgentPolicy.CONTINUE);
        } else {
            backupMtu = MulticastSyncTransport.mtu(cfg.mcastInterface());
            backupTransport = MulticastSyncTransport.backup(cfg, ports, sockSize);
            backup = new SyncBackup(engine, cfg, backupTransport, backupMtu);
            if (applier != null) {
                backup.applyVia(applier);
            }
            backup.start();
            backupCounters = backup.counters();
        }
    }

    /** Routes a backup started from now on through {@code a} (a sharded director's router), null: the engine. */
    void applier(SyncApplier a) {
        applier = a;
    }

    /** The running master's counters (any thread), or null. */
    SyncMasterCounters masterCounters() {
        return masterCounters;
    }

    /** The running backup's counters (any thread), or null. */
    SyncBackupCounters backupCounters() {
        return backupCounters;
    }

    /** Stops a daemon; ESRCH ("No daemon is running") if that role is not running. */
    void stop(DaemonState state) {
        if (state == DaemonState.MASTER) {
            if (master == null) {
                throw new IpvsException(IpvsException.Op.STOP_DAEMON, IpvsException.Errno.ESRCH, null);
            }
            master.stop();
            // the sender is gone before its socket closes
            Supervisor.stop(sender);
            masterTransport.close();
            master = null;
            masterCounters = null;
            sender = null;
        } else {
            if (backup == null) {
                throw new IpvsException(IpvsException.Op.STOP_DAEMON, IpvsException.Errno.ESRCH, null);
            }
            backup.stop();
            backupTransport.close();
            backup = null;
            backupCounters = null;
            mixedGroup.reset();
        }
    }

    /** One engine-thread cycle: the master's flush timer and the backup's receive. */
    int doWork(Engine e) {
        int n = 0;
        if (master != null) {
            n += master.doWork(e.nowJiffies());
        }
        if (backup != null) {
            n += backup.doWork();
            mixedGroup.warnOnce(backup, extended());
        }
        return n;
    }

    private boolean extended() {
        return master != null && master.config().extended() || backup != null && backup.config().extended();
    }

    /** The running daemons, as {@code -L --daemon} shows them (master first). */
    List<DaemonView> views() {
        List<DaemonView> out = new ArrayList<>();
        if (master != null) {
            out.add(view(DaemonView.MASTER, master.config(), master.maxlen()));
        }
        if (backup != null) {
            out.add(view(DaemonView.BACKUP, backup.config(), backup.maxlen()));
        }
        return out;
    }

    private static DaemonView view(int state, SyncDaemonConfig c, int maxlen) {
        return new DaemonView(state, c.mcastInterface(), c.syncid(), maxlen, c.group(), c.port(), c.ttl());
    }

    /** {@code -L --sync-stats}: every sync counter of the running daemons. */
    String stats() {
        StringBuilder sb = new StringBuilder();
        if (master == null && backup == null) {
            return "No sync daemon is running\n";
        }
        if (master != null) {
            sb.append("master sync daemon: ").append(master.counters()).append('\n');
        }
        if (backup != null) {
            sb.append("backup sync daemon: ").append(backup.counters()).append('\n');
        }
        return sb.toString();
    }

    /** Stops everything (uvsd shutdown). */
    void stopAll() {
        if (master != null) {
            stop(DaemonState.MASTER);
        }
        if (backup != null) {
            stop(DaemonState.BACKUP);
        }
    }
}
