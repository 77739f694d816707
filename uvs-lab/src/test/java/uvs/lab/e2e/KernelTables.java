package uvs.lab.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import uvs.lab.net.LabTopology;
import uvs.lab.net.PersistenceSummary;
import uvs.lab.net.StreamSummary;

/**
 * What the kernel tier compares between a master's and a backup's tables (kernel or UVS, both print ipvsadm's
 * listings): the entries of running flows, the persistence templates, the counters per real server and the
 * backup's timers; and what it asks of a take-over.
 */
final class KernelTables {
    /** Long-lived streams of a take-over test. */
    static final int STREAMS = 200;
    private static final long SYNCED_NANOS = 30_000_000_000L;

    private KernelTables() {}

    /**
     * The backup's table equals the master's for the streams: the same entries (protocol, state, client, virtual
     * and real server) of the running flows, the same persistence templates of {@code templatePort}, and the same
     * counters per real server of the stream service; the backup's timers within a minute below the full
     * timeouts.
     */
    static void assertSameTables(String what, int templatePort, String masterConns, String backupConns,
        Set<String> flows, String masterList, String backupList, String masterPersist, String backupPersist) {
        String why = "\n--- master -L -n -c (" + what + "):\n" + head(masterConns) + "\n--- backup:\n"
            + head(backupConns) + "\n--- master -L -n:\n" + masterList + "--- backup -L -n:\n" + backupList;
        assertThat(streamEntries(backupConns, flows)).as("%s: stream entries%s", what, why)
            .isEqualTo(streamEntries(masterConns, flows)).hasSizeGreaterThanOrEqualTo(STREAMS * 99 / 100);
        assertThat(templates(backupConns, templatePort)).as("%s: templates of port %d%s", what, templatePort, why)
            .isEqualTo(templates(masterConns, templatePort)).hasSize(LabTopology.CLIENT_SOURCE_COUNT);
        assertThat(counters(backupList, LabTopology.STREAM_PORT))
            .as("%s: ActiveConn and InActConn per real server%s", what, why)
            .isEqualTo(counters(masterList, LabTopology.STREAM_PORT));
        // PersistConn only: a backup started late misses the InActConn of conns closed before it listened
        assertThat(persistConn(backupPersist, templatePort))
            .as("%s: PersistConn per real server of port %d%s", what, templatePort, why)
            .isEqualTo(persistConn(masterPersist, templatePort));
        // a backup arms an entry for the timeout in the message (the full state timeout) when it arrives, and the
        // master re-sends established conns every sync_period (50) packets (10 s of a stream) and templates
        // with them: the backup's timers lie within a few sync intervals below the full timeouts
        List<Integer> connTimers = expires(backupConns, flows, LabTopology.STREAM_PORT, true);
        List<Integer> templateTimers = expires(backupConns, flows, templatePort, false);
        assertThat(connTimers).as("%s: backup timers of the stream entries (s)%s", what, why)
            .hasSizeGreaterThanOrEqualTo(STREAMS * 99 / 100).allMatch(t -> t >= 900 - 60 && t <= 900);
        assertThat(templateTimers).as("%s: backup timers of the templates (s)%s", what, why)
            .hasSize(LabTopology.CLIENT_SOURCE_COUNT).allMatch(t -> t >= 300 - 60 && t <= 300);
        E2eLab.note(what + ": " + streamEntries(backupConns, flows).size() + " stream entries, "
            + templates(backupConns, templatePort).size() + " templates of port " + templatePort + ", counters "
            + counters(backupList, LabTopology.STREAM_PORT) + ", PersistConn "
            + persistConn(backupPersist, templatePort)
            + " equal; backup timers " + Collections.min(connTimers) + ".." + Collections.max(connTimers)
            + " s (entries), " + Collections.min(templateTimers) + ".." + Collections.max(templateTimers)
            + " s (templates)");
    }

    /**
     * A take-over kept the flows: at least 99 % of the streams alive, none reset, answered since, and at least
     * 99 % of the persistent clients on their real server.
     */
    static void assertFailover(String what, StreamSummary before, StreamSummary after, PersistenceSummary round,
        Supplier<String> diagnostics) {
        String why = "\n" + what + ": before " + before + "\nafter " + after + "\nround " + round + diagnostics.get();
        assertThat(after.alive()).as("streams alive after %s failover (>= 99 %%)%s", what, why)
            .isGreaterThanOrEqualTo(STREAMS * 99 / 100);
        assertThat(after.reset()).as("streams reset%s", why).isZero();
        assertThat(after.replies()).as("streams answered after %s failover%s", what, why)
            .isGreaterThan(before.replies() + STREAMS);
        assertThat(round.kept()).as("persistent clients kept their server (>= 99 %%)%s", why)
            .isGreaterThanOrEqualTo(LabTopology.CLIENT_SOURCE_COUNT * 99 / 100);
    }

