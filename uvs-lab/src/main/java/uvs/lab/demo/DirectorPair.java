package uvs.lab.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import uvs.lab.net.ClusterConfigs;
import uvs.lab.net.ClusterDaemons;
import uvs.lab.net.HaMode;
import uvs.lab.net.Lab;
import uvs.lab.net.LabException;
import uvs.lab.net.LabTopology;

/**
 * The lab's two directors running uvsd with their data planes on eth0 and, when asked, IPVS sync over their
 * own link, in one of the lab's HA modes:
 * <ul>
 *   <li>static: both run a master and a backup sync daemon (syncid 1); the lab moves the VIP's route;</li>
 *   <li>vrrp: keepalived (already running in the lab) holds the VIP on the MASTER; each uvsd imports its
 *       director's keepalived.conf (services and an {@code @uvs lvs_sync_daemon} whose role follows VRRP), runs
 *       the VIP guard and tells keepalived through its state file whether it carries traffic;</li>
 *   <li>bgp: each uvsd announces the VIPs through its director's BIRD; master and backup sync on both.</li>
 * </ul>
 */
public final class DirectorPair implements AutoCloseable {
    /** Sync id both directors use. */
    public static final String SYNC_ID = "1";
    private static final long CONVERGE_MILLIS = 20_000;

    private final Lab lab;
    private final HaMode ha;
    private final LabDirector d1;
    private final LabDirector d2;
    private double advertInt = 1;
    private int drainSeconds = -1;

    /** The directors of {@code topo} with routes set by the lab (static mode), keeping files in {@code workDir}. */
    public DirectorPair(LabTopology topo, Path workDir) {
        this(new Lab(topo), workDir, HaMode.STATIC);
    }

    /** The directors of {@code lab} in HA mode {@code ha} (the lab's), keeping their files in {@code workDir}. */
    public DirectorPair(Lab lab, Path workDir, HaMode ha) {
        this.lab = lab;
        this.ha = ha;
        this.d1 = new LabDirector("d1", lab.topology().director(1), workDir);
        this.d2 = new LabDirector("d2", lab.topology().director(2), workDir);
    }

    /** Both directors' data-plane packet port ({@code uvsd --io}) for the next {@link #start}. */
    public DirectorPair io(String choice) {
        d1.io(choice);
        d2.io(choice);
        return this;
    }

    /** Adds {@code more} to both directors' uvsd options from the next start on. */
    public DirectorPair options(List<String> more) {
        d1.options(more);
        d2.options(more);
        return this;
    }

    /** VRRP advertisement interval in seconds for the next {@link #start} in vrrp mode (keepalived's default: 1). */
    public DirectorPair advertInt(double seconds) {
        this.advertInt = seconds;
        return this;
    }

    /** uvsd's {@code --drain-seconds} for the next {@link #start} (negative: uvsd's default). */
    public DirectorPair drainSeconds(int seconds) {
        this.drainSeconds = seconds;
        return this;
    }

    /**
     * Starts both with the same rules and tunables; {@code d1Announce} are the addresses d1 answers ARP/ND
     * for from the start (d2 takes them over in {@link #failOver}); with {@code sync}, a master and a backup
     * sync daemon on each.
     */
    public void start(String rules, String sysctl, List<String> d1Announce, boolean sync) throws IOException {
        start(rules, sysctl, d1Announce, sync, 1);
    }

    /**
     * As {@link #start(String, String, List, boolean)} with {@code workers} data-plane workers per director; in
     * vrrp and bgp mode returns once the VIP has reached d1 (vrrp: d1 is MASTER; bgp: the router routes it via
     * both directors).
     */
    public void start(String rules, String sysctl, List<String> d1Announce, boolean sync, int workers)
        throws IOException {
        for (int i = 1; i <= 2; i++) {
            if (director(i).xdp()) {
                lab.acceptXdpFrames(i);
            }
        }
        switch (ha) {
            case STATIC -> {
                d1.start(rules, sysctl, LabTopology.ETH, d1Announce, workers);
                d2.start(rules, sysctl, LabTopology.ETH, List.of(), workers);
            }
            case VRRP -> startVrrp(rules, sysctl, sync, workers);
            case BGP -> startBgp(rules, sysctl, workers);
        }
        if (sync && ha != HaMode.VRRP) {
            for (LabDirector d : List.of(d1, d2)) {
                d.uvsadmOk("--start-daemon", "master", "--mcast-interface", LabTopology.SYNC_IF, "--syncid", SYNC_ID);
                d.uvsadmOk("--start-daemon", "backup", "--mcast-interface", LabTopology.SYNC_IF, "--syncid", SYNC_ID);
            }
        }
        if (ha == HaMode.BGP) {
            awaitVipVia(List.of(1, 2));
        }
    }

