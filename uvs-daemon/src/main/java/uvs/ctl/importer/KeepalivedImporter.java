package uvs.ctl.importer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import uvs.sync.SyncDaemonConfig;

/**
 * Translates a keepalived.conf (keepalived.conf(5)) into UVS: {@code virtual_server} and
 * {@code virtual_server_group} blocks become ipvsadm rules and typed health checks ({@link uvs.ctl.model.CheckSpec}), {@code global_defs}
 * gives the sync daemons ({@code lvs_sync_daemon}), {@code --set} ({@code lvs_timeouts}) and {@code -C}
 * ({@code lvs_flush}). VRRP and the other daemons' blocks do not apply to UVS and are noted as such.
 */
public final class KeepalivedImporter {
    private static final Set<String> NOT_APPLICABLE = Set.of("vrrp_sync_group", "vrrp_script", "vrrp_track_process",
        "static_ipaddress", "static_routes", "static_rules", "bfd_instance", "linkbeat_interfaces",
        "interface_up_down_delays", "static_track_group", "garp_group", "net_namespace", "net_namespace_ipvs",
        "namespace_with_ipsets", "instance", "use_pid_dir", "linkbeat_use_polling", "child_wait_time");

    /** An importer (stateless: one instance can import any number of files). */
    public KeepalivedImporter() {
        // nothing to set up
    }

    /**
     * Imports {@code file} and the files it includes.
     *
     * @throws IOException if the file (not an included one) cannot be read
     */
    public ImportResult importFile(Path file) throws IOException {
        Diagnostics d = new Diagnostics();
        List<ConfStatement> top = KeepalivedParser.parse(KeepalivedLexer.lex(file, d), d);
        KeepalivedValues v = new KeepalivedValues(d);
        KeepalivedGlobals globals = new KeepalivedGlobals(v);
        RuleBook rules = new RuleBook();
        Map<String, KeepalivedGroup> groups = new LinkedHashMap<>();
        // groups and VRRP instances may follow the statements that name them
        for (ConfStatement s : top) {
            if (s.keyword().equals("virtual_server_group")) {
                KeepalivedGroup g = KeepalivedGroup.parse(s, v);
                if (g.name() != null && groups.putIfAbsent(g.name(), g) != null) {
                    d.error(s.at(), "virtual_server_group " + g.name() + " is defined twice");
                }
            } else if (s.keyword().equals("vrrp_instance")) {
                globals.vrrpInstance(s);
            } else if (s.keyword().equals("global_defs")) {
                globals.globalDefs(s);
            }
        }
        globals.rules(rules);
        String ca = sslCa(top, d);
        KeepalivedTrackFiles files = new KeepalivedTrackFiles(top, d);
        List<ReadCheck> checks = new ArrayList<>();
        for (ConfStatement s : top) {
            switch (s.keyword()) {
                case "virtual_server_group", "vrrp_instance", "global_defs" -> { }
                case "virtual_server" -> {
                    KeepalivedVirtualServer vs = KeepalivedVirtualServer.parse(s, v, groups);
                    if (vs != null) {
                        vs.emit(rules, checks, ca, files);
                    }
                }
                case "SSL", "track_file" -> { }
                default -> {
                    if (NOT_APPLICABLE.contains(s.keyword())) {
                        d.info(s.at(), "'" + s.keyword() + "' does not apply to UVS: ignored");
                    } else {
                        d.warn(s.at(), "unknown keyword '" + s.keyword() + "': ignored");
                    }
                }
            }
        }
        files.reportUnused();
        List<SyncDaemonConfig> sync = globals.syncDaemons();
        rules.validate(d);
        String source = file.toString();
        return ImportResult.of(source, d.hasErrors() ? null : rules.config().withSyncDaemons(sync), checks, d,
            globals.syncFollow());
    }

    /**
     * The CA file of the (last) global {@code SSL} block, or null: keepalived's SSL block is global, its CA
     * every SSL_GET checker's. keepalived loads it into its checkers' TLS
     * context without ever failing a check on it; UVS verifies the real servers' certificates against it, so
     * that a CA written there is a CA checked. A client certificate and key are not presented.
     */
    private static String sslCa(List<ConfStatement> top, Diagnostics d) {
        String ca = null;
        for (ConfStatement s : top) {
            if (!s.keyword().equals("SSL")) {
                continue;
            }
            for (ConfStatement k : s.hasBlock() ? s.block() : List.<ConfStatement>of()) {
                switch (k.keyword()) {
                    case "ca" -> {
                        if (k.args().size() != 1) {
                            d.error(k.at(), "SSL ca needs one file name");
                        } else {
                            ca = k.arg(0);
                            d.info(k.at(), "SSL_GET checks verify the real servers' certificates against " + ca
                                + " (keepalived loads it without failing a check on it)");
                        }
                    }
                    case "certificate", "key", "password" -> d.warn(k.at(), "SSL " + k.keyword() + " is not "
                        + "imported: UVS's SSL_GET checks present no client certificate");
                    default -> d.warn(k.at(), "unknown SSL keyword '" + k.keyword() + "': ignored");
                }
            }
        }
        return ca;
    }
}
