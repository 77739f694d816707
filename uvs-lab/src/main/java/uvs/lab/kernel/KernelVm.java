package uvs.lab.kernel;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A Linux kernel with IPVS in qemu ({@code bin/lib/kernel-vm-boot}): booted in a network namespace with two NICs
 * on taps there ({@code vmlan} for its eth0, {@code vmsync} for its eth1), driven through the command channel of
 * its init (a virtio serial port on a unix socket). Killing it is a director failure.
 */
public final class KernelVm implements AutoCloseable {
    /** Where bin/lib/kernel-vm-image leaves the kernel and initramfs unless UVS_KERNEL_VM_DIR says otherwise. */
    public static final Path IMAGE_DIR = Path.of(System.getenv().getOrDefault("UVS_KERNEL_VM_DIR",
        "/var/cache/uvs/kernel-vm"));
    /** The VM's interface on the LAN tap. */
    public static final String LAN_IF = "eth0";
    /** The VM's interface on the sync tap. */
    public static final String SYNC_IF = "eth1";
    /** The tap of the LAN NIC, in the VM's namespace. */
    public static final String LAN_TAP = "vmlan";
    /** The tap of the sync NIC, in the VM's namespace. */
    public static final String SYNC_TAP = "vmsync";

    private static final long BOOT_SECONDS = 90;
    private static final String READY = "uvs-kernel-vm: ready";

    private final Process qemu;
    private final Path dir;
    private final SocketChannel channel;
    private final InputStream in;
    private final OutputStream out;
    private final String kernel;

    private KernelVm(Process qemu, Path dir, SocketChannel channel, String kernel) {
        this.qemu = qemu;
        this.dir = dir;
        this.channel = channel;
        this.in = new BufferedInputStream(Channels.newInputStream(channel));
        this.out = Channels.newOutputStream(channel);
        this.kernel = kernel;
    }

    /**
     * Why the VM cannot run here (no image built by bin/uvs-setup, no qemu, no /dev/net/tun), or empty if it can.
     */
    public static Optional<String> unavailable() {
        if (!Files.isRegularFile(IMAGE_DIR.resolve("initrd.img")) || !Files.isRegularFile(IMAGE_DIR.resolve("vmlinuz"))) {
            return Optional.of("no kernel VM image in " + IMAGE_DIR + " (bin/uvs-setup builds it as root)");
        }
        if (!Files.isExecutable(Path.of("/usr/bin/qemu-system-x86_64"))) {
            return Optional.of("no /usr/bin/qemu-system-x86_64 (apt-get install qemu-system-x86)");
        }
        if (!Files.exists(Path.of("/dev/net/tun"))) {
            return Optional.of("no /dev/net/tun for the VM's taps");
        }
        return bootScript().isPresent() ? Optional.empty() : Optional.of("bin/lib/kernel-vm-boot not found");
    }

    /**
     * Boots the VM in namespace {@code ns}, keeping its console log and channel socket in {@code dir}; returns
     * once its command channel answers. The taps exist in {@code ns} once this returns.
     */
    public static KernelVm boot(String ns, Path dir) throws IOException, InterruptedException {
        Path script = bootScript().orElseThrow(() -> new IOException("bin/lib/kernel-vm-boot not found"));
        Files.createDirectories(dir);
        Path console = dir.resolve("console.log");
        Files.deleteIfExists(console);
        Files.deleteIfExists(dir.resolve("ctl.sock"));
        Process p = new ProcessBuilder(script.toString(), ns, dir.toString()).redirectErrorStream(true)
            .redirectOutput(dir.resolve("qemu.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOOT_SECONDS);
        try {
            while (!readyLine(console).isPresent()) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("kernel VM did not boot" + (p.isAlive() ? " within " + BOOT_SECONDS + " s"
                        : " (qemu exit " + p.exitValue() + ": " + tail(dir.resolve("qemu.log")) + ")")
                        + "; console: " + tail(console));
                }
                Thread.sleep(100);
            }
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(dir.resolve("ctl.sock")));
            KernelVm vm = new KernelVm(p, dir, ch, readyLine(console).orElseThrow().split(" ")[2]);
            vm.runOk("true");
            return vm;
        } catch (IOException | InterruptedException | RuntimeException e) {
            p.destroyForcibly();
            throw e;
        }
    }

    /** The kernel release the VM runs ({@code 6.1.0-57-amd64}). */
    public String kernel() {
        return kernel;
    }

    /** Exit code and output of one command run in the VM. */
    public record Result(int exitCode, String stdout, String stderr) {}

    /** Runs {@code script} with the VM's {@code sh}; one request at a time. */
    public synchronized Result run(String script) throws IOException {
        out.write(Base64.getEncoder().encode(script.getBytes(StandardCharsets.UTF_8)));
        out.write('\n');
        out.flush();
        String header = readLine();
        String[] f = header.split(" ");
        if (f.length != 4 || !f[0].equals("@@")) {
            throw new IOException("kernel VM channel: unexpected answer '" + header + "'");
        }
        byte[] stdout = in.readNBytes(Integer.parseInt(f[2]));
        byte[] stderr = in.readNBytes(Integer.parseInt(f[3]));
        return new Result(Integer.parseInt(f[1]), new String(stdout, StandardCharsets.UTF_8),
            new String(stderr, StandardCharsets.UTF_8));
    }

    /** Runs {@code argv} (each word quoted for sh) in the VM. */
    public Result run(List<String> argv) throws IOException {
        return run(quote(argv));
    }

    /** Runs {@code script}; a non-zero exit becomes an IOException with its error output. */
    public String runOk(String script) throws IOException {
        Result r = run(script);
        if (r.exitCode() != 0) {
            throw new IOException("kernel VM: '" + script + "' exit " + r.exitCode() + ": " + r.stderr().strip());
        }
        return r.stdout();
    }

    /** {@code argv} as one sh command line, every word single-quoted. */
    public static String quote(List<String> argv) {
        return argv.stream().map(a -> "'" + a.replace("'", "'\\''") + "'").collect(Collectors.joining(" "));
    }

    /** True while qemu runs. */
    public boolean alive() {
        return qemu.isAlive();
    }

    /** Kills qemu at once: the kernel director fails as a machine does. */
    public void kill() throws InterruptedException {
        qemu.destroyForcibly();
        qemu.waitFor(10, TimeUnit.SECONDS);
    }

    /** The last console lines (for failure messages). */
    public String consoleTail() {
        return tail(dir.resolve("console.log"));
    }

    /** Stops the VM (kills qemu) and closes the channel. */
    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            try {
                kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("kernel VM channel closed; console: " + consoleTail());
            }
            b.write(c);
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    private static Optional<String> readyLine(Path console) {
        try {
            return Files.exists(console)
                ? Files.readAllLines(console, StandardCharsets.ISO_8859_1).stream().filter(l -> l.startsWith(READY))
                    .findFirst()
                : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    // bin/lib/kernel-vm-boot of this checkout: tests run in a module directory, tools in the top one
    private static Optional<Path> bootScript() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path s = d.resolve("bin/lib/kernel-vm-boot");
            if (Files.isExecutable(s)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 8), lines.size()));
        } catch (IOException e) {
            return "(none)";
        }
    }
}
