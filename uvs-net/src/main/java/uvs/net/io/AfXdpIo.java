package uvs.net.io;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import uvs.net.bpf.XdpSteering;
import uvs.net.sys.Errno;
import uvs.net.sys.IfXdp;
import uvs.net.sys.Libc;
import uvs.net.sys.NativeException;

/**
 * A {@link PacketIo} over AF_XDP sockets, one per receive queue of one interface, fed by the interface's
 * {@link XdpSteering} program with only the frames UVS must see. A received frame lies in its socket's UMEM,
 * which RX and TX share: the worker rewrites it in place and {@link #transmit} queues it for sending from where
 * it is, without a copy in UVS; a frame from elsewhere (one UVS built, or one received on another interface) is
 * copied into a free UMEM frame. ARP replies and neighbour advertisements, which the kernel needs as well, stay
 * with the kernel; an optional small AF_PACKET socket (the "neighbour port") reads copies of them. Owned by one
 * worker thread; open it on a thread inside the interface's network namespace. Nothing allocates per frame.
 */
public final class AfXdpIo implements PacketIo {
    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    private static final ValueLayout.OfShort BE16 = JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt BE32 = JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    /** Kernel headroom before a received frame in its UMEM frame (XDP_PACKET_HEADROOM). */
    private static final int XDP_PACKET_HEADROOM = 256;
    /** Kicks of the TX ring per flush: the kernel's copy mode sends at most 32 frames per kick. */
    private static final int MAX_KICKS = 64;

    private final String ifname;
    private final long mac;
    private final Arena arena;
    private final Libc libc;
    private final XskSocket[] sockets;
    private final AfPacketIo neighbourPort;
    private final int txBatch;
    private final int reserve;
    private final MemorySegment pollFds;
    /** Each socket's own pollfd, to wake one receiver. */
    private final MemorySegment[] pollFd;
    private final MemorySegment statsBuffer;
    private final MemorySegment statsLength;
    private final long[] kernelRxDrops;
    private final long[] kernelTxInvalid;
    private final PacketIoStats stats = new PacketIoStats();
    private long copies;
    private int txQueued;
    private int nextSocket;
    private boolean closed;

    /**
     * UMEM and ring sizes.
     *
     * @param frameSize bytes per UMEM frame: 2048 or 4096 (a frame holds the kernel's 256-byte headroom and one
     *     Ethernet frame)
     * @param frameCount UMEM frames per socket (a power of two, at least twice the ring size: the fill ring's
     *     share plus frames being sent and copies)
     * @param ringSize entries of each ring (power of two)
     * @param txBatchSize frames queued per {@link #flush()}
     * @param zeroCopy bind zero-copy when the driver supports it (else, and when false, copy mode)
     */
    public record Options(int frameSize, int frameCount, int ringSize, int txBatchSize, boolean zeroCopy) {
        /** 4 KiB frames, 4096 per socket (16 MiB), rings of 2048, batches of 64, zero-copy where supported. */
        public static final Options DEFAULT = new Options(4096, 4096, 2048, 64, true);

        /** Checks what the kernel would refuse with a bare EINVAL. */
        public Options {
            if (frameSize != 2048 && frameSize != 4096) {
                throw new IllegalArgumentException("AF_XDP frame size " + frameSize + " must be 2048 or 4096");
            }
            if (Integer.bitCount(ringSize) != 1 || ringSize < 64) {
                throw new IllegalArgumentException("AF_XDP ring size " + ringSize + " must be a power of two >= 64");
            }
            if (Integer.bitCount(frameCount) != 1 || frameCount < 2 * ringSize) {
                throw new IllegalArgumentException("AF_XDP frame count " + frameCount
                    + " must be a power of two of at least twice the ring size");
            }
            if (txBatchSize < 1 || txBatchSize > ringSize) {
                throw new IllegalArgumentException("AF_XDP TX batch " + txBatchSize + " must be 1..ring size");
            }
        }

