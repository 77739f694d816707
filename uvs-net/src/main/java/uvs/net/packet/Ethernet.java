package uvs.net.packet;

import static java.nio.ByteOrder.BIG_ENDIAN;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/** Ethernet II header (with at most one 802.1Q tag): layout, EtherTypes, and MACs as 48-bit longs. */
public final class Ethernet {
    /** Length of an untagged header. */
    public static final int HEADER_LENGTH = 14;
    /** Length of one 802.1Q tag. */
    public static final int VLAN_TAG_LENGTH = 4;
    /** Offset of the destination MAC. */
    public static final int DST = 0;
    /** Offset of the source MAC. */
    public static final int SRC = 6;
    /** Offset of the EtherType (or the 802.1Q TPID). */
    public static final int TYPE = 12;
    /** IPv4. */
    public static final int ETH_P_IP = 0x0800;
    /** ARP. */
    public static final int ETH_P_ARP = 0x0806;
    /** 802.1Q VLAN tag. */
    public static final int ETH_P_8021Q = 0x8100;
    /** IPv6. */
    public static final int ETH_P_IPV6 = 0x86DD;
    /** ff:ff:ff:ff:ff:ff. */
    public static final long BROADCAST = 0xffff_ffff_ffffL;

    private Ethernet() {
    }

    /** Writes an untagged header at index 0 and returns its length. */
    public static int writeHeader(MutableDirectBuffer b, long dstMac, long srcMac, int ethertype) {
        writeMac(b, DST, dstMac);
        writeMac(b, SRC, srcMac);
        b.putShort(TYPE, (short) ethertype, BIG_ENDIAN);
        return HEADER_LENGTH;
    }

    /** Reads the 6-byte MAC at {@code off}. */
    public static long readMac(DirectBuffer b, int off) {
        return (b.getShort(off, BIG_ENDIAN) & 0xffffL) << 32 | (b.getInt(off + 2, BIG_ENDIAN) & 0xffff_ffffL);
    }

    /** Writes {@code mac} (low 48 bits) as 6 bytes at {@code off}. */
    public static void writeMac(MutableDirectBuffer b, int off, long mac) {
        b.putShort(off, (short) (mac >>> 32), BIG_ENDIAN);
        b.putInt(off + 2, (int) mac, BIG_ENDIAN);
    }

    /** True for a group (multicast or broadcast) MAC: the I/G bit of the first byte. */
    public static boolean isGroup(long mac) {
        return (mac & 0x0100_0000_0000L) != 0;
    }

    /** The IPv6 multicast MAC 33:33 + low 32 bits of the group address (RFC 2464 §7). */
    public static long ipv6MulticastMac(long groupLo) {
        return 0x3333_0000_0000L | (groupLo & 0xffff_ffffL);
    }

    /** {@code aa:bb:cc:dd:ee:ff} of a MAC held in the low 48 bits (control path: allocates). */
    public static String macText(long mac) {
        StringBuilder sb = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8) {
            sb.append(sb.isEmpty() ? "" : ":").append(String.format("%02x", mac >>> shift & 0xff));
        }
        return sb.toString();
    }

    /** Parses {@code aa:bb:cc:dd:ee:ff} into the low 48 bits of a long. */
    public static long parseMac(String text) {
        String[] parts = text.strip().split(":");
        if (parts.length != 6) {
            throw new IllegalArgumentException("MAC address '" + text + "': expected six hex bytes separated by ':'");
        }
        long mac = 0;
        for (String p : parts) {
            if (!p.matches("[0-9a-fA-F]{1,2}")) {
                throw new IllegalArgumentException("MAC address '" + text + "': bad byte '" + p + "'");
            }
            mac = mac << 8 | Integer.parseInt(p, 16);
        }
        return mac;
    }
}
