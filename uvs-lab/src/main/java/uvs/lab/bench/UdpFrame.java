package uvs.lab.bench;

import java.nio.ByteOrder;
import org.agrona.concurrent.UnsafeBuffer;
import uvs.core.net.Af;
import uvs.core.net.IpAddress;
import uvs.net.packet.Checksum;
import uvs.net.packet.Ethernet;

/** Builds the blaster's Ethernet + IPv4 + UDP frames, checksums filled in. */
public final class UdpFrame {
    /** Length of a minimum Ethernet frame without its FCS (64 bytes on the wire with it). */
    public static final int MIN_LENGTH = 60;
    /** Ethernet (14) + IPv4 (20) + UDP (8) header bytes. */
    public static final int HEADERS = 42;

    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;
    private static final int ETH_P_IP = 0x0800;
    private static final int IPPROTO_UDP = 17;
    private static final int TTL = 64;
    private static final int IP = 14;
    private static final int UDP = 34;

    private UdpFrame() {}

    /**
     * A frame of {@code length} bytes (at least {@link #HEADERS}; the UDP payload is zeros) from
     * {@code srcIp:srcPort} to {@code dstIp:dstPort}; MACs in the low 48 bits, addresses as big-endian ints.
     */
    public static byte[] build(long dstMac, long srcMac, int srcIp, int dstIp, int srcPort, int dstPort, int length) {
        if (length < HEADERS || length > 1514) {
            throw new IllegalArgumentException("frame length " + length + ": expected " + HEADERS + " to 1514");
        }
        if (srcPort < 0 || srcPort > 0xffff || dstPort < 0 || dstPort > 0xffff) {
            throw new IllegalArgumentException("UDP ports " + srcPort + "/" + dstPort + ": expected 0 to 65535");
        }
        byte[] frame = new byte[length];
        UnsafeBuffer b = new UnsafeBuffer(frame);
        Ethernet.writeHeader(b, dstMac, srcMac, ETH_P_IP);
        int ipLength = length - IP;
        b.putByte(IP, (byte) 0x45);
        b.putShort(IP + 2, (short) ipLength, BE);
        b.putShort(IP + 6, (short) 0x4000, BE); // DF, as Linux sends UDP
        b.putByte(IP + 8, (byte) TTL);
        b.putByte(IP + 9, (byte) IPPROTO_UDP);
        b.putInt(IP + 12, srcIp, BE);
        b.putInt(IP + 16, dstIp, BE);
        b.putShort(IP + 10, (short) Checksum.compute(b, IP, 20), BE);
        int udpLength = length - UDP;
        b.putShort(UDP, (short) srcPort, BE);
        b.putShort(UDP + 2, (short) dstPort, BE);
        b.putShort(UDP + 4, (short) udpLength, BE);
        int check = Checksum.l4(b, Af.INET, IP, IPPROTO_UDP, UDP, udpLength);
        // a computed 0 goes out as 0xffff: 0 means "no checksum" in UDP over IPv4
        b.putShort(UDP + 6, (short) (check == 0 ? 0xffff : check), BE);
        return frame;
    }

    /** Parses numeric IPv4 text (as {@link IpAddress#parse}) into a big-endian int. */
    public static int parseIpv4(String text) {
        IpAddress a = IpAddress.parse(text);
        if (a.isV6()) {
            throw new IllegalArgumentException("not an IPv4 address: " + text);
        }
        return a.v4();
    }
}
