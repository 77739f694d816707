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

    /** What a vrrp_instance tells the sync daemon: the VRID, and where its first virtual address goes. */
    private record Vrrp(Integer vrid, String iface, IpAddress firstAddress) {
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

    /**
     * Notes a vrrp_instance (keepalived runs it; UVS only reads its state) and keeps its VRID, its interface, its
     * first virtual address and any old-style sync interface.
     */
    void vrrpInstance(ConfStatement s) {
        String name = s.arg(0) == null ? "" : s.arg(0);
        d.info(s.at(), "vrrp_instance " + name + " is keepalived's to run (keepalived --vrrp); UVS follows its "
            + "state where a sync daemon names it");
        Integer vrid = null;
        String iface = null;
        String[] first = null;
        ConfStatement legacy = null;
        if (s.block() != null) {
            for (ConfStatement st : s.block()) {
                switch (st.keyword()) {
                    case "virtual_router_id" -> {
                        Long n = v.number(st, 1, 255);
                        vrid = n == null ? null : n.intValue();
                    }
                    case "interface" -> iface = v.one(st);
                    case "virtual_ipaddress" -> first = first != null ? first : firstVirtualAddress(st);
                    case "lvs_sync_daemon_interface" -> legacy = st;
                    default -> { }
                }
            }
        }
        IpAddress address = null;
        if (first != null) {
            try {
                address = IpAddress.parse(first[0]);
            } catch (IllegalArgumentException e) {
                d.warn(s.at(), "vrrp_instance " + name + ": virtual address '" + first[0] + "' is not an address");
            }
            iface = first[1] != null ? first[1] : iface;
        }
        vrrp.put(name, new Vrrp(vrid, iface, address));
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

    // the first entry of a virtual_ipaddress block: ADDR[/LEN] [dev IF] ...; {address, dev or null}
    private static String[] firstVirtualAddress(ConfStatement block) {
        if (block.block() == null || block.block().isEmpty()) {
            return null;
        }
        ConfStatement e = block.block().get(0);
        String addr = e.keyword();
        int slash = addr.indexOf('/');
        String dev = null;
        List<String> a = e.args();
        for (int i = 0; i + 1 < a.size(); i++) {
            if (a.get(i).equals("dev")) {
                dev = a.get(i + 1);
            }
        }
        return new String[] {slash < 0 ? addr : addr.substring(0, slash), dev};
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
     * The VRRP instance the sync daemon follows (keepalived runs the master while the instance is MASTER, the
     * backup otherwise), or null when no instance is named or it cannot be followed (then both daemons run).
     */
    SyncFollow syncFollow() {
        if (sync == null || sync.instance == null) {
            return null;
        }
        Vrrp inst = vrrp.get(sync.instance);
        if (inst == null || inst.firstAddress() == null || inst.iface() == null) {
            return null;
        }
        return new SyncFollow(sync.instance, inst.iface(), inst.firstAddress());
    }

    /**
     * The sync daemons' settings, master then backup. Without a VRRP instance both run at once; with one (whose
     * VRID is then the default syncid) {@link #syncFollow} says which runs when.
     */
    List<SyncDaemonConfig> syncDaemons() {
        if (sync == null) {
            return List.of();
        }
        int syncid = sync.id != null ? sync.id : 0;
        if (sync.instance != null) {
            Vrrp inst = vrrp.get(sync.instance);
            if (inst == null) {
                d.warn(sync.at, "vrrp_instance " + sync.instance + " is not defined: both sync daemons run");
            } else {
                if (sync.id == null && inst.vrid() != null) {
                    syncid = inst.vrid();
                }
                if (inst.firstAddress() == null || inst.iface() == null) {
                    d.warn(sync.at, "vrrp_instance " + sync.instance + " has no interface or virtual address to "
                        + "follow: both sync daemons run");
                } else {
                    d.info(sync.at, "the sync daemon follows vrrp_instance " + sync.instance + ": master while "
                        + inst.firstAddress() + " is on " + inst.iface() + ", backup otherwise");
                }
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