        /** The largest frame a UMEM frame holds. */
        public int maxFrameLength() {
            return frameSize - XDP_PACKET_HEADROOM;
        }
    }

    private AfXdpIo(String ifname, long mac, Arena arena, Libc libc, XskSocket[] sockets, AfPacketIo neighbourPort,
                    Options opts) {
        this.ifname = ifname;
        this.mac = mac;
        this.arena = arena;
        this.libc = libc;
        this.sockets = sockets;
        this.neighbourPort = neighbourPort;
        this.txBatch = opts.txBatchSize();
        this.reserve = opts.frameCount() - opts.ringSize();
        int polls = sockets.length + (neighbourPort == null ? 0 : 1);
        pollFds = arena.allocate(8L * polls, 8);
        for (int i = 0; i < sockets.length; i++) {
            pollFds.set(JAVA_INT, 8L * i, sockets[i].fd);
            pollFds.set(JAVA_SHORT, 8L * i + 4, Libc.POLLIN);
        }
        if (neighbourPort != null) {
            pollFds.set(JAVA_INT, 8L * sockets.length, neighbourPort.fd());
            pollFds.set(JAVA_SHORT, 8L * sockets.length + 4, Libc.POLLIN);
        }
        pollFd = new MemorySegment[sockets.length];
        for (int i = 0; i < sockets.length; i++) {
            pollFd[i] = pollFds.asSlice(8L * i, 8);
        }
        statsBuffer = arena.allocate(IfXdp.STATISTICS_SIZE, 8);
        statsLength = arena.allocate(JAVA_INT);
        kernelRxDrops = new long[sockets.length];
        kernelTxInvalid = new long[sockets.length];
    }

    /**
     * Opens one socket on each of receive queues {@code queues} of {@code ifname} in the calling thread's network
     * namespace and enters each in {@code port}'s socket map (attach the port's program before or after).
     *
     * @param mac the interface's MAC (tells frames to this host from broadcast, multicast and others')
     * @param neighbourPort a socket for the ARP/ND frames the kernel keeps (null: none; one worker needs it)
     * @throws NativeException naming the failed call, the interface and queue, and the errno
     */
    public static AfXdpIo open(String ifname, long mac, int[] queues, XdpSteering.Port port, Options opts,
                               boolean neighbourPort) {
        Arena arena = Arena.ofShared();
        Libc libc = new Libc(arena);
        if (queues.length == 0) {
            throw new IllegalArgumentException("an AF_XDP port on " + ifname + " needs at least one queue");
        }
        XskSocket[] sockets = new XskSocket[queues.length];
        AfPacketIo neighbours = null;
        try {
            int ifindex = libc.ifNameToIndex(arena.allocateFrom(ifname));
            if (ifindex == 0) {
                throw new IllegalArgumentException("no network interface " + ifname + " ("
                    + Errno.name(libc.errno()) + ")");
            }
            for (int i = 0; i < queues.length; i++) {
                sockets[i] = XskSocket.open(arena, libc, ifname, ifindex, queues[i], opts);
                port.bindQueue(queues[i], sockets[i].fd);
            }
            if (neighbourPort) {
                neighbours = AfPacketIo.open(ifname, AfPacketIo.Options.DEFAULT.withRing(1 << 16, 4, 2));
                neighbours.attachFilter(NeighbourFilter.PROGRAM);
            }
            return new AfXdpIo(ifname, mac, arena, libc, sockets, neighbours, opts);
        } catch (RuntimeException e) {
            for (XskSocket s : sockets) {
                if (s != null) {
                    s.close();
                }
            }
            if (neighbours != null) {
                neighbours.close();
            }
            arena.close();
            throw e;
        }
    }

    /** "zero-copy" when every socket is bound zero-copy, else "copy". */
    public String bindMode() {
        for (XskSocket s : sockets) {
            if (!s.zeroCopy) {
                return "copy";
            }
        }
        return "zero-copy";
    }

