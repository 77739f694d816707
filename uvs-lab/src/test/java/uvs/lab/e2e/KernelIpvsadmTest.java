package uvs.lab.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import uvs.daemon.ControlProtocol;
import uvs.lab.demo.LabDirector;
import uvs.lab.kernel.KernelVm;

/**
 * uvsadm against the real ipvsadm on a real kernel (root, qemu): the same commands go to ipvsadm 1.31 in the
 * kernel VM and to uvsadm/uvsd in a namespace of the test's own (both see interfaces eth0 and eth1); every exit
 * code and every byte of output must be equal, and so must all eight listings ({@link #LISTINGS}) after every
 * command. A difference fails with the seed and the shortest failing prefix of commands.
 */
@Tag(KernelTier.TAG)
class KernelIpvsadmTest {
    /** The listings compared after every command. */
    static final List<List<String>> LISTINGS = List.of(List.of("-L", "-n"),
        List.of("-L", "-n", "--stats", "--exact"), List.of("-L", "-n", "--thresholds"),
        List.of("-L", "-n", "--persistent-conn"), List.of("-L", "-n", "--tun-info"), List.of("-S", "-n"),
        List.of("-L", "--timeout"), List.of("-L", "--daemon"));
    /** The ipvsadm fork server in the VM image, and the words ipvsadm must be started with for it. */
    private static final String FORK_SERVER = "/lib/uvs-fork-server.so";
    private static final int FORK_SERVER_WORDS = 64;
    private static final int COMMANDS = Integer.getInteger("uvs.kernel.commands", 500);
    private static final long SEED = Long.getLong("uvs.kernel.seed", 13);

    private static String ns;
    private static Path work;
    private static KernelVm vm;
    private static LabDirector uvs;

    @BeforeAll
    static void boot() throws Exception {
        KernelTier.assumeAvailable();
        ns = "uvskd" + ProcessHandle.current().pid();
        work = KernelTier.workDir("ipvsadm");
        try {
            // eth0 and eth1 exist on both sides, so sync daemons start alike; their multicast stays in here
            KernelTier.namespace(ns, List.of("link set lo up", "link add eth0 type veth peer name eth1",
                "link set eth0 up", "link set eth1 up", "addr add 10.99.0.1/24 dev eth0",
                "addr add 10.99.1.1/24 dev eth1",
                "route add 224.0.0.0/4 dev eth1"));
            vm = KernelVm.boot(ns, work.resolve("vm"));
            KernelTier.ip(ns, List.of("link set " + KernelVm.LAN_TAP + " up", "link set " + KernelVm.SYNC_TAP + " up"));
            vm.runOk("ip link set eth0 up && ip addr add 10.99.0.2/24 dev eth0 && ip link set eth1 up"
                + " && ip addr add 10.99.1.2/24 dev eth1 && ip route add 224.0.0.0/4 dev eth1");
            uvs = new LabDirector("uvs", ns, work);
            uvs.start("", "", null, List.of());
        } catch (Exception | Error e) {
            cleanUp();
            throw e;
        }
    }

    @AfterAll
    static void cleanUp() throws IOException {
        if (uvs != null) {
            uvs.close();
        }
        if (vm != null) {
            vm.close();
        }
        if (ns != null) {
            KernelTier.removeNamespace(ns);
        }
    }

