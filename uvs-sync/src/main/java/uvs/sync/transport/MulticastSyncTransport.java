package uvs.sync.transport;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Enumeration;
import jdk.net.ExtendedSocketOptions;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import uvs.core.net.Af;
import uvs.sync.SyncDaemonConfig;

/**
 * UDP multicast sockets of a sync daemon, one non-blocking {@link DatagramChannel} per port, set up as the
 * kernel sets up its sync sockets (spec §1.1):
 * <ul>
 *   <li>master: multicast interface = the configured one, multicast TTL, no multicast loop (a host running
 *       master and backup does not receive its own messages), DF not set, for IPv4 bound to the interface's
 *       first IPv4 address with an ephemeral port, connected to {@code group:port+i}, SO_SNDBUF =
 *       sync_sock_size when that is above 0;</li>
 *   <li>backup: SO_REUSEADDR, bound to {@code group:port+i}, group joined on the interface, SO_RCVBUF =
 *       sync_sock_size when above 0. Java has no SO_BINDTODEVICE; the join on the interface selects it.</li>
 * </ul>
 * A master instance sends and a backup instance receives. Datagrams are copied through direct buffers
 * and nothing is allocated per datagram (the JDK caches the sender's address of a received datagram while
 * it does not change).
 *
 * <p><b>Reliable mode</b> (UVS extension) adds the reply path. The master's sockets are then not connected
 * (a connected socket would only take datagrams from the group address) and send to the group with an
 * explicit destination; {@link #receiveReply} reads what backups sent to them. The backup opens one more
 * socket, unbound to the group (a socket bound to a group address cannot be the source of unicast), from
 * which {@link #reply} sends to a master's socket; {@link #source} gives a handle of the address each
 * received datagram came from (up to {@value #MAX_PEERS} addresses are remembered, the oldest is reused).
 * The backup may receive on one thread (e.g. a {@link ReceiveRingTransport}) and reply on another.
 */
public final class MulticastSyncTransport implements SyncTransport {
    /** Master addresses a backup remembers for replies. */
    public static final int MAX_PEERS = 16;
    private static final int MAX_DATAGRAM = 65535;

    private final DatagramChannel[] channels;
    private final boolean master;
    /** Master in reliable mode: the group address of each port (the sockets are not connected); else null. */
    private final InetSocketAddress[] targets;
    /** Backup in reliable mode: the socket replies leave from; else null. */
    private final DatagramChannel replyChannel;
    private final ByteBuffer rxIo = ByteBuffer.allocateDirect(MAX_DATAGRAM);
    private final ByteBuffer txIo = ByteBuffer.allocateDirect(MAX_DATAGRAM);
    private final InetSocketAddress[] peers = new InetSocketAddress[MAX_PEERS];
    private final int[] lastPeer;
    private int peerCount;
    private int nextVictim;
    private SocketAddress rxFrom;
    private long sendErrors;
    private long receiveErrors;
    private IOException lastError;

    private MulticastSyncTransport(DatagramChannel[] channels, boolean master, InetSocketAddress[] targets,
                                   DatagramChannel replyChannel) {
        this.channels = channels;
        this.master = master;
        this.targets = targets;
        this.replyChannel = replyChannel;
        this.lastPeer = new int[channels.length];
    }

