package uvs.daemon.health;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uvs.core.net.IpAddress;
import uvs.time.NanoClock;

/**
 * This host's addresses as its interfaces have them, read at most once per refresh period whatever the
 * number of checks asking: a check costs one set lookup. A failed read keeps the previous view. The period
 * is measured on the injected {@link NanoClock}, like the health checker's scheduling.
 */
public final class HostAddresses implements LocalAddresses {
    private static final Logger LOG = LoggerFactory.getLogger(HostAddresses.class);

    /** Reads the addresses once. */
    @FunctionalInterface
    interface Reader {
        Set<IpAddress> read() throws SocketException;
    }

    private final NanoClock clock;
    private final long periodNanos;
    private final Reader reader;
    private final ReentrantLock refreshing = new ReentrantLock();
    private volatile Set<IpAddress> addresses = Set.of();
    private volatile long readAt;
    private volatile boolean read;

    HostAddresses(NanoClock clock, long periodNanos, Reader reader) {
        this.clock = clock;
        this.periodNanos = periodNanos;
        this.reader = reader;
    }

    /** This host's view, read from its interfaces at most once a second by {@code clock}. */
    public static HostAddresses of(NanoClock clock) {
        return new HostAddresses(clock, TimeUnit.SECONDS.toNanos(1), HostAddresses::read);
    }

    @Override
    public boolean has(IpAddress address) {
        long now = clock.nanoTime();
        // one caller refreshes a stale view; the others use the one they have
        if ((!read || now - readAt >= periodNanos) && refreshing.tryLock()) {
            try {
                addresses = reader.read();
                read = true;
            } catch (SocketException | RuntimeException e) {
                LOG.warn("health: cannot read this host's addresses (ha_suspend keeps the last view): {}",
                    LogText.describe(e));
            } finally {
                readAt = now;
                refreshing.unlock();
            }
        }
        return addresses.contains(address);
    }

    private static Set<IpAddress> read() throws SocketException {
        Set<IpAddress> out = new HashSet<>();
        Iterator<NetworkInterface> it = NetworkInterface.getNetworkInterfaces().asIterator();
        while (it.hasNext()) {
            NetworkInterface n = it.next();
            Iterator<InetAddress> a = n.getInetAddresses().asIterator();
            while (a.hasNext()) {
                out.add(IpAddress.fromBytes(a.next().getAddress()));
            }
        }
        return Set.copyOf(out);
    }
}
