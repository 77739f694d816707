package uvs.daemon;

import java.io.IOException;
import java.io.StringReader;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import uvs.core.Engine;
import uvs.core.IpvsException;
import uvs.core.svc.RealServer;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceKey;
import uvs.core.svc.VirtualService;
import uvs.ctl.cli.IpvsadmException;
import uvs.ctl.cli.IpvsadmExecutor;
import uvs.ctl.cli.IpvsadmParser;
import uvs.ctl.cli.RestoreLine;
import uvs.time.ManualClock;

/**
 * Brings a live engine to the services and real servers of a rules file (ipvsadm-save format) with the
 * fewest changes: services and servers that stay are edited in place, never deleted and re-added, so
 * connections, counters and sync state survive a reload. The file is first applied to an empty scratch
 * engine, so a bad file changes nothing.
 */
public final class RulesReconciler {
    private RulesReconciler() {
    }

    /**
     * Makes {@code live} match {@code lines}.
     *
     * @param scratch an empty engine to check the lines on (a small capacity will do)
     * @throws IpvsadmException naming the first bad line; nothing is changed then
     */
    public static void reconcile(Engine live, Engine scratch, List<RestoreLine> lines) {
        IpvsadmExecutor.applyRestore(scratch, lines, new Engine(new ManualClock(),
            scratch.config().withCapacity(16, 16)));
        reconcile(live, scratch);
    }

    /**
     * Makes {@code live} match the services and real servers of {@code scratch} (an engine holding the
     * wanted configuration, already checked).
     */
    public static void reconcile(Engine live, Engine scratch) {
        Map<ServiceKey, VirtualService> wanted = new HashMap<>();
        for (VirtualService s : scratch.services()) {
            wanted.put(s.key(), s);
        }
        try {
            for (VirtualService s : live.services()) {
                if (!wanted.containsKey(s.key())) {
                    live.deleteService(s.key());
                }
            }
            for (VirtualService want : scratch.services()) {
                VirtualService have = live.service(want.key());
                if (have == null) {
                    live.addService(want.key(), want.config());
                    have = live.service(want.key());
                } else if (!have.config().equals(want.config())) {
                    live.editService(want.key(), want.config());
                }
                reconcileDests(live, have, want);
            }
        } catch (IpvsException e) {
            // the scratch run accepted the same changes, so this is a bug, not bad input
            throw new IllegalStateException("reload failed half-way: " + e.getMessage(), e);
        }
    }

    private static void reconcileDests(Engine live, VirtualService have, VirtualService want) {
        for (RealServer d : have.dests()) {
            if (want.findDest(d.address(), d.port()) == null) {
                live.deleteDest(have.key(), d.address(), d.port());
            }
        }
        // add in the file's order from the tail, so the live list ends up in the same order
        RealServer[] list = want.dests();
        for (int i = list.length - 1; i >= 0; i--) {
            RealServer w = list[i];
            RealServerConfig cfg = configOf(w);
            RealServer d = have.findDest(w.address(), w.port());
            if (d == null) {
                live.addDest(have.key(), w.address(), w.port(), cfg);
            } else if (!Objects.equals(configOf(d), cfg)) {
                live.editDest(have.key(), w.address(), w.port(), cfg);
            }
        }
    }

    private static RealServerConfig configOf(RealServer d) {
        return new RealServerConfig(d.weight(), d.forward(), d.tunnelType(), d.tunnelPort(), d.tunnelChecksum(),
            d.upperThreshold(), d.lowerThreshold());
    }

    /** The restore lines of a rules file. */
    public static List<RestoreLine> parse(String text) throws IOException {
        return IpvsadmParser.parseRestore(new StringReader(text));
    }
}
