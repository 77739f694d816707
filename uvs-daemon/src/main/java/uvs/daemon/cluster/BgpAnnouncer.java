package uvs.daemon.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uvs.core.net.IpAddress;
import uvs.daemon.AtomicFile;
import uvs.net.sys.TunDevice;

/**
 * Announces virtual addresses to the routers through BIRD: writes {@link BirdConfig}'s file and asks BIRD to
 * re-read it whenever the set to announce changes. The routes point at a TUN device that uvsd holds, so when
 * uvsd dies, even by SIGKILL, the kernel removes the device, BIRD sees the interface go and withdraws every
 * route at once.
 */
final class BgpAnnouncer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BgpAnnouncer.class);

    private final BgpSpec spec;
    private final BirdControl bird;
    private final TunDevice device;
    private Set<IpAddress> announced;

    BgpAnnouncer(BgpSpec spec) {
        this.spec = spec;
        this.bird = new BirdControl(spec.birdSocket());
        this.device = TunDevice.open(spec.device());
    }

    /**
     * Makes BIRD announce exactly {@code vips}; does nothing when they are already announced.
     *
     * @throws IOException when the file cannot be written or BIRD refuses or cannot be reached (the next call
     *                     tries again)
     */
    void announce(Set<IpAddress> vips) throws IOException {
        if (vips.equals(announced)) {
            return;
        }
        Files.createDirectories(spec.include().toAbsolutePath().getParent());
        AtomicFile.write(spec.include(), BirdConfig.render(spec, vips).getBytes(StandardCharsets.UTF_8));
        bird.configure();
        announced = Set.copyOf(vips);
        LOG.info("BGP: announcing {} through BIRD ({})", vips.isEmpty() ? "no VIP" : vips, spec.birdSocket());
    }

    /** Removes the device: whatever is still announced is withdrawn by BIRD. */
    @Override
    public void close() {
        device.close();
    }
}