    @Test
    void shouldListTheSameRulesAsTheKernel() throws IOException {
        List<List<String>> rules = List.of(List.of("-C"), words("-A -t 10.1.1.1:80 -s wlc -p 300"),
            words("-a -t 10.1.1.1:80 -r 10.2.2.1:80 -g -w 1"), words("-a -t 10.1.1.1:80 -r 10.2.2.2:8080 -m -w 3"),
            words("-A -u [2001:db8::1]:53 -s rr"), words("-a -u [2001:db8::1]:53 -r [2001:db8:1::10]:53 -i -w 2"),
            words("-A -f 7 -s sh -b sh-port"), words("-a -f 7 -r 10.2.2.3:0 -g -w 5 -x 100 -y 10"));
        for (List<String> c : rules) {
            assertThat(uvs(c)).as("uvsadm %s", c).isEqualTo(ipvsadm(c));
        }
        KernelVm.Result k = ipvsadm(List.of("-L", "-n"));
        assertThat(k.exitCode()).isZero();
        assertThat(k.stdout()).contains("TCP  10.1.1.1:80 wlc persistent 300");
        assertThat(uvs(List.of("-L", "-n"))).isEqualTo(k);
        // the fork server the differential uses answers as an exec of ipvsadm does, byte for byte
        List<List<String>> probes = new ArrayList<>(LISTINGS);
        probes.addAll(List.of(words("-A -t 10.1.1.1:80 -s rr"), words("-A -t 10.1.1.1:80 -s nosuch"), List.of("-Q"),
            words("-L -n -t 10.1.1.77:80"), List.of("-h")));
        List<KernelVm.Result> execs = new ArrayList<>();
        for (List<String> p : probes) {
            execs.add(ipvsadm(p));
        }
        assertThat(forkServer(probes)).as("ipvsadm through the fork server").isEqualTo(execs);
    }

    @Test
    void shouldAnswerEveryGeneratedCommandAsTheKernelsIpvsadm() throws IOException {
        List<List<String>> commands = new ArrayList<>(List.of(List.of("-C"), words("--set 900 120 300")));
        commands.addAll(new IpvsadmCommands(new SplittableRandom(SEED)).commands(COMMANDS));
        commands.addAll(List.of(words("--stop-daemon master"), words("--stop-daemon backup"), List.of("-C")));
        long started = System.nanoTime();
        List<KernelVm.Result> kernel = kernelSequence(commands);
        long kernelMillis = (System.nanoTime() - started) / 1_000_000;
        int k = 0;
        for (int step = 0; step < commands.size(); step++) {
            List<String> command = commands.get(step);
            KernelVm.Result theirs = kernel.get(k++);
            KernelVm.Result mine = uvs(command);
            if (!mine.equals(theirs)) {
                throw new AssertionError(difference(commands, step, command, theirs, mine));
            }
            for (List<String> listing : LISTINGS) {
                KernelVm.Result theirListing = kernel.get(k++);
                KernelVm.Result myListing = uvs(listing);
                if (!myListing.equals(theirListing)) {
                    throw new AssertionError(difference(commands, step, listing, theirListing, myListing));
                }
            }
        }
        int compared = k - commands.size();
        E2eLab.note("ipvsadm differential: " + commands.size() + " commands (seed " + SEED + ") and " + compared
            + " listings after them (all " + LISTINGS.size() + " after every command), equal on kernel " + vm.kernel()
            + " and uvsd (kernel " + kernelMillis / 1000.0 + " s, uvsd "
            + ((System.nanoTime() - started) / 1_000_000 - kernelMillis) / 1000.0 + " s)");
    }

    private static String difference(List<List<String>> commands, int step, List<String> what, KernelVm.Result kernel,
        KernelVm.Result mine) {
        StringBuilder b = new StringBuilder("ipvsadm differential (seed " + SEED + ", -Duvs.kernel.seed=" + SEED
            + "): step " + (step + 1) + " differs at 'ipvsadm " + String.join(" ", what) + "'\n"
            + "shortest failing prefix (" + (step + 1) + " commands):\n");
        for (int i = 0; i <= step; i++) {
            b.append("  ipvsadm ").append(String.join(" ", commands.get(i))).append('\n');
        }
        return b.append("kernel: exit ").append(kernel.exitCode()).append("\n--- stdout\n").append(kernel.stdout())
            .append("--- stderr\n").append(kernel.stderr()).append("\nuvsadm: exit ").append(mine.exitCode())
            .append("\n--- stdout\n").append(mine.stdout()).append("--- stderr\n").append(mine.stderr()).toString();
    }

