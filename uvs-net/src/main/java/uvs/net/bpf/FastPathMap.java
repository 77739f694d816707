package uvs.net.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import uvs.net.sys.Errno;
import uvs.net.sys.NativeException;

/**
 * The fast-path flow map read by {@link XdpFastPath}: a BPF hash map of {@link FastPathKey} to
 * {@link FastPathEntry} values, one entry per flow direction, bounded by its capacity. UVS installs an
 * established connection's directions, reads their counters to fold them into the connection table, and
 * removes them when the connection goes. One thread at a time; no allocation per call (the key and value
 * buffers are reused).
 *
 * <p>Counters are cumulative since install: the program adds to them atomically while UVS reads, so a
 * read-and-reset would lose what was added between the read and the reset. The caller folds the difference from
 * what it folded last time.
 */
public final class FastPathMap implements AutoCloseable {
    /** {@link #install} put the entry in the map (new or replaced, counters from zero). */
    public static final int INSTALLED = 0;
    /** {@link #install} found the map full: the flow's packets keep going through UVS. */
    public static final int FULL = 1;
    /** Default capacity (flow directions). */
    public static final int DEFAULT_ENTRIES = 262_144;

    private final Bpf bpf;
    private final int fd;
    private final int capacity;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment key = arena.allocate(FastPathKey.SIZE, 8);
    private final MemorySegment value = arena.allocate(FastPathEntry.VALUE_SIZE, 8);
    private long fullCount;
    private long packets;
    private long bytes;
    private long lastSeenNanos;

    private FastPathMap(Bpf bpf, int fd, int capacity) {
        this.bpf = bpf;
        this.fd = fd;
        this.capacity = capacity;
    }

    /**
     * Creates the map with room for {@code capacity} flow directions.
     *
     * @throws IllegalArgumentException when {@code capacity} is not positive
     * @throws NativeException when the kernel refuses
     */
    public static FastPathMap create(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("fast-path map capacity must be positive, not " + capacity);
        }
        Bpf bpf = new Bpf();
        try {
            return new FastPathMap(bpf, bpf.createMap(Bpf.MAP_TYPE_HASH, FastPathKey.SIZE, FastPathEntry.VALUE_SIZE,
                capacity, "uvs_fastpath"), capacity);
        } catch (RuntimeException e) {
            bpf.close();
            throw e;
        }
    }

    /** The map's file descriptor (for the program that reads it). */
    int fd() {
        return fd;
    }

    /** Flow directions the map holds at most. */
    public int capacity() {
        return capacity;
    }

    /**
     * Installs (or replaces, counters from zero: fold an installed entry's counts first) {@code e}. Returns {@link #INSTALLED}, or {@link #FULL} (counted in
     * {@link #fullCount()}) when the map has no room.
     *
     * @throws NativeException on any other refusal
     */
    public int install(FastPathEntry e) {
        e.key().write(key);
        e.writeValue(value);
        int errno = bpf.tryUpdate(fd, key, value, Bpf.UPDATE_ANY);
        if (errno == 0) {
            return INSTALLED;
        }
        if (errno == Errno.E2BIG || errno == Errno.ENOMEM) {
            fullCount++;
            return FULL;
        }
        throw new NativeException("bpf(BPF_MAP_UPDATE_ELEM) of fast-path flow " + e.key(), errno);
    }

    /**
     * Removes the entry of {@code k}; false when there was none. Its counts since the last {@link #read} go with
     * it: read and fold first.
     */
    public boolean remove(FastPathKey k) {
        k.write(key);
        return bpf.delete(fd, key);
    }

    /**
     * Reads the counters of {@code k} into {@link #packets()}, {@link #bytes()} and {@link #lastSeenNanos()};
     * false (and the three zero) when the map has no such entry.
     */
    public boolean read(FastPathKey k) {
        k.write(key);
        if (!bpf.lookup(fd, key, value)) {
            packets = 0;
            bytes = 0;
            lastSeenNanos = 0;
            return false;
        }
        packets = value.get(ValueLayout.JAVA_LONG, FastPathEntry.PACKETS);
        bytes = value.get(ValueLayout.JAVA_LONG, FastPathEntry.BYTES);
        lastSeenNanos = value.get(ValueLayout.JAVA_LONG, FastPathEntry.LAST_SEEN);
        return true;
    }

    /** Packets forwarded since install, as of the last {@link #read}. */
    public long packets() {
        return packets;
    }

    /** Bytes of those packets (IP length, as IPVS counts), as of the last {@link #read}. */
    public long bytes() {
        return bytes;
    }

    /** {@code CLOCK_MONOTONIC} nanoseconds of the last packet (0: none yet), as of the last {@link #read}. */
    public long lastSeenNanos() {
        return lastSeenNanos;
    }

    /** Installs refused because the map was full. */
    public long fullCount() {
        return fullCount;
    }

    /** Frees the map (programs that use it keep it until they are unloaded). */
    @Override
    public void close() {
        bpf.close(fd);
        bpf.close();
        arena.close();
    }
}
