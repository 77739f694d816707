package uvs.net.sys;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Builds rtnetlink datagrams byte for byte as the kernel sends them (host order headers, network order addresses). */
public final class NetlinkMessages {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** Appends one message of {@code type} with {@code body} (struct and attributes). */
    public NetlinkMessages message(int type, int flags, int seq, byte[] body) {
        int len = RtNetlink.NLMSG_HDRLEN + body.length;
        ByteBuffer b = ByteBuffer.allocate(RtNetlink.align(len)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(len).putShort((short) type).putShort((short) flags).putInt(seq).putInt(0).put(body);
        out.writeBytes(b.array());
        return this;
    }

    /** The datagram. */
    public byte[] bytes() {
        return out.toByteArray();
    }

    /** An rtmsg: family, prefix length, table, type, then attributes. */
    public static byte[] rtmsg(int family, int dstLen, int table, int type, byte[]... attrs) {
        ByteBuffer b = ByteBuffer.allocate(RtNetlink.RTMSG_LEN).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) family).put((byte) dstLen).put((byte) 0).put((byte) 0).put((byte) table).put((byte) 3)
            .put((byte) 0).put((byte) type).putInt(0);
        return concat(b.array(), attrs);
    }

    /** An ndmsg: family, ifindex, state, then attributes. */
    public static byte[] ndmsg(int family, int ifindex, int state, byte[]... attrs) {
        ByteBuffer b = ByteBuffer.allocate(RtNetlink.NDMSG_LEN).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) family).put((byte) 0).putShort((short) 0).putInt(ifindex).putShort((short) state)
            .put((byte) 0).put((byte) 1);
        return concat(b.array(), attrs);
    }

    /** An attribute (padded to 4 bytes). */
    public static byte[] attr(int type, byte[] value) {
        int len = 4 + value.length;
        ByteBuffer b = ByteBuffer.allocate(RtNetlink.align(len)).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) len).putShort((short) type).put(value);
        return b.array();
    }

    /** A u32 attribute in host order. */
    public static byte[] u32(int type, int value) {
        return attr(type, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array());
    }

    /** Bytes of a dotted IPv4 address or MAC given as ints. */
    public static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    private static byte[] concat(byte[] head, byte[]... rest) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(head);
        for (byte[] r : rest) {
            o.writeBytes(r);
        }
        return o.toByteArray();
    }
}
