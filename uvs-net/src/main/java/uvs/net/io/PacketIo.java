package uvs.net.io;

/**
 * One worker's packet port: frames in, frames out, batched. The AF_PACKET implementation reads a
 * TPACKET_V3 ring and sends with {@code sendmmsg}; the in-memory one feeds and captures frames for tests
 * and the simulator. Single-threaded: only the owning worker calls it. Nothing here allocates per frame.
 */
public interface PacketIo extends AutoCloseable {
    /**
     * Fills {@code frames} with up to its capacity of received Ethernet frames without blocking and returns
     * how many. The frames' memory stays valid (and writable, for in-place rewriting) until
     * {@link #releaseReceived()}.
     */
    int receive(RxFrames frames);

    /** Hands the memory of every frame returned by {@link #receive} back to the receiver. */
    void releaseReceived();

    /**
     * Queues one Ethernet frame at native {@code address} for sending. The memory must stay valid until
     * {@link #flush()}. Returns false when the send batch is full (flush, then queue again).
     */
    boolean transmit(long address, int length);

    /** Sends every queued frame; returns how many the kernel took (the rest are counted as dropped). */
    int flush();

    /** Blocks until a frame can be received or {@code timeoutMillis} passes; true when readable. */
    boolean await(int timeoutMillis);

    /** Brings counters kept by the kernel (ring drops) into {@link #stats()}; about once a second, never per packet. */
    default void refreshStats() {
    }

    /** Counters of this port. */
    PacketIoStats stats();

    /** Releases the socket, rings and buffers. */
    @Override
    void close();
}