    /** Frames copied into the UMEM to be sent (built by UVS or received elsewhere). */
    public long copies() {
        return copies;
    }

    /** Sockets (receive queues) of this port. */
    public int queues() {
        return sockets.length;
    }

    @Override
    public int receive(RxFrames frames) {
        int n = 0;
        int capacity = frames.capacity();
        for (int k = 0; k < sockets.length && n < capacity; k++) {
            XskSocket s = sockets[nextSocket];
            nextSocket = nextSocket + 1 == sockets.length ? 0 : nextSocket + 1;
            XskRing rx = s.rx;
            int take = Math.min(rx.available(), capacity - n);
            for (int i = 0; i < take; i++) {
                long d = rx.entry(rx.local++, IfXdp.DESC_SIZE);
                long offset = rx.map.get(JAVA_LONG, d);
                int length = rx.map.get(JAVA_INT, d + 8);
                s.hold(offset);
                frames.address[n] = s.base + offset;
                frames.length[n] = length;
                frames.packetType[n] = packetType(s.umem, offset);
                frames.checksumPartial[n] = false;
                stats.rxFrames++;
                stats.rxBytes += length;
                n++;
            }
            if (take > 0) {
                rx.release();
            }
        }
        if (neighbourPort != null && n < capacity) {
            int from = n;
            n += neighbourPort.receiveInto(frames, n);
            for (int i = from; i < n; i++) {
                stats.rxFrames++;
                stats.rxBytes += frames.length[i];
            }
        }
        frames.count = n;
        return n;
    }

    /** Host, broadcast, multicast or other host, from the destination MAC (AF_XDP gives no packet type). */
    private byte packetType(MemorySegment umem, long offset) {
        long dst = (Short.toUnsignedLong(umem.get(BE16, offset)) << 32)
            | Integer.toUnsignedLong(umem.get(BE32, offset + 2));
        if (dst == mac) {
            return RxFrames.HOST;
        }
        if (dst == 0xffff_ffff_ffffL) {
            return RxFrames.BROADCAST;
        }
        return (dst & 0x0100_0000_0000L) != 0 ? RxFrames.MULTICAST : RxFrames.OTHERHOST;
    }

    @Override
    public void releaseReceived() {
        for (int i = 0; i < sockets.length; i++) {
            XskSocket s = sockets[i];
            s.releaseHeld(reserve);
            if (s.fill.needsWakeup()) {
                wakeReceiver(i);
            }
        }
        if (neighbourPort != null) {
            neighbourPort.releaseReceived();
        }
    }

    private void wakeReceiver(int socket) {
        // poll(2) on the socket is the wake-up the kernel asks for when the fill ring ran dry
        MemorySegment p = pollFd[socket];
        p.set(JAVA_SHORT, 6, (short) 0);
        libc.poll(p, 1, 0);
    }

    @Override
    public boolean transmit(long address, int length) {
        if (txQueued == txBatch) {
            return false;
        }
        XskSocket s = null;
        long offset;
        boolean copied = false;
        for (XskSocket candidate : sockets) {
            if (candidate.owns(address)) {
                s = candidate;
                break;
            }
        }
        if (s != null && s.state[(int) ((address - s.base) >>> s.frameShift)] == XskSocket.HELD) {
            offset = address - s.base;
        } else {
            // not one of this port's received frames (or already queued once): copy it into a free frame
            s = sockets[0];
            int maxLength = (1 << s.frameShift) - XDP_PACKET_HEADROOM;
            if (length > maxLength) {
                stats.txDropped++;
                return true;
            }
            int f = s.takeFree();
            if (f < 0) {
                stats.txDropped++;
                return true;
            }
            offset = ((long) f << s.frameShift) + XDP_PACKET_HEADROOM;
            MemorySegment.copy(ALL, address, s.umem, offset, length);
            copied = true;
            copies++;
        }
        XskRing tx = s.tx;
        if (tx.free() == 0) {
            flush();
            if (tx.free() == 0) {
                stats.txDropped++;
                if (copied) {
                    s.releaseCopy(offset);
                }
                return true;
            }
        }
        s.sending(offset);
        long d = tx.entry(tx.local++, IfXdp.DESC_SIZE);
        tx.map.set(JAVA_LONG, d, offset);
        tx.map.set(JAVA_INT, d + 8, length);
        tx.map.set(JAVA_INT, d + 12, 0);
        s.txQueued++;
        txQueued++;
        stats.txBytes += length;
        return true;
    }

