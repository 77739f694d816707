package uvs.sync.transport;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Carries sync datagrams for the ports {@code 0..N-1} of a daemon (UDP port {@code mcast_port + i}). Both
 * calls are non-blocking and allocation-free in steady state. A master's sender thread only sends; a
 * backup's receiving thread only receives.
 */
public interface SyncTransport extends AutoCloseable {
    /** {@link #send} result: the datagram could not be taken now (socket buffer full); retry the same one later. */
    int WOULD_BLOCK = 0;
    /** {@link #send} result: the datagram was refused with an error and is lost. */
    int ERROR = -1;
    /** {@link #receive} result: no datagram waiting. */
    int NONE = -1;

    /**
     * Sends one datagram on port {@code portIndex}.
     *
     * @return {@code length} when sent, {@link #WOULD_BLOCK} or {@link #ERROR}
     */
    int send(DirectBuffer buffer, int offset, int length, int portIndex);

    /**
     * Takes the next datagram received on port {@code portIndex} into {@code buffer} from index 0. A datagram
     * longer than the buffer's capacity is truncated to it (as recvmsg does).
     *
     * @return the number of bytes stored, or {@link #NONE}
     */
    int receive(MutableDirectBuffer buffer, int portIndex);

    /** Releases the sockets (or queues); later calls send nothing and receive nothing. */
    @Override
    void close();
}
