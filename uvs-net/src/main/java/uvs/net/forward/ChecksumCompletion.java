package uvs.net.forward;

import static java.nio.ByteOrder.BIG_ENDIAN;
import static java.nio.ByteOrder.LITTLE_ENDIAN;

import org.agrona.MutableDirectBuffer;
import uvs.core.net.IpProto;
import uvs.net.packet.Checksum;
import uvs.net.packet.Crc32c;
import uvs.net.packet.Frame;
import uvs.net.packet.L4;

/**
 * Finishes the transport checksum of a packet whose sender left it to the NIC (checksum offload of a
 * local sender: the packet socket reports TP_STATUS_CSUMNOTREADY and the field holds only the
 * pseudo-header sum). A receiver that checks would drop such a packet once the director forwards it, so
 * the data plane computes the whole checksum before rewriting; the rewrites then update it as usual.
 */
public final class ChecksumCompletion {
    private ChecksumCompletion() {
    }

    /** Computes the TCP, UDP or SCTP checksum of the packet {@code f} describes, in place. */
    public static void complete(MutableDirectBuffer b, Frame f) {
        if (f.kind != Frame.IP) {
            return; // fragments carry no complete transport message; others have no offloaded checksum
        }
        int l4 = f.l4Offset;
        int length = f.ipLength - (l4 - f.l3Offset);
        switch (f.protocol) {
            case IpProto.TCP -> {
                b.putShort(l4 + L4.TCP_CHECKSUM, (short) 0);
                int c = Checksum.l4(b, f.af, f.l3Offset, IpProto.TCP, l4, length);
                b.putShort(l4 + L4.TCP_CHECKSUM, (short) c, BIG_ENDIAN);
            }
            case IpProto.UDP -> {
                b.putShort(l4 + L4.UDP_CHECKSUM, (short) 0);
                int c = Checksum.l4(b, f.af, f.l3Offset, IpProto.UDP, l4, length);
                b.putShort(l4 + L4.UDP_CHECKSUM, (short) (c == 0 ? 0xffff : c), BIG_ENDIAN);
            }
            case IpProto.SCTP -> {
                b.putInt(l4 + L4.SCTP_CHECKSUM, 0);
                b.putInt(l4 + L4.SCTP_CHECKSUM, Crc32c.compute(b, l4, length), LITTLE_ENDIAN);
            }
            default -> { }
        }
    }
}