    @Override
    public int flush() {
        int sent = 0;
        for (XskSocket s : sockets) {
            if (s.txQueued > 0) {
                s.tx.publish();
                sent += s.txQueued;
                s.txQueued = 0;
                kick(s);
            } else if (s.tx.outstanding() > 0) {
                kick(s); // what an earlier kick left behind
            }
            if (s.reapCompletions() > 0) {
                // frames sent from where they were received go back to the fill ring here: with none left
                // there, nothing would arrive to release
                s.refill(reserve);
            }
        }
        stats.txFrames += sent;
        txQueued = 0;
        return sent;
    }

    /** Asks the kernel to send the TX ring, as often as it needs (copy mode sends 32 frames per call). */
    private void kick(XskSocket s) {
        if (s.zeroCopy && !s.tx.needsWakeup()) {
            return;
        }
        for (int i = 0; i < MAX_KICKS && s.tx.outstanding() > 0; i++) {
            if (libc.kick(s.fd, Libc.MSG_DONTWAIT) >= 0) {
                continue;
            }
            int errno = libc.errno();
            if (errno != Errno.EAGAIN && errno != Errno.EINTR && errno != Errno.EBUSY) {
                break; // ENETDOWN, ENXIO...: the frames stay queued for the next flush
            }
            if (errno == Errno.EBUSY) {
                s.reapCompletions();
            }
        }
    }

    @Override
    public boolean await(int timeoutMillis) {
        for (XskSocket s : sockets) {
            if (s.rx.available() > 0) {
                return true;
            }
        }
        int count = sockets.length + (neighbourPort == null ? 0 : 1);
        for (int i = 0; i < count; i++) {
            pollFds.set(JAVA_SHORT, 8L * i + 6, (short) 0);
        }
        return libc.poll(pollFds, count, timeoutMillis) > 0;
    }

    /**
     * Adds the kernel's drops since the last call (XDP_STATISTICS: frames dropped for want of RX ring room or of
     * fill ring frames, each counted once) to {@link PacketIoStats#rxDropped}, and invalid TX descriptors to
     * txDropped.
     */
    @Override
    public void refreshStats() {
        for (int i = 0; i < sockets.length; i++) {
            statsLength.set(JAVA_INT, 0, IfXdp.STATISTICS_SIZE);
            libc.check(libc.getsockopt(sockets[i].fd, IfXdp.SOL_XDP, IfXdp.XDP_STATISTICS, statsBuffer, statsLength),
                "getsockopt(XDP_STATISTICS) on " + ifname);
            // rx_dropped (no fill ring frame, among others) + rx_ring_full; rx_fill_ring_empty_descs counts the
            // same empty-fill-ring drops again, so it is left out
            long drops = statsBuffer.get(JAVA_LONG, 0) + statsBuffer.get(JAVA_LONG, 24);
            long invalid = statsBuffer.get(JAVA_LONG, 16);
            stats.rxDropped += drops - kernelRxDrops[i];
            stats.txDropped += invalid - kernelTxInvalid[i];
            kernelRxDrops[i] = drops;
            kernelTxInvalid[i] = invalid;
        }
        if (neighbourPort != null) {
            neighbourPort.refreshStats();
        }
    }

    @Override
    public PacketIoStats stats() {
        return stats;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (XskSocket s : sockets) {
            s.close();
        }
        if (neighbourPort != null) {
            neighbourPort.close();
        }
        arena.close();
    }
}
