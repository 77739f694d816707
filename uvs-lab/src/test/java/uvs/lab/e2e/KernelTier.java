package uvs.lab.e2e;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import uvs.lab.kernel.KernelVm;

/**
 * The kernel interop tier's gate and its namespace: a class of the tier runs only as root with network
 * namespaces, qemu and the kernel VM image (bin/uvs-setup); otherwise it is skipped, and the first skip of a
 * run prints one line saying why.
 */
final class KernelTier {
    /** JUnit tag of the tier ({@code -Dgroups=kernel} runs only it, {@code -DexcludedGroups=kernel} skips it). */
    static final String TAG = "kernel";

    private static final AtomicBoolean SKIP_SAID = new AtomicBoolean();

    private KernelTier() {}

    /** Skips the calling class (JUnit assumption) when the kernel VM or namespaces cannot run here. */
    static void assumeAvailable() {
        Optional<String> why = KernelVm.unavailable();
        if (why.isEmpty()) {
            String probe = "uvskprobe" + ProcessHandle.current().pid();
            E2eLab.Result r = E2eLab.run(List.of("ip", "netns", "add", probe));
            E2eLab.run(List.of("ip", "netns", "del", probe));
            why = r.ok() ? Optional.empty()
                : Optional.of("needs root and network namespaces: 'ip netns add' failed: " + r.err().strip());
        }
        if (why.isPresent() && SKIP_SAID.compareAndSet(false, true)) {
            System.out.println("kernel interop tier skipped: " + why.get());
        }
        assumeTrue(why.isEmpty(), "kernel interop tier: " + why.orElse(""));
    }

    /** Creates namespace {@code ns} and runs {@code ip -batch} lines in it; fails with ip's error. */
    static void namespace(String ns, List<String> ipBatch) {
        check(E2eLab.run(List.of("ip", "netns", "add", ns)), "ip netns add " + ns);
        ip(ns, ipBatch);
    }

    /** Runs {@code ip -n ns} over each line; fails with ip's error. */
    static void ip(String ns, List<String> lines) {
        for (String line : lines) {
            List<String> argv = new ArrayList<>(List.of("ip", "-n", ns));
            argv.addAll(List.of(line.split(" ")));
            check(E2eLab.run(argv), String.join(" ", argv));
        }
    }

    /** Removes namespace {@code ns} (best effort; for cleanup). */
    static void removeNamespace(String ns) {
        E2eLab.run(List.of("ip", "netns", "del", ns));
    }

    /** A fresh work directory. */
    static Path workDir(String tag) throws IOException {
        return Files.createTempDirectory("uvs-kernel-" + tag);
    }

    private static void check(E2eLab.Result r, String what) {
        if (!r.ok()) {
            throw new IllegalStateException(what + ": exit " + r.status() + ": " + r.err().strip());
        }
    }
}
