package uvs.ctl.importer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import uvs.core.net.IpAddress;
import uvs.sync.SyncDaemonConfig;

/**
 * keepalived's {@code global_defs} (what concerns IPVS: lvs_sync_daemon, the older lvs_sync_daemon_interface,
 * lvs_timeouts, lvs_flush) and what the sync daemon needs from {@code vrrp_instance} blocks (the VRID, the
 * default syncid). Everything else in global_defs is noted as not applying to UVS.
 */
final class KeepalivedGlobals {
    private static final int MAX_TIMEOUT = 86_400 * 31;
    private static final int MAX_SYNC_MAXLEN = 65_507;

    /** What a vrrp_instance tells the sync daemon. */
    private record Vrrp(Integer vrid) {
    }

    /** The sync daemon settings as written. */
    private static final class Sync {
        SourceLocation at;
        String iface;
        String instance;
        Integer id;
        int maxlen;
        IpAddress group;
        Integer port;
        Integer ttl;
    }

    private final KeepalivedValues v;
    private final Diagnostics d;
    private final Map<String, Vrrp> vrrp = new HashMap<>();
    private Sync sync;
    private SourceLocation flushAt;
    private SourceLocation timeoutsAt;
    private final int[] timeouts = new int[3];

    KeepalivedGlobals(KeepalivedValues v) {
        this.v = v;
        this.d = v.diagnostics();
    }

    /** Notes a vrrp_instance (not applicable) and keeps its VRID and any old-style sync interface. */
    void vrrpInstance(ConfStatement s) {
        String name = s.arg(0) == null ? "" : s.arg(0);
        d.info(s.at(), "vrrp_instance " + name + " does not apply: UVS does not do VRRP (manage the virtual "
            + "addresses by other means)");
        Integer vrid = null;
        ConfStatement legacy = null;
        if (s.block() != null) {
            for (ConfStatement st : s.block()) {
                if (st.keyword().equals("virtual_router_id")) {
                    Long n = v.number(st, 1, 255);
                    vrid = n == null ? null : n.intValue();
                } else if (st.keyword().equals("lvs_sync_daemon_interface")) {
                    legacy = st;
                }
            }
        }
        vrrp.put(name, new Vrrp(vrid));
        if (legacy != null) {
            Sync old = new Sync();
            old.at = legacy.at();
            old.iface = v.one(legacy);
            old.instance = name;
            setSync(old);
        }
    }

    /** Reads global_defs. */
    void globalDefs(ConfStatement s) {
        if (s.block() == null) {
            d.error(s.at(), "global_defs needs a { } block");
            return;
        }
        for (ConfStatement st : s.block()) {
            switch (st.keyword()) {
                case "lvs_sync_daemon" -> syncDaemon(st);
                case "lvs_sync_daemon_interface" -> {
                    Sync old = new Sync();
                    old.at = st.at();
                    old.iface = v.one(st);
                    setSync(old);
                }
                case "lvs_timeouts" -> timeouts(st);
                case "lvs_flush" -> {
                    v.flag(st);
                    flushAt = st.at();
                }
                case "lvs_flush_on_stop" ->
                    d.info(st.at(), "lvs_flush_on_stop does not apply: UVS keeps or drops its rules when it stops");
                default -> d.info(st.at(), "global_defs '" + st.keyword() + "' does not apply to UVS: ignored");
            }
        }
    }

    private void setSync(Sync s) {
        if (s.iface == null) {
            return;
        }
        if (sync != null) {
            d.warn(s.at, "a sync daemon is already configured at " + sync.at + ": this one is ignored");
            return;
        }
        sync = s;
    }