    /**
     * The kernel sends a template only with a connection it controls, and the connections a kernel learned by sync
     * are controlled by none (docs/interop.md): after it took the streams over, the kernel master holds the 100
     * stream templates it learned and its backup gets none of them, while no client opens a new stream.
     */
    static void assertLearnedTemplatesNotSent(String what, String kernelConns, String backupConns) {
        String why = "\n--- kernel master:\n" + head(kernelConns) + "\n--- backup:\n" + head(backupConns);
        assertThat(templates(kernelConns, LabTopology.STREAM_PORT)).as("%s: the kernel's stream templates%s", what, why)
            .hasSize(LabTopology.CLIENT_SOURCE_COUNT);
        assertThat(templates(backupConns, LabTopology.STREAM_PORT))
            .as("%s: stream templates the kernel learned by sync reach no backup%s", what, why).isEmpty();
        E2eLab.note(what + ": the kernel holds " + LabTopology.CLIENT_SOURCE_COUNT
            + " stream templates learned by sync, the backup 0 (not sent without a controlled connection)");
    }

    /** The connection entries ("proto state client virtual real") of {@code flows}. */
    static Set<String> streamEntries(String listing, Set<String> flows) {
        Set<String> s = new TreeSet<>();
        for (ConnEntry c : ConnEntry.parse(listing)) {
            if (c.isConnection() && flows.contains(c.source())) {
                s.add(line(c));
            }
        }
        return s;
    }

    /** The persistence templates of the IPv4 VIP's service on {@code port}. */
    static Set<String> templates(String listing, int port) {
        Set<String> s = new TreeSet<>();
        for (ConnEntry c : ConnEntry.parse(listing)) {
            if (!c.isConnection() && c.virtual().equals(LabTopology.VIP4 + ":" + port)) {
                s.add(line(c));
            }
        }
        return s;
    }

    /** Every entry and template of one virtual service, without its timer. */
    static Set<String> entriesOf(String listing, String virtual) {
        Set<String> s = new TreeSet<>();
        for (ConnEntry c : ConnEntry.parse(listing)) {
            if (c.virtual().equals(virtual)) {
                s.add(line(c));
            }
        }
        return s;
    }

    /** The expire column (seconds) of the stream entries of {@code flows}, or of the templates of {@code port}. */
    static List<Integer> expires(String listing, Set<String> flows, int port, boolean connections) {
        List<Integer> out = new ArrayList<>();
        for (String line : listing.split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length != 6 || !f[1].matches("\\d+:\\d\\d")) {
                continue;
            }
            boolean template = ConnEntry.port(f[3]) == 0;
            boolean wanted = connections ? !template && flows.contains(f[3])
                : template && f[4].equals(LabTopology.VIP4 + ":" + port);
            if (wanted) {
                out.add(seconds(f[1]));
            }
        }
        return out;
    }

    /** The expire column of {@code mm:ss} in seconds. */
    static int seconds(String mmss) {
        String[] f = mmss.split(":");
        return Integer.parseInt(f[0]) * 60 + Integer.parseInt(f[1]);
    }

    /** PersistConn by real server of the service on {@code port} ({@code -L -n --persistent-conn}). */
    static Map<String, String> persistConn(String listing, int port) {
        Map<String, String> m = new TreeMap<>();
        counters(listing, port).forEach((rs, columns) -> m.put(rs, columns.split(" ")[1]));
        return m;
    }

    /** The real-server lines (forward, weight and every counter column) of the IPv4 VIP's service on port. */
    static Map<String, String> counters(String listing, int port) {
        Map<String, String> m = new TreeMap<>();
        boolean inService = false;
        for (String line : listing.split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (!line.startsWith(" ")) {
                inService = f.length > 1 && f[1].equals(LabTopology.VIP4 + ":" + port);
            } else if (inService && f[0].equals("->") && !f[1].equals("RemoteAddress:Port")) {
                m.put(f[1], String.join(" ", List.of(f).subList(2, f.length)));
            }
        }
        return m;
    }

    /** Polls {@code synced} until it reaches {@code want} or 30 s passed. */
    static void awaitSynced(IntSupplier synced, int want) throws InterruptedException {
        long deadline = System.nanoTime() + SYNCED_NANOS;
        while (synced.getAsInt() < want && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
    }

    /** The first 12 lines of a listing (for failure messages). */
    static String head(String listing) {
        List<String> lines = listing.lines().toList();
        return String.join("\n", lines.subList(0, Math.min(12, lines.size())));
    }

    private static String line(ConnEntry c) {
        return c.protocol() + " " + c.state() + " " + c.source() + " " + c.virtual() + " " + c.destination();
    }
}
