package uvs.net.forward;

import static java.nio.ByteOrder.BIG_ENDIAN;

import org.agrona.MutableDirectBuffer;
import uvs.net.packet.ArpHeader;
import uvs.net.packet.Ethernet;

/** Builds Ethernet/IPv4 ARP frames (RFC 826, gratuitous ARP per RFC 5227 §3) at index 0; MACs as 48-bit longs. */
public final class Arp {
    /** Length of the frames written (Ethernet header + ARP message; the NIC pads to the minimum). */
    public static final int FRAME_LENGTH = Ethernet.HEADER_LENGTH + ArpHeader.LENGTH;

    private Arp() {
    }

    /** Broadcast "who has {@code targetIp}? tell {@code ourIp}"; returns the frame length. */
    public static int request(MutableDirectBuffer b, long ourMac, int ourIp, int targetIp) {
        return write(b, Ethernet.BROADCAST, ArpHeader.OP_REQUEST, ourMac, ourIp, 0, targetIp);
    }

    /** Unicast "{@code ourIp} is at {@code ourMac}" to the requester; returns the frame length. */
    public static int reply(MutableDirectBuffer b, long ourMac, int ourIp, long requesterMac, int requesterIp) {
        return write(b, requesterMac, ArpHeader.OP_REPLY, ourMac, ourIp, requesterMac, requesterIp);
    }

    /** Gratuitous ARP in request form (sender = target = {@code ip}, broadcast); returns the frame length. */
    public static int gratuitous(MutableDirectBuffer b, long ourMac, int ip) {
        return write(b, Ethernet.BROADCAST, ArpHeader.OP_REQUEST, ourMac, ip, 0, ip);
    }

    private static int write(MutableDirectBuffer b, long ethDst, int op, long sha, int spa, long tha, int tpa) {
        int a = Ethernet.writeHeader(b, ethDst, sha, Ethernet.ETH_P_ARP);
        b.putShort(a + ArpHeader.HTYPE, (short) 1, BIG_ENDIAN);
        b.putShort(a + ArpHeader.PTYPE, (short) Ethernet.ETH_P_IP, BIG_ENDIAN);
        b.putByte(a + ArpHeader.HLEN, (byte) 6);
        b.putByte(a + ArpHeader.PLEN, (byte) 4);
        b.putShort(a + ArpHeader.OPER, (short) op, BIG_ENDIAN);
        Ethernet.writeMac(b, a + ArpHeader.SHA, sha);
        b.putInt(a + ArpHeader.SPA, spa, BIG_ENDIAN);
        Ethernet.writeMac(b, a + ArpHeader.THA, tha);
        b.putInt(a + ArpHeader.TPA, tpa, BIG_ENDIAN);
        return FRAME_LENGTH;
    }
}
