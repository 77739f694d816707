package uvs.net.sys;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A network namespace {@code uvs-t-io-PID-N} created for one test (class) and deleted by {@link #close()};
 * creating it skips the test (visibly) when not privileged or when {@code ip netns add} fails.
 */
public final class NetnsFixture implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    /** The namespace name. */
    public final String name;

    private NetnsFixture(String name) {
        this.name = name;
    }

    /** Creates a namespace with IPv6 off (no router solicitations or DAD frames) and lo up. */
    public static NetnsFixture create() {
        Capabilities caps = Capabilities.current();
        assumeTrue(caps.has(Capabilities.CAP_SYS_ADMIN) && caps.has(Capabilities.CAP_NET_ADMIN),
                "skipped: network namespace tests need root (CAP_SYS_ADMIN and CAP_NET_ADMIN)");
        String name = "uvs-t-io-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
        String failure = runQuietly("ip", "netns", "add", name);
        assumeTrue(failure == null, () -> "skipped: cannot create network namespace " + name + ": " + failure);
        NetnsFixture ns = new NetnsFixture(name);
        try {
            ns.exec("sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1");
            ns.exec("sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=1");
            ns.ip("link", "set", "lo", "up");
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    /** Adds veth pair {@code a}/{@code b} inside this namespace, both up. */
    public NetnsFixture vethPair(String a, String b) {
        ip("link", "add", a, "type", "veth", "peer", "name", b);
        ip("link", "set", a, "up");
        ip("link", "set", b, "up");
        return this;
    }

    /** Runs {@code ip -n NAME args...}; throws with its output when it fails. */
    public void ip(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", name));
        cmd.addAll(List.of(args));
        run(cmd.toArray(String[]::new));
    }

    /** Runs a command inside the namespace with {@code ip netns exec}. */
    public void exec(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", name));
        cmd.addAll(List.of(args));
        run(cmd.toArray(String[]::new));
    }

    /** Runs {@code ip -n NAME args...} and returns its output; throws when it fails. */
    public String ipOutput(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", name));
        cmd.addAll(List.of(args));
        return output(cmd);
    }

    /** Runs a command inside the namespace with {@code ip netns exec} and returns its output, whatever its status. */
    public String execOutput(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", name));
        cmd.addAll(List.of(args));
        return output(cmd);
    }

    /** The MAC address of interface {@code dev} in the namespace. */
    public long mac(String dev) throws Exception {
        return Netns.call(name, () -> LinkInfo.of(dev).mac());
    }

    /** The index of interface {@code dev} in the namespace. */
    public int ifIndex(String dev) throws Exception {
        return Netns.call(name, () -> Libc.ifIndex(dev));
    }

    private static String output(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", cmd) + " timed out");
            }
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void run(String... cmd) {
        String failure = runQuietly(cmd);
        if (failure != null) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + failure);
        }
    }

    /** Runs a command (bounded to 10 s); null when it succeeded, else its exit status and output. */
    private static String runQuietly(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "timed out";
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + out;
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Deletes the namespace (and the interfaces in it). */
    @Override
    public void close() {
        runQuietly("ip", "netns", "del", name);
    }
}