    /**
     * Opens the master's sockets (not connected in reliable mode, so that they take the backups' replies).
     *
     * @param ports    number of ports, 1..64
     * @param sockSize sync_sock_size: SO_SNDBUF when above 0
     * @throws IllegalArgumentException when the interface does not exist (the kernel's ENODEV) or an argument is
     *                                  out of range
     * @throws IOException              when a socket cannot be set up
     */
    public static MulticastSyncTransport master(SyncDaemonConfig config, int ports, int sockSize) throws IOException {
        NetworkInterface nif = checkArgs(config, ports);
        InetAddress group = group(config);
        DatagramChannel[] channels = new DatagramChannel[ports];
        InetSocketAddress[] targets = config.reliable() ? new InetSocketAddress[ports] : null;
        try {
            for (int i = 0; i < ports; i++) {
                DatagramChannel ch = DatagramChannel.open(family(config));
                channels[i] = ch;
                ch.setOption(StandardSocketOptions.IP_MULTICAST_IF, nif);
                ch.setOption(StandardSocketOptions.IP_MULTICAST_TTL, config.ttl());
                ch.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, false);
                if (ch.supportedOptions().contains(ExtendedSocketOptions.IP_DONTFRAGMENT)) {
                    // IP_PMTUDISC_DONT: large messages may be fragmented
                    ch.setOption(ExtendedSocketOptions.IP_DONTFRAGMENT, false);
                }
                if (sockSize > 0) {
                    ch.setOption(StandardSocketOptions.SO_SNDBUF, sockSize);
                }
                ch.bind(new InetSocketAddress(config.af() == Af.INET ? firstV4(nif) : null, 0));
                InetSocketAddress to = new InetSocketAddress(group, config.port() + i);
                if (targets != null) {
                    targets[i] = to;
                } else {
                    ch.connect(to);
                }
                ch.configureBlocking(false);
            }
        } catch (IOException | RuntimeException e) {
            closeAll(channels);
            throw e;
        }
        return new MulticastSyncTransport(channels, true, targets, null);
    }

    /**
     * Opens the backup's sockets, and in reliable mode the socket its replies leave from.
     *
     * @param ports    number of ports, 1..64
     * @param sockSize sync_sock_size: SO_RCVBUF when above 0
     * @throws IllegalArgumentException when the interface does not exist or an argument is out of range
     * @throws IOException              when a socket cannot be set up
     */
    public static MulticastSyncTransport backup(SyncDaemonConfig config, int ports, int sockSize) throws IOException {
        NetworkInterface nif = checkArgs(config, ports);
        InetAddress group = group(config);
        DatagramChannel[] channels = new DatagramChannel[ports];
        try {
            for (int i = 0; i < ports; i++) {
                DatagramChannel ch = DatagramChannel.open(family(config));
                channels[i] = ch;
                ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                if (sockSize > 0) {
                    ch.setOption(StandardSocketOptions.SO_RCVBUF, sockSize);
                }
                ch.bind(new InetSocketAddress(group, config.port() + i));
                ch.join(group, nif);
                ch.configureBlocking(false);
            }
        } catch (IOException | RuntimeException e) {
            closeAll(channels);
            throw e;
        }
        DatagramChannel reply = null;
        if (config.reliable()) {
            try {
                reply = DatagramChannel.open(family(config));
                reply.bind(new InetSocketAddress(config.af() == Af.INET ? firstV4(nif) : null, 0));
                reply.configureBlocking(false);
            } catch (IOException | RuntimeException e) {
                closeAll(channels);
                closeAll(new DatagramChannel[] {reply});
                throw e;
            }
        }
        return new MulticastSyncTransport(channels, false, null, reply);
    }

    /**
     * The MTU of an interface (for the backup's default sync_maxlen).
     *
     * @throws IllegalArgumentException when it does not exist
     * @throws SocketException          when it cannot be read
     */
    public static int mtu(String ifname) throws SocketException {
        NetworkInterface nif = NetworkInterface.getByName(ifname);
        if (nif == null) {
            throw new IllegalArgumentException("mcast interface " + ifname + " does not exist");
        }
        return nif.getMTU();
    }

    /** Master only: sends one datagram on port {@code portIndex}. */
    @Override
    public int send(DirectBuffer buffer, int offset, int length, int portIndex) {
        if (!master || length > MAX_DATAGRAM) {
            return ERROR;
        }
        buffer.getBytes(offset, txIo, 0, length);
        txIo.limit(length).position(0);
        try {
            DatagramChannel ch = channels[portIndex];
            int n = targets == null ? ch.write(txIo) : ch.send(txIo, targets[portIndex]);
            return n == 0 ? WOULD_BLOCK : length;
        } catch (IOException e) {
            // logged by the caller from the counters; the message is lost as in the kernel
            sendErrors++;
            lastError = e;
            return ERROR;
        }
    }

    /** Backup only: the next datagram of port {@code portIndex}, truncated to {@code buffer}'s capacity. */
    @Override
    public int receive(MutableDirectBuffer buffer, int portIndex) {
        if (master) {
            return NONE;
        }
        int n = take(channels[portIndex], buffer);
        if (n != NONE) {
            // every sender is told apart, also without a reply path: a plain one is named (docs/sync.md)
            lastPeer[portIndex] = peerIndex(rxFrom);
        }
        return n;
    }

    /** Backup: the handle of the address the last datagram of the port came from. */
    @Override
    public int source(int portIndex) {
        return lastPeer[portIndex];
    }

    /** Backup: the address behind handle {@code peer}, or null. */
    @Override
    public SocketAddress peerAddress(int peer) {
        return peer >= 0 && peer < MAX_PEERS ? peers[peer] : null;
    }

    /** Backup in reliable mode: sends one datagram from the reply socket to peer {@code peer}. */
    @Override
    public int reply(DirectBuffer buffer, int offset, int length, int portIndex, int peer) {
        InetSocketAddress to = peer >= 0 && peer < MAX_PEERS ? peers[peer] : null;
        if (master || replyChannel == null || to == null || length > MAX_DATAGRAM) {
            return ERROR;
        }
        buffer.getBytes(offset, txIo, 0, length);
        txIo.limit(length).position(0);
        try {
            return replyChannel.send(txIo, to) == 0 ? WOULD_BLOCK : length;
        } catch (IOException e) {
            sendErrors++;
            lastError = e;
            return ERROR;
        }
    }

    /** Master in reliable mode: the next datagram a backup sent to the socket of port {@code portIndex}. */
    @Override
    public int receiveReply(MutableDirectBuffer buffer, int portIndex) {
        if (!master || targets == null) {
            return NONE;
        }
        return take(channels[portIndex], buffer);
    }

    /** Closes every socket. */
    @Override
    public void close() {
        closeAll(channels);
        closeAll(new DatagramChannel[] {replyChannel});
    }

    /** Receives one datagram of {@code ch} into {@code buffer}; its source goes to {@link #rxFrom}. */
    private int take(DatagramChannel ch, MutableDirectBuffer buffer) {
        rxIo.clear().limit(Math.min(buffer.capacity(), MAX_DATAGRAM));
        try {
            rxFrom = ch.receive(rxIo);
            if (rxFrom == null) {
                return NONE;
            }
        } catch (IOException e) {
            receiveErrors++;
            lastError = e;
            return NONE;
        }
        int n = rxIo.position();
        buffer.putBytes(0, rxIo, 0, n);
        return n;
    }

    /** The handle of {@code from}, remembering it when new (the oldest handle is reused when all are taken). */
    private int peerIndex(SocketAddress from) {
        for (int i = 0; i < peerCount; i++) {
            if (peers[i] == from || peers[i].equals(from)) {
                return i;
            }
        }
        int i;
        if (peerCount < MAX_PEERS) {
            i = peerCount++;
        } else {
            i = nextVictim;
            nextVictim = (nextVictim + 1) % MAX_PEERS;
        }
        peers[i] = (InetSocketAddress) from;
        return i;
    }

    /** Sends that failed with an error. */
    public long sendErrors() {
        return sendErrors;
    }

    /** Receives that failed with an error. */
    public long receiveErrors() {
        return receiveErrors;
    }

    /** The last I/O error, or null (for the control plane's log). */
    public IOException lastError() {
        return lastError;
    }

    private static NetworkInterface checkArgs(SyncDaemonConfig config, int ports) throws SocketException {
        if (ports < 1 || ports > 64) {
            throw new IllegalArgumentException("ports " + ports + " outside 1..64");
        }
        if (config.port() + ports - 1 > MAX_DATAGRAM) {
            throw new IllegalArgumentException("ports " + config.port() + ".." + (config.port() + ports - 1)
                + " go beyond 65535");
        }
        NetworkInterface nif = NetworkInterface.getByName(config.mcastInterface());
        if (nif == null) {
            throw new IllegalArgumentException("mcast interface " + config.mcastInterface() + " does not exist");
        }
        return nif;
    }

    private static ProtocolFamily family(SyncDaemonConfig config) {
        return config.af() == Af.INET ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6;
    }

    private static InetAddress group(SyncDaemonConfig config) throws IOException {
        return InetAddress.getByAddress(config.group().toBytes());
    }

    private static InetAddress firstV4(NetworkInterface nif) {
        Enumeration<InetAddress> addrs = nif.getInetAddresses();
        while (addrs.hasMoreElements()) {
            InetAddress a = addrs.nextElement();
            if (a instanceof Inet4Address) {
                return a;
            }
        }
        return null;
    }

    private static void closeAll(DatagramChannel[] channels) {
        for (DatagramChannel ch : channels) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // closing: nothing left to do with this socket
                }
            }
        }
    }
}
