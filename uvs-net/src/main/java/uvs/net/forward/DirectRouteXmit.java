package uvs.net.forward;

import static java.nio.ByteOrder.BIG_ENDIAN;

import org.agrona.MutableDirectBuffer;
import uvs.core.net.Af;
import uvs.net.packet.Checksum;
import uvs.net.packet.Frame;
import uvs.net.packet.Ipv4;
import uvs.net.packet.Ipv6;

/**
 * Direct routing (ip_vs_dr_xmit): the IP packet is unchanged except TTL − 1 (with the IPv4 header checksum
 * updated incrementally) or hop limit − 1; the caller rewrites the Ethernet destination to the real server.
 * Also the TTL step every other transmitter starts with.
 */
public final class DirectRouteXmit {
    private DirectRouteXmit() {
    }

    /**
     * Decrements the TTL / hop limit of the IP packet described by {@code f} in place. Returns
     * {@link XmitResult#OK}, or {@link XmitResult#TTL_EXCEEDED} (packet untouched) when it is ≤ 1.
     */
    public static int decrementTtl(MutableDirectBuffer b, Frame f) {
        int ip = f.l3Offset;
        if (f.af == Af.INET) {
            int ttl = b.getByte(ip + Ipv4.TTL) & 0xff;
            if (ttl <= 1) {
                return XmitResult.TTL_EXCEEDED;
            }
            int proto = b.getByte(ip + Ipv4.PROTOCOL) & 0xff;
            b.putByte(ip + Ipv4.TTL, (byte) (ttl - 1));
            int check = Checksum.update16(Ipv4.checksum(b, ip), ttl << 8 | proto, (ttl - 1) << 8 | proto);
            b.putShort(ip + Ipv4.CHECKSUM, (short) check, BIG_ENDIAN);
            f.ttl = ttl - 1;
            return XmitResult.OK;
        }
        int hops = b.getByte(ip + Ipv6.HOP_LIMIT) & 0xff;
        if (hops <= 1) {
            return XmitResult.TTL_EXCEEDED;
        }
        b.putByte(ip + Ipv6.HOP_LIMIT, (byte) (hops - 1));
        f.ttl = hops - 1;
        return XmitResult.OK;
    }
}
