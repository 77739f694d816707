package uvs.net.io;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import org.agrona.concurrent.UnsafeBuffer;
import uvs.net.sys.Layouts;
import uvs.net.sys.Libc;

/**
 * One interface's packet port made of AF_PACKET sockets bound to IPv4, IPv6 and ARP rather than of one bound to
 * every frame. A socket bound to one protocol gets a frame after traffic control's ingress ran, so the frames
 * UVS's fast path at tcx forwarded never reach UVS; a socket bound to every frame is a tap, which sees each
 * frame before tcx does. A frame is sent from the socket of its EtherType, so the kernel tags it right.
 */
public final class ProtocolPorts implements PacketIo {
    /** IPv4, IPv6, ARP: what a director must see. */
    static final int[] PROTOCOLS = {0x0800, 0x86dd, 0x0806};
    /** Fanout group ids must differ per protocol (the kernel matches a group by id, device and protocol). */
    private static final int GROUP_STRIDE = 0x4000;

    private final AfPacketIo[] sockets;
    private final Arena arena = Arena.ofShared();
    private final Libc libc = new Libc(arena);
    private final MemorySegment pollFds;
    private final UnsafeBuffer header = new UnsafeBuffer(0, 0);
    private final PacketIoStats stats = new PacketIoStats();

    private ProtocolPorts(AfPacketIo[] sockets) {
        this.sockets = sockets;
        pollFds = arena.allocate(Layouts.POLLFD.byteSize() * sockets.length, 8);
        for (int i = 0; i < sockets.length; i++) {
            long at = i * Layouts.POLLFD.byteSize();
            pollFds.set(JAVA_INT, at, sockets[i].fd());
            pollFds.set(JAVA_SHORT, at + 4, Libc.POLLIN);
        }
    }

    /** Opens the three sockets on {@code ifname} with {@code opts} (a fanout group becomes one per protocol). */
    public static ProtocolPorts open(String ifname, AfPacketIo.Options opts) {
        AfPacketIo[] sockets = new AfPacketIo[PROTOCOLS.length];
        try {
            for (int i = 0; i < PROTOCOLS.length; i++) {
                AfPacketIo.Options o = opts.withProtocol(PROTOCOLS[i]);
                AfPacketIo.Fanout f = opts.fanout();
                if (f != null) {
                    o = o.withFanout(new AfPacketIo.Fanout((f.groupId() + GROUP_STRIDE * i) & 0xffff, f.mode(),
                        f.program()));
                }
                sockets[i] = AfPacketIo.open(ifname, o);
            }
            return new ProtocolPorts(sockets);
        } catch (RuntimeException e) {
            for (AfPacketIo s : sockets) {
                if (s != null) {
                    s.close();
                }
            }
            throw e;
        }
    }

    @Override
    public int receive(RxFrames frames) {
        int n = 0;
        for (AfPacketIo s : sockets) {
            n += s.receiveInto(frames, n);
        }
        return n;
    }

    @Override
    public void releaseReceived() {
        for (AfPacketIo s : sockets) {
            s.releaseReceived();
        }
    }

    @Override
    public boolean transmit(long address, int length) {
        header.wrap(address, Math.min(length, 14));
        int type = length >= 14 ? header.getShort(12, ByteOrder.BIG_ENDIAN) & 0xffff : 0;
        AfPacketIo s = type == 0x86dd ? sockets[1] : type == 0x0806 ? sockets[2] : sockets[0];
        return s.transmit(address, length);
    }

    @Override
    public int flush() {
        int sent = 0;
        for (AfPacketIo s : sockets) {
            sent += s.flush();
        }
        return sent;
    }

    @Override
    public boolean await(int timeoutMillis) {
        for (AfPacketIo s : sockets) {
            if (s.ready()) {
                return true;
            }
        }
        for (int i = 0; i < sockets.length; i++) {
            pollFds.set(JAVA_SHORT, i * Layouts.POLLFD.byteSize() + Layouts.POLLFD_REVENTS, (short) 0);
        }
        return libc.poll(pollFds, sockets.length, timeoutMillis) > 0;
    }

    @Override
    public void refreshStats() {
        for (AfPacketIo s : sockets) {
            s.refreshStats();
        }
    }

    @Override
    public PacketIoStats stats() {
        stats.clear();
        for (AfPacketIo s : sockets) {
            stats.add(s.stats());
        }
        return stats;
    }

    @Override
    public void close() {
        for (AfPacketIo s : sockets) {
            s.close();
        }
        arena.close();
    }
}
