package uvs.sync.tools;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import uvs.core.net.IpAddress;

/**
 * Reads the UDP datagrams of a classic pcap capture (microsecond or nanosecond, either byte order) with
 * Ethernet (optionally one VLAN tag), Linux cooked (SLL) or raw IP link types, IPv4 or IPv6. Anything
 * else in the file is skipped and counted.
 */
public final class PcapFile {
    private static final int LINK_ETHERNET = 1;
    private static final int LINK_RAW = 101;
    private static final int LINK_LINUX_SLL = 113;
    private static final int LINK_RAW_IPV4 = 228;
    private static final int LINK_RAW_IPV6 = 229;
    private static final int UDP = 17;

    /** Receives each UDP datagram found. */
    @FunctionalInterface
    public interface UdpHandler {
        /**
         * One datagram; {@code payload} is positioned at the UDP payload, limit at its end.
         *
         * @param source the sender's address as text
         */
        void onDatagram(int frame, String source, int srcPort, int dstPort, ByteBuffer payload);
    }

    private int skipped;

    /** Frames that were not UDP over IP (or were truncated). */
    public int skipped() {
        return skipped;
    }

    /**
     * Reads {@code file} and calls {@code handler} for each UDP datagram.
     *
     * @throws IOException if the file cannot be read or is not a pcap file (the message says why)
     */
    public int read(Path file, UdpHandler handler) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
        if (b.remaining() < 24) {
            throw new IOException(file + ": too short for a pcap file");
        }
        int magic = b.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        if (magic == 0xa1b2c3d4 || magic == 0xa1b23c4d) {
            b.order(ByteOrder.LITTLE_ENDIAN);
        } else if (Integer.reverseBytes(magic) == 0xa1b2c3d4 || Integer.reverseBytes(magic) == 0xa1b23c4d) {
            b.order(ByteOrder.BIG_ENDIAN);
        } else if (magic == 0x0a0d0d0a) {
            throw new IOException(file + ": pcapng is not supported; convert with: editcap -F pcap IN OUT");
        } else {
            throw new IOException(file + ": not a pcap file (magic " + Integer.toHexString(magic) + ")");
        }
        int linkType = b.getInt(20);
        int pos = 24;
        int frames = 0;
        int datagrams = 0;
        while (pos + 16 <= b.limit()) {
            int capLen = b.getInt(pos + 8);
            int start = pos + 16;
            if (capLen < 0 || start + capLen > b.limit()) {
                skipped++;
                break;
            }
            frames++;
            if (frame(b.duplicate().order(ByteOrder.BIG_ENDIAN), start, start + capLen, linkType, frames, handler)) {
                datagrams++;
            } else {
                skipped++;
            }
            pos = start + capLen;
        }
        return datagrams;
    }

    private static boolean frame(ByteBuffer b, int start, int end, int linkType, int frame, UdpHandler h) {
        int ip;
        switch (linkType) {
            case LINK_ETHERNET -> {
                if (end - start < 14) {
                    return false;
                }
                int type = b.getShort(start + 12) & 0xffff;
                ip = start + 14;
                if (type == 0x8100 && end - start >= 18) {
                    type = b.getShort(start + 16) & 0xffff;
                    ip = start + 18;
                }
                if (type != 0x0800 && type != 0x86dd) {
                    return false;
                }
            }
            case LINK_LINUX_SLL -> ip = start + 16;
            case LINK_RAW, LINK_RAW_IPV4, LINK_RAW_IPV6 -> ip = start;
            default -> {
                return false;
            }
        }
        if (ip >= end) {
            return false;
        }
        int version = (b.get(ip) & 0xff) >>> 4;
        int udp;
        String source;
        if (version == 4) {
            int ihl = (b.get(ip) & 0x0f) * 4;
            if (ihl < 20 || ip + ihl + 8 > end || (b.get(ip + 9) & 0xff) != UDP || (b.getShort(ip + 6) & 0x1fff) != 0) {
                return false;
            }
            byte[] a = new byte[4];
            b.get(ip + 12, a);
            source = IpAddress.fromBytes(a).toString();
            udp = ip + ihl;
        } else if (version == 6) {
            if (ip + 48 > end || (b.get(ip + 6) & 0xff) != UDP) {
                return false;
            }
            byte[] a = new byte[16];
            b.get(ip + 8, a);
            source = IpAddress.fromBytes(a).toString();
            udp = ip + 40;
        } else {
            return false;
        }
        int udpLen = b.getShort(udp + 4) & 0xffff;
        int payloadEnd = Math.min(end, udp + Math.max(8, udpLen));
        ByteBuffer payload = b.duplicate();
        payload.limit(payloadEnd).position(udp + 8);
        h.onDatagram(frame, source, b.getShort(udp) & 0xffff, b.getShort(udp + 2) & 0xffff, payload);
        return true;
    }
}
