package uvs.sync.transport;

import java.net.SocketAddress;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Carries sync datagrams for the ports {@code 0..N-1} of a daemon (UDP port {@code mcast_port + i}). Every
 * call is non-blocking and allocation-free in steady state. A master's sender thread sends to the group and,
 * in reliable mode, takes the backups' unicast requests ({@link #receiveReply}); a backup receives from the
 * group and, in reliable mode, answers the master that sent a datagram ({@link #source}, {@link #reply}).
 * The reply path has defaults for transports that have none.
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

    /**
     * Backup: a handle (0 or more) of the address the last datagram {@link #receive}d on {@code portIndex}
     * came from, to {@link #reply} to it later. 0 on a transport with a single peer.
     */
    default int source(int portIndex) {
        return 0;
    }

    /** Backup: the address of the peer {@code peer} (a {@link #source} handle), or null when not known. */
    default SocketAddress peerAddress(int peer) {
        return null;
    }

    /**
     * Backup: sends one unicast datagram to the peer {@code peer} (a {@link #source} handle), to its socket of
     * port {@code portIndex}.
     *
     * @return {@code length} when sent, {@link #WOULD_BLOCK} or {@link #ERROR} (also when there is no reply path)
     */
    default int reply(DirectBuffer buffer, int offset, int length, int portIndex, int peer) {
        return ERROR;
    }

    /**
     * Master: takes the next datagram a backup sent to the master's socket of port {@code portIndex}, truncated
     * to {@code buffer}'s capacity.
     *
     * @return the number of bytes stored, or {@link #NONE}
     */
    default int receiveReply(MutableDirectBuffer buffer, int portIndex) {
        return NONE;
    }

    /** Releases the sockets (or queues); later calls send nothing and receive nothing. */
    @Override
    void close();
}