    private void startVrrp(String rules, String sysctl, boolean sync, int workers) throws IOException {
        ClusterDaemons k = lab.daemons();
        String services = KeepalivedServices.fromRules(rules);
        for (int i = 1; i <= 2; i++) {
            k.writeKeepalivedConf(i, ClusterConfigs.priority(i), advertInt, sync, services);
            k.reloadKeepalived(i);
        }
        int n = 1;
        for (LabDirector d : List.of(d1, d2)) {
            List<String> extra = new ArrayList<>(List.of("--vip-guard", "--state-file", k.stateFile(n).toString()));
            if (drainSeconds >= 0) {
                extra.addAll(List.of("--drain-seconds", String.valueOf(drainSeconds)));
            }
            d.start(List.of("--import", k.keepalivedConf(n).toString()), sysctl, LabTopology.ETH, List.of(), workers,
                extra);
            n++;
        }
        awaitVrrpMaster(1);
    }

    private void startBgp(String rules, String sysctl, int workers) throws IOException {
        ClusterDaemons b = lab.daemons();
        int n = 1;
        for (LabDirector d : List.of(d1, d2)) {
            Files.createDirectories(d.rulesDir());
            Path rulesFile = d.rulesDir().resolve(d.name() + ".rules");
            Files.writeString(rulesFile, rules);
            List<String> extra = new ArrayList<>(ClusterConfigs.uvsdBgpOptions(b.birdSocket(n), b.birdInclude(n)));
            if (drainSeconds >= 0) {
                extra.addAll(List.of("--drain-seconds", String.valueOf(drainSeconds)));
            }
            d.start(List.of("--rules", rulesFile.toString()), sysctl, LabTopology.ETH, List.of(), workers, extra);
            n++;
        }
    }

    /** Waits until director {@code i} holds the VIP (its keepalived is MASTER). */
    public void awaitVrrpMaster(int i) {
        long deadline = System.currentTimeMillis() + CONVERGE_MILLIS;
        while (!lab.holdsVip(i)) {
            if (System.currentTimeMillis() > deadline) {
                throw new LabException("d" + i + " did not become VRRP MASTER within " + CONVERGE_MILLIS / 1000 + " s: "
                    + String.join(" | ", tail(lab.daemons().keepalivedLog(i))));
            }
            sleep(50);
        }
    }

    /** Waits until the router's VIP route points exactly at {@code directors}. */
    public void awaitVipVia(List<Integer> directors) {
        long deadline = System.currentTimeMillis() + CONVERGE_MILLIS;
        while (!lab.vipNextHops().equals(directors)) {
            if (System.currentTimeMillis() > deadline) {
                throw new LabException("the router's VIP route is via " + lab.vipNextHops() + ", not " + directors
                    + " after " + CONVERGE_MILLIS / 1000 + " s: " + lab.daemons().routerBirdc("show protocols"));
            }
            sleep(50);
        }
    }

    /** Kills d1 as a failed machine and lets d2 announce what d1 announced (static mode). */
    public void failOver(List<String> announce) throws IOException {
        d1.kill();
        for (String a : announce) {
            d2.uvsadmOk("--announce", a);
        }
    }

    /**
     * Kills director {@code i} as a failed machine: uvsd and, in vrrp mode, keepalived (SIGKILL), or, in bgp
     * mode, BIRD too.
     */
    public void killMachine(int i) {
        director(i).kill();
        switch (ha) {
            case VRRP -> lab.daemons().killKeepalived(i);
            case BGP -> lab.daemons().killBird(i);
            case STATIC -> { }
        }
    }

    /** Director {@code i} (1 or 2). */
    public LabDirector director(int i) {
        return i == 1 ? d1 : d2;
    }

    /** The HA mode. */
    public HaMode ha() {
        return ha;
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

    private static List<String> tail(List<String> lines) {
        return lines.subList(Math.max(0, lines.size() - 5), lines.size());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted", e);
        }
    }
}
