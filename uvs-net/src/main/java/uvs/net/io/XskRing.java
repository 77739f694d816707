package uvs.net.io;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import uvs.net.sys.IfXdp;

/**
 * One memory-mapped AF_XDP ring (fill, completion, RX or TX): a power-of-two array of entries with a producer and
 * a consumer index shared with the kernel. The side UVS produces on is published with a release store after the
 * entries are written; the other side is read with an acquire load before the entries are. Free-running 32-bit
 * indexes; an entry's slot is {@code index & mask}.
 */
final class XskRing {
    private static final VarHandle INT = JAVA_INT.varHandle();

    final MemorySegment map;
    final long producer;
    final long consumer;
    final long flags;
    /** Offset of the entries in {@link #map}. */
    final long desc;
    final int size;
    final int mask;
    /** This side's next index (producer of fill/TX, consumer of RX/completion). */
    int local;
    /** Last seen index of the kernel's side. */
    int cached;

    XskRing(MemorySegment map, long producer, long consumer, long desc, long flags, int size) {
        this.map = map;
        this.producer = producer;
        this.consumer = consumer;
        this.desc = desc;
        this.flags = flags;
        this.size = size;
        this.mask = size - 1;
    }

    /** Producer side: how many entries may be written now (up to the ring size). */
    int free() {
        int free = size - (local - cached);
        if (free == 0) {
            cached = (int) INT.getAcquire(map, consumer);
            free = size - (local - cached);
        }
        return free;
    }

    /** Producer side: publishes every entry written up to {@link #local}. */
    void publish() {
        INT.setRelease(map, producer, local);
    }

    /** Consumer side: how many entries the kernel has produced and this side not yet read. */
    int available() {
        cached = (int) INT.getAcquire(map, producer);
        return cached - local;
    }

    /** Consumer side: gives the entries read up to {@link #local} back to the kernel. */
    void release() {
        INT.setRelease(map, consumer, local);
    }

    /** Producer side: entries the kernel has not consumed yet. */
    int outstanding() {
        cached = (int) INT.getAcquire(map, consumer);
        return local - cached;
    }

    /** The kernel asks to be woken (XDP_USE_NEED_WAKEUP). */
    boolean needsWakeup() {
        return ((int) INT.getAcquire(map, flags) & IfXdp.XDP_RING_NEED_WAKEUP) != 0;
    }

    /** Offset in {@link #map} of entry {@code index} of {@code entrySize} bytes. */
    long entry(int index, int entrySize) {
        return desc + (long) (index & mask) * entrySize;
    }
}