    // lvs_sync_daemon <IF> [[inst] <VRRP_INSTANCE>] [id N] [maxlen N] [port N] [ttl N] [group ADDR]
    private void syncDaemon(ConfStatement st) {
        List<String> a = st.args();
        if (a.isEmpty()) {
            d.error(st.at(), "lvs_sync_daemon needs an interface");
            return;
        }
        Sync s = new Sync();
        s.at = st.at();
        s.iface = a.get(0);
        for (int i = 1; i < a.size(); i++) {
            String word = a.get(i);
            boolean keyword = switch (word) {
                case "inst", "id", "maxlen", "port", "ttl", "group" -> true;
                default -> false;
            };
            if (!keyword) {
                if (i == 1) {
                    s.instance = word;
                    continue;
                }
                d.error(st.at(), "unexpected '" + word + "' in lvs_sync_daemon");
                return;
            }
            if (i + 1 >= a.size()) {
                d.error(st.at(), "'" + word + "' in lvs_sync_daemon needs a value");
                return;
            }
            String value = a.get(++i);
            switch (word) {
                case "inst" -> s.instance = value;
                case "id" -> s.id = intValue(v.number(st, value, 0, 255));
                case "maxlen" -> s.maxlen = orZero(v.number(st, value, 1, MAX_SYNC_MAXLEN));
                case "port" -> s.port = intValue(v.number(st, value, 1, 65_535));
                case "ttl" -> s.ttl = intValue(v.number(st, value, 1, 255));
                default -> {
                    s.group = v.address(st, value, "sync group");
                    if (s.group != null && !SyncDaemonConfig.isMulticast(s.group)) {
                        d.error(st.at(), "sync group " + value + " is not a multicast address");
                    }
                }
            }
        }
        setSync(s);
    }

    private static Integer intValue(Long n) {
        return n == null ? null : n.intValue();
    }

    private static int orZero(Long n) {
        return n == null ? 0 : n.intValue();
    }

    /** The rules global_defs asks for, whatever their order there: {@code -C} first, then {@code --set}. */
    void rules(RuleBook rules) {
        if (flushAt != null) {
            rules.clear(flushAt);
        }
        if (timeoutsAt != null) {
            rules.timeouts(timeoutsAt, timeouts[0], timeouts[1], timeouts[2]);
        }
    }

    // lvs_timeouts [tcp SECS] [tcpfin SECS] [udp SECS]: ipvsadm --set, 0 leaving a value unchanged; a later
    // lvs_timeouts changes only the values it names
    private void timeouts(ConfStatement st) {
        List<String> a = st.args();
        int[] values = timeouts.clone();
        if (a.isEmpty() || a.size() % 2 != 0) {
            d.error(st.at(), "lvs_timeouts needs pairs of tcp|tcpfin|udp and seconds");
            return;
        }
        for (int i = 0; i < a.size(); i += 2) {
            int slot = switch (a.get(i)) {
                case "tcp" -> 0;
                case "tcpfin" -> 1;
                case "udp" -> 2;
                default -> -1;
            };
            if (slot < 0) {
                d.error(st.at(), "unknown lvs_timeouts protocol '" + a.get(i) + "' (tcp, tcpfin or udp)");
                return;
            }
            Long n = v.number(st, a.get(i + 1), 1, MAX_TIMEOUT);
            if (n == null) {
                return;
            }
            values[slot] = n.intValue();
        }
        System.arraycopy(values, 0, timeouts, 0, values.length);
        timeoutsAt = st.at();
    }

    /**
     * The sync daemons to start: keepalived runs a master and a backup daemon together; when it ties them to a
     * VRRP instance (whose VRID is then the default syncid) UVS still configures both, since it does no VRRP.
     */
    List<SyncDaemonConfig> syncDaemons() {
        if (sync == null) {
            return List.of();
        }
        int syncid = sync.id != null ? sync.id : 0;
        if (sync.instance != null) {
            Vrrp inst = vrrp.get(sync.instance);
            if (inst == null) {
                d.warn(sync.at, "vrrp_instance " + sync.instance + " is not defined");
            } else {
                if (sync.id == null && inst.vrid() != null) {
                    syncid = inst.vrid();
                }
                d.warn(sync.at, "keepalived runs only the master or the backup sync daemon as vrrp_instance "
                    + sync.instance + " is master or not; UVS does no VRRP, so both are configured");
            }
        }
        List<SyncDaemonConfig> out = new ArrayList<>(2);
        try {
            SyncDaemonConfig master = SyncDaemonConfig.master().withMcastInterface(sync.iface).withSyncid(syncid)
                .withMaxlen(sync.maxlen)
                .withGroup(sync.group != null ? sync.group : SyncDaemonConfig.DEFAULT_GROUP)
                .withPort(sync.port != null ? sync.port : SyncDaemonConfig.DEFAULT_PORT)
                .withTtl(sync.ttl != null ? sync.ttl : SyncDaemonConfig.DEFAULT_TTL);
            out.add(master);
            out.add(master.withState(SyncDaemonConfig.State.BACKUP));
        } catch (IllegalArgumentException e) {
            d.error(sync.at, "invalid sync daemon setting: " + e.getMessage());
        }
        return out;
    }
}
