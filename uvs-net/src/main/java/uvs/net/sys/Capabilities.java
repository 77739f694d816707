package uvs.net.sys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The effective capability set of this process (the {@code CapEff} line of {@code /proc/self/status}). */
public final class Capabilities {
    /** {@code CAP_NET_ADMIN}: socket options, namespaces, interface configuration. */
    public static final int CAP_NET_ADMIN = 12;
    /** {@code CAP_NET_RAW}: AF_PACKET sockets. */
    public static final int CAP_NET_RAW = 13;
    /** {@code CAP_SYS_ADMIN}: setns into a namespace not owned by our user namespace; BPF before CAP_BPF. */
    public static final int CAP_SYS_ADMIN = 21;
    /** {@code CAP_BPF}: maps and programs (with CAP_NET_ADMIN for XDP). */
    public static final int CAP_BPF = 39;

    private static final Path STATUS = Path.of("/proc/self/status");

    private final long effective;

    private Capabilities(long effective) {
        this.effective = effective;
    }

    /** The capabilities of this process. */
    public static Capabilities current() {
        try {
            return parse(Files.readString(STATUS));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + STATUS, e);
        }
    }

    /**
     * Parses a {@code /proc/PID/status} text.
     *
     * @throws IllegalArgumentException when it has no valid {@code CapEff:} line
     */
    public static Capabilities parse(String statusText) {
        for (String line : statusText.split("\n")) {
            if (line.startsWith("CapEff:")) {
                String hex = line.substring("CapEff:".length()).trim();
                try {
                    return new Capabilities(Long.parseUnsignedLong(hex, 16));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bad CapEff value in process status: '" + hex + "'", e);
                }
            }
        }
        throw new IllegalArgumentException("no CapEff line in process status");
    }

    /** Whether capability number {@code cap} is effective. */
    public boolean has(int cap) {
        return (effective >>> cap & 1) != 0;
    }

    /** The effective set as a bit mask. */
    public long effective() {
        return effective;
    }

    /**
     * Checks for CAP_NET_RAW and CAP_NET_ADMIN, which AF_PACKET sockets and their options need.
     *
     * @param what the feature, as the operator typed it ("uvsd --interface eth0")
     * @throws MissingCapabilityException naming each missing capability
     */
    public void requireNetAdmin(String what) {
        List<String> missing = new ArrayList<>();
        if (!has(CAP_NET_RAW)) {
            missing.add("CAP_NET_RAW");
        }
        if (!has(CAP_NET_ADMIN)) {
            missing.add("CAP_NET_ADMIN");
        }
        if (!missing.isEmpty()) {
            throw new MissingCapabilityException(what + " needs CAP_NET_RAW and CAP_NET_ADMIN (run as root or grant"
                    + " them with setcap); missing: " + String.join(", ", missing));
        }
    }
}
