package uvs.lab.demo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import uvs.lab.net.LabTopology;

/**
 * The lab's two directors running uvsd with their data planes on eth0 and, when asked, IPVS sync over their
 * own link: a master and a backup daemon on each (syncid 1), as keepalived runs them.
 */
public final class DirectorPair implements AutoCloseable {
    /** Sync id both directors use. */
    public static final String SYNC_ID = "1";

    private final LabDirector d1;
    private final LabDirector d2;

    /** The directors of {@code topo}, keeping their files in {@code workDir}. */
    public DirectorPair(LabTopology topo, Path workDir) {
        this.d1 = new LabDirector("d1", topo.director(1), workDir);
        this.d2 = new LabDirector("d2", topo.director(2), workDir);
    }

    /**
     * Starts both with the same rules and tunables; {@code d1Announce} are the addresses d1 answers ARP/ND
     * for from the start (d2 takes them over in {@link #failOver}); with {@code sync}, a master and a backup
     * sync daemon on each.
     */
    public void start(String rules, String sysctl, List<String> d1Announce, boolean sync) throws IOException {
        start(rules, sysctl, d1Announce, sync, 1);
    }

    /** As {@link #start(String, String, List, boolean)} with {@code workers} data-plane workers per director. */
    public void start(String rules, String sysctl, List<String> d1Announce, boolean sync, int workers)
        throws IOException {
        d1.start(rules, sysctl, LabTopology.ETH, d1Announce, workers);
        d2.start(rules, sysctl, LabTopology.ETH, List.of(), workers);
        if (sync) {
            for (LabDirector d : List.of(d1, d2)) {
                d.uvsadmOk("--start-daemon", "master", "--mcast-interface", LabTopology.SYNC_IF, "--syncid", SYNC_ID);
                d.uvsadmOk("--start-daemon", "backup", "--mcast-interface", LabTopology.SYNC_IF, "--syncid", SYNC_ID);
            }
        }
    }

    /** Kills d1 as a failed machine and lets d2 announce what d1 announced. */
    public void failOver(List<String> announce) throws IOException {
        d1.kill();
        for (String a : announce) {
            d2.uvsadmOk("--announce", a);
        }
    }

    /** Director 1 (active at the start). */
    public LabDirector d1() {
        return d1;
    }

    /** Director 2. */
    public LabDirector d2() {
        return d2;
    }

    /** Stops both. */
    @Override
    public void close() {
        d1.close();
        d2.close();
    }
}