    /**
     * Runs the whole sequence in the VM in one request, each command followed by all {@link #LISTINGS}, through
     * the image's ipvsadm fork server (bin/lib/kernel-vm-fork-server.c: under TCG an exec of ipvsadm costs
     * 45-65 ms, a fork of a loaded one about 11 ms); their answers in order.
     */
    private static List<KernelVm.Result> kernelSequence(List<List<String>> commands) throws IOException {
        List<List<String>> runs = new ArrayList<>();
        for (List<String> c : commands) {
            runs.add(c);
            runs.addAll(LISTINGS);
        }
        return forkServer(runs);
    }

    /** Runs each of {@code runs} (ipvsadm's arguments) through the fork server in the VM, in one request. */
    private static List<KernelVm.Result> forkServer(List<List<String>> runs) throws IOException {
        StringBuilder requests = new StringBuilder();
        int n = 0;
        for (List<String> run : runs) {
            n++;
            requests.append("/tmp/d/").append(n + 100_000).append(".o\t/tmp/d/").append(n + 100_000).append(".e\t")
                .append(String.join("\t", run)).append('\n');
        }
        String placeholders = " x".repeat(FORK_SERVER_WORDS - 2);
        String script = "[ -f " + FORK_SERVER + " ] || { echo 'no " + FORK_SERVER + " in the kernel VM image:"
            + " rebuild it (bin/uvs-setup)' >&2; exit 3; }\n"
            + "rm -rf /tmp/d; mkdir /tmp/d\ncat > /tmp/requests <<'EOF'\n" + requests + "EOF\n"
            + "LD_PRELOAD=" + FORK_SERVER + " ipvsadm --fork-server" + placeholders + " < /tmp/requests > /tmp/codes\n"
            + "echo $(cat /tmp/codes); cd /tmp/d; wc -c *; cat *\n";
        KernelVm.Result r = vm.run(script);
        if (r.exitCode() != 0) {
            throw new IOException("ipvsadm fork server: exit " + r.exitCode() + ": " + r.stderr().strip());
        }
        byte[] all = r.stdout().getBytes(StandardCharsets.UTF_8);
        int at = 0;
        String[] codes = null;
        Map<String, Integer> sizes = new HashMap<>();
        int lines = 0;
        while (codes == null || lines < 2 * codes.length + 1) {
            int nl = at;
            while (all[nl] != '\n') {
                nl++;
            }
            String line = new String(all, at, nl - at, StandardCharsets.UTF_8);
            at = nl + 1;
            if (codes == null) {
                codes = line.strip().split(" ");
                if (codes.length != n) {
                    throw new IOException("ipvsadm fork server answered " + codes.length + " of " + n + " requests: "
                        + line.substring(0, Math.min(200, line.length())));
                }
            } else {
                lines++;
                String[] f = line.strip().split("\\s+");
                sizes.put(f[1], Integer.parseInt(f[0]));
            }
        }
        List<KernelVm.Result> out = new ArrayList<>();
        for (int i = 1; i <= codes.length; i++) {
            String name = String.valueOf(100_000 + i);
            int o = sizes.get(name + ".o");
            int e = sizes.get(name + ".e");
            // cat * gives name order: NNNNNN.e before NNNNNN.o
            String err = new String(all, at, e, StandardCharsets.UTF_8);
            String stdout = new String(all, at + e, o, StandardCharsets.UTF_8);
            at += e + o;
            out.add(new KernelVm.Result(Integer.parseInt(codes[i - 1]), stdout, err));
        }
        return out;
    }

    private static KernelVm.Result ipvsadm(List<String> args) throws IOException {
        List<String> argv = new ArrayList<>(List.of("ipvsadm"));
        argv.addAll(args);
        return vm.run(argv);
    }

    private static KernelVm.Result uvs(List<String> args) throws IOException {
        ControlProtocol.Reply r = uvs.uvsadm(args.toArray(String[]::new));
        return new KernelVm.Result(r.exitCode(), r.stdout(), r.stderr());
    }

    private static List<String> words(String line) {
        return List.of(line.split(" "));
    }
}
