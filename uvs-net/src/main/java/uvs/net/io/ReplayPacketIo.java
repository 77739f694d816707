package uvs.net.io;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * A port that hands out the same frames again and again, {@code burst} at a time in turn, restored from
 * pristine copies before each burst (a worker rewrites frames in place), and only counts what is sent.
 * For benchmarks and allocation tests of the packet path: nothing here allocates after construction.
 */
public final class ReplayPacketIo implements PacketIo {
    private final Arena arena = Arena.ofShared();
    private final MemorySegment pristine;
    private final MemorySegment live;
    private final int frameLength;
    private final int frames;
    private final int burst;
    private final PacketIoStats stats = new PacketIoStats();
    private int next;

    /**
     * Replays {@code frames} (all of one length, at least {@code burst} of them) {@code burst} at a time.
     *
     * @throws IllegalArgumentException when the frames differ in length or are fewer than a burst
     */
    public ReplayPacketIo(List<byte[]> frames, int burst) {
        if (burst < 1 || frames.size() < burst) {
            throw new IllegalArgumentException("need at least one burst of frames: " + frames.size() + " < " + burst);
        }
        this.frameLength = frames.get(0).length;
        this.frames = frames.size();
        this.burst = burst;
        pristine = arena.allocate((long) frameLength * this.frames);
        live = arena.allocate((long) frameLength * burst);
        for (int i = 0; i < this.frames; i++) {
            byte[] f = frames.get(i);
            if (f.length != frameLength) {
                throw new IllegalArgumentException("frame " + i + " has " + f.length + " bytes, not " + frameLength);
            }
            MemorySegment.copy(f, 0, pristine, ValueLayout.JAVA_BYTE, (long) i * frameLength, frameLength);
        }
    }

    @Override
    public int receive(RxFrames out) {
        int n = Math.min(burst, out.capacity());
        if (next + n > frames) {
            next = 0;
        }
        MemorySegment.copy(pristine, (long) next * frameLength, live, 0, (long) n * frameLength);
        for (int i = 0; i < n; i++) {
            out.address[i] = live.address() + (long) i * frameLength;
            out.length[i] = frameLength;
            out.packetType[i] = RxFrames.HOST;
            out.checksumPartial[i] = false;
        }
        next += n;
        stats.rxFrames += n;
        out.count = n;
        return n;
    }

    @Override
    public void releaseReceived() {
    }

    @Override
    public boolean transmit(long address, int length) {
        stats.txFrames++;
        stats.txBytes += length;
        return true;
    }

    @Override
    public int flush() {
        return 0;
    }

    @Override
    public boolean await(int timeoutMillis) {
        return true;
    }

    @Override
    public PacketIoStats stats() {
        return stats;
    }

    @Override
    public void close() {
        arena.close();
    }
}
