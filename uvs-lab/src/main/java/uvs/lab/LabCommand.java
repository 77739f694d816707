package uvs.lab;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;
import uvs.lab.net.GatewayMode;
import uvs.lab.net.HaMode;
import uvs.lab.net.JavaCommand;
import uvs.lab.net.Lab;
import uvs.lab.net.LabException;
import uvs.lab.net.LabTopology;
import uvs.lab.net.RouteMode;
import uvs.lab.net.TrafficMain;

/** {@code uvs lab up|down|status|route|gateway|traffic}: the network-namespace lab of the UVS data plane. */
@Command(name = "lab", mixinStandardHelpOptions = true,
    description = "Network-namespace lab: client, router, two directors (d1, d2) and three real servers.",
    subcommands = {LabCommand.Up.class, LabCommand.Down.class, LabCommand.Status.class, LabCommand.Route.class,
        LabCommand.Gateway.class, LabCommand.Traffic.class})
final class LabCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    /** The {@code --prefix} option shared by the subcommands. */
    static final class Prefix {
        @Option(names = "--prefix", defaultValue = LabTopology.DEFAULT_PREFIX,
            description = "prefix of the namespace names (default uvs: uvs-client, uvs-router, ...)")
        String prefix;

        Lab lab() {
            return new Lab(new LabTopology(prefix));
        }
    }

    /** Base of the subcommands: runs the action and turns lab failures into exit status 1. */
    abstract static class LabAction implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Prefix prefix;

        abstract void run(Lab lab, PrintWriter out) throws Exception;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                run(prefix.lab(), out);
                return 0;
            } catch (IllegalArgumentException e) {
                err.println("uvs lab: " + e.getMessage());
                return 2;
            } catch (LabException e) {
                err.println("uvs lab: " + e.getMessage()
                    + (ProcessHandle.current().info().user().orElse("").equals("root") ? "" : " (the lab needs root)"));
                return 1;
            } finally {
                out.flush();
                err.flush();
            }
        }
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
        description = "Build the lab (keeps a healthy one, rebuilds a partial one) and start the real servers.")
    static final class Up extends LabAction {
        @Option(names = "--route", defaultValue = "ecmp", description = "VIP routing: ecmp, d1 or d2 (default ecmp)")
        String route;

        @Option(names = "--gateway", defaultValue = "dr", description = "real servers' gateway: dr or nat (default dr)")
        String gateway;

        @Option(names = "--ha", defaultValue = "static", description = "how the VIP reaches the directors: vrrp "
            + "(keepalived), bgp (BIRD with BFD) or static (routes set by the lab, --route; default ${DEFAULT-VALUE})")
        String ha;

        @Override
        void run(Lab lab, PrintWriter out) {
            RouteMode r = RouteMode.parse(route);
            GatewayMode g = GatewayMode.parse(gateway);
            HaMode h = HaMode.parse(ha);
            out.println(lab.up(h, r, g) ? "lab " + lab.topology().prefix() + " built" : "lab "
                + lab.topology().prefix() + " already up (kept; modes applied)");
            out.print(lab.status());
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true,
        description = "Remove the lab: kill its processes, delete its namespaces and state.")
    static final class Down extends LabAction {
        @Override
        void run(Lab lab, PrintWriter out) {
            lab.down();
            out.println("lab " + lab.topology().prefix() + " down");
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show namespaces, addresses, route mode and real-server processes.")
    static final class Status extends LabAction {
        @Override
        void run(Lab lab, PrintWriter out) {
            out.print(lab.status());
        }
    }

    @Command(name = "route", mixinStandardHelpOptions = true,
        description = "Switch the router's VIP routes: ecmp (active/active), d1 or d2 (active/standby).")
    static final class Route extends LabAction {
        @Parameters(paramLabel = "MODE", description = "ecmp, d1 or d2")
        String mode;

        @Override
        void run(Lab lab, PrintWriter out) {
            lab.routeMode(RouteMode.parse(mode));
            out.println("route " + lab.routeMode().map(RouteMode::cliName).orElse("none"));
        }
    }

    @Command(name = "gateway", mixinStandardHelpOptions = true,
        description = "Switch the real servers' default route: dr (via the router) or nat (via the NAT gateway "
            + "address the active director answers for).")
    static final class Gateway extends LabAction {
        @Parameters(paramLabel = "MODE", description = "dr or nat")
        String mode;

        @Override
        void run(Lab lab, PrintWriter out) {
            lab.realServerGateway(GatewayMode.parse(mode));
            out.println("real-server gateway " + lab.realServerGateway().map(GatewayMode::cliName).orElse("none"));
        }
    }

    @Command(name = "traffic", mixinStandardHelpOptions = true,
        description = "Run the traffic tool in the client namespace, e.g. "
            + "'uvs lab traffic streams --vip 10.100.2.100 --count 20 --duration-s 30'.")
    static final class Traffic extends LabAction {
        @Unmatched
        List<String> args = new ArrayList<>();

        @Override
        void run(Lab lab, PrintWriter out) throws IOException, InterruptedException {
            out.flush();
            Process p = new ProcessBuilder(JavaCommand.inNamespace(lab.topology().client(), TrafficMain.class, args))
                .inheritIO().start();
            int status = p.waitFor();
            if (status != 0) {
                throw new LabException("traffic exited with status " + status);
            }
        }
    }
}
