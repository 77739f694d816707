package uvs.net.io;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link PacketIo} for tests and the simulator: {@link #inject} queues frames (copied into native memory),
 * {@link #receive} hands them out in order, and {@link #flush()} copies transmitted frames into a list that
 * {@link #takeSent()} returns. Frame memory lives until {@link #close()}, so rewritten frames stay readable.
 */
public final class InMemoryPacketIo implements PacketIo {
    private final Arena arena = Arena.ofShared();
    private final ArrayDeque<MemorySegment> pending = new ArrayDeque<>();
    private final ArrayDeque<Byte> pendingType = new ArrayDeque<>();
    private final ArrayDeque<Boolean> pendingPartial = new ArrayDeque<>();
    private final List<byte[]> sent = new ArrayList<>();
    private final long[] txAddress;
    private final int[] txLength;
    private final PacketIoStats stats = new PacketIoStats();
    private int txCount;

    /** A port whose send batch holds up to 64 frames. */
    public InMemoryPacketIo() {
        this(64);
    }

    /** A port whose send batch holds up to {@code txBatchSize} frames. */
    public InMemoryPacketIo(int txBatchSize) {
        if (txBatchSize < 1) {
            throw new IllegalArgumentException("TX batch size " + txBatchSize + " must be at least 1");
        }
        txAddress = new long[txBatchSize];
        txLength = new int[txBatchSize];
    }

    /** Queues a copy of {@code frame} as received, addressed to this host ({@link RxFrames#HOST}). */
    public void inject(byte[] frame) {
        inject(frame, RxFrames.HOST);
    }

    /** Queues a copy of {@code frame} as received with {@code packetType} (an {@link RxFrames} constant). */
    public void inject(byte[] frame, byte packetType) {
        inject(frame, packetType, false);
    }

    /**
     * Queues a copy of {@code frame} as received; {@code checksumPartial} marks it as a local sender's frame
     * whose transport checksum was left to offload.
     */
    public void inject(byte[] frame, byte packetType, boolean checksumPartial) {
        MemorySegment copy = arena.allocate(Math.max(1, frame.length));
        MemorySegment.copy(frame, 0, copy, JAVA_BYTE, 0, frame.length);
        pending.add(copy.asSlice(0, frame.length));
        pendingType.add(packetType);
        pendingPartial.add(checksumPartial);
    }

    /** The frames flushed since the last call, oldest first, as copies taken at flush time. */
    public List<byte[]> takeSent() {
        List<byte[]> result = new ArrayList<>(sent);
        sent.clear();
        return result;
    }

    /** Copies {@code length} bytes of native memory at {@code address} (e.g. a received frame) into an array. */
    public static byte[] read(long address, int length) {
        return MemorySegment.ofAddress(address).reinterpret(length).toArray(JAVA_BYTE);
    }

    @Override
    public int receive(RxFrames frames) {
        int n = 0;
        while (n < frames.capacity() && !pending.isEmpty()) {
            MemorySegment frame = pending.poll();
            frames.address[n] = frame.address();
            frames.length[n] = (int) frame.byteSize();
            frames.packetType[n] = pendingType.poll();
            frames.checksumPartial[n] = pendingPartial.poll();
            stats.rxFrames++;
            stats.rxBytes += frame.byteSize();
            n++;
        }
        frames.count = n;
        return n;
    }

    @Override
    public void releaseReceived() {
        // memory stays valid until close, so tests can inspect frames after release
    }

    @Override
    public boolean transmit(long address, int length) {
        if (txCount == txAddress.length) {
            return false;
        }
        txAddress[txCount] = address;
        txLength[txCount] = length;
        txCount++;
        return true;
    }

    @Override
    public int flush() {
        for (int i = 0; i < txCount; i++) {
            sent.add(read(txAddress[i], txLength[i]));
            stats.txFrames++;
            stats.txBytes += txLength[i];
        }
        int n = txCount;
        txCount = 0;
        return n;
    }

    @Override
    public boolean await(int timeoutMillis) {
        return !pending.isEmpty();
    }

    @Override
    public PacketIoStats stats() {
        return stats;
    }

    @Override
    public void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }
}
