package uvs.lab;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import uvs.lab.demo.DemoRun;
import uvs.lab.net.HaMode;

/** {@code uvs demo}: two UVS directors in the namespace lab, real traffic, and a director failure. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Builds the network-namespace lab, runs two UVS directors (wlc, persistence 300 s, direct",
        "routing, sync) with keepalived's VRRP (default) or BIRD's BGP + BFD moving the VIP, drives long-lived",
        "TCP streams and persistent HTTP clients through it, kills the active director's processes and reports",
        "what the daemons said, the failover time, how many flows continued and how many clients kept their",
        "real server. Needs root (network namespaces, AF_PACKET); removes the lab at the end."})
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--streams", defaultValue = "200", description = "long-lived TCP streams (default ${DEFAULT-VALUE})")
    int streams;

    @Option(names = "--seconds", defaultValue = "8",
        description = "seconds of traffic shown before and after the failure (default ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--workers", defaultValue = "1",
        description = "data-plane workers (engine shards) per director (default ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--ha", defaultValue = "vrrp", description = "how the VIP moves: vrrp (keepalived), bgp "
        + "(BIRD, BGP + BFD) or static (the lab moves the route) (default ${DEFAULT-VALUE})")
    String ha;

    @Option(names = "--advert-int", defaultValue = "1", description = "VRRP advertisement interval in seconds with "
        + "--ha vrrp: keepalived's default 1, or down to 0.01 (VRRP version 3) (default ${DEFAULT-VALUE})")
    double advertInt;

    @Option(names = "--kill", defaultValue = "", description = "what fails on d1: machine (uvsd and keepalived or "
        + "BIRD) or uvsd (default: machine with vrrp, uvsd with bgp)")
    String kill;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (streams < 1 || streams > 2000 || seconds < 1 || seconds > 600 || workers < 1 || workers > 64
            || !(advertInt >= 0.01 && advertInt <= 255)) {
            err.println("uvs demo: --streams must be 1..2000, --seconds 1..600, --workers 1..64 and --advert-int "
                + "0.01..255");
            return 2;
        }
        HaMode mode;
        try {
            mode = HaMode.parse(ha);
        } catch (IllegalArgumentException e) {
            err.println("uvs demo: " + e.getMessage());
            return 2;
        }
        if (!kill.isEmpty() && !kill.equals("machine") && !kill.equals("uvsd")) {
            err.println("uvs demo: --kill '" + kill + "': expected machine or uvsd");
            return 2;
        }
        boolean machine = kill.isEmpty() ? mode == HaMode.VRRP : kill.equals("machine");
        if (!"root".equals(System.getProperty("user.name"))) {
            err.println("uvs demo needs root: it builds network namespaces and reads frames with AF_PACKET "
                + "(run it with sudo). Without root, 'uvs sim sim/scenarios/d-reliable-1pct-loss.sim' shows a "
                + "failover in virtual time.");
            err.flush();
            return 2;
        }
        PrintWriter out = spec.commandLine().getOut();
        return new DemoRun(streams, seconds, workers, mode, advertInt, machine, out).run();
    }
}
