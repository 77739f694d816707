package uvs.net.bpf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import uvs.core.net.Af;
import uvs.core.net.IpAddress;

/**
 * One key of the steering map of {@link XdpSteering}: frames matching it go to UVS. Layout (20 bytes): the
 * address in network order (IPv4 in the first 4 bytes, the rest zero), the port in network order, the IP
 * protocol, the kind.
 *
 * @param kind {@link #SERVICE} (matched against the destination), {@link #REAL_SERVER} (against the source: NAT
 *     replies) or {@link #ANNOUNCED} (the target of ARP requests and neighbour solicitations)
 * @param address the address
 * @param port the port; 0 with protocol 0 marks the address itself (ICMP errors and fragments about it), 0 with
 *     a protocol a port-less service
 * @param protocol IP protocol (6 TCP, 17 UDP, 132 SCTP) or 0
 */
public record SteeringEntry(int kind, IpAddress address, int port, int protocol) {
    /** A virtual service address (matched against destinations). */
    public static final int SERVICE = 0;
    /** A NAT real server (matched against sources). */
    public static final int REAL_SERVER = 1;
    /** An address UVS answers ARP/ND for. */
    public static final int ANNOUNCED = 2;
    /** Bytes of a key. */
    public static final int KEY_SIZE = 20;

    /** Checks the ranges. */
    public SteeringEntry {
        if (kind < SERVICE || kind > ANNOUNCED || port < 0 || port > 0xffff || protocol < 0 || protocol > 255) {
            throw new IllegalArgumentException("bad steering entry " + kind + " " + address + " " + port + "/"
                + protocol);
        }
    }

    /** Writes the key into the first {@link #KEY_SIZE} bytes of {@code key}. */
    public void writeKey(MemorySegment key) {
        key.asSlice(0, KEY_SIZE).fill((byte) 0);
        ValueLayout.OfLong be64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
        if (address.af() == Af.INET) {
            key.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 0, (int) address.lo());
        } else {
            key.set(be64, 0, address.hi());
            key.set(be64, 8, address.lo());
        }
        key.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 16, (short) port);
        key.set(ValueLayout.JAVA_BYTE, 18, (byte) protocol);
        key.set(ValueLayout.JAVA_BYTE, 19, (byte) kind);
    }
}
