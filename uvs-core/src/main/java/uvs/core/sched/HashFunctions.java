package uvs.core.sched;

import uvs.core.PacketHeader;
import uvs.core.net.Af;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;

/**
 * The kernel's multiplicative hash ({@code hash_32}) and the address/port inputs the hashing schedulers
 * (dh, sh, mh, lblc, lblcr) feed into their hashes.
 */
public final class HashFunctions {
    /** The kernel's GOLDEN_RATIO_32 multiplier (since ≈ 4.7). */
    public static final int GOLDEN_RATIO_32 = 0x61C88647;

    private HashFunctions() {
    }

    /**
     * {@code hash_32(val, bits)}: the top {@code bits} bits of {@code val * GOLDEN_RATIO_32 mod 2^32}.
     *
     * @param bits 1..32
     */
    public static int hash32(int val, int bits) {
        if (bits < 1 || bits > 32) {
            throw new IllegalArgumentException("hash_32 bits must be 1..32, got " + bits);
        }
        return (val * GOLDEN_RATIO_32) >>> (32 - bits);
    }

    /** Folded source address of the packet (IPv4 value, or XOR of the IPv6 words), host order. */
    static int sourceFold(PacketHeader pkt) {
        return pkt.af == Af.INET6 ? IpAddress.fold6(pkt.srcHi, pkt.srcLo) : (int) pkt.srcLo;
    }

    /** Folded destination address of the packet. */
    static int destinationFold(PacketHeader pkt) {
        return pkt.af == Af.INET6 ? IpAddress.fold6(pkt.dstHi, pkt.dstLo) : (int) pkt.dstLo;
    }

    /** Source port for the sh-port / mh-port flags: only TCP, UDP and SCTP have one, others hash port 0. */
    static int sourcePort(PacketHeader pkt) {
        return switch (pkt.protocol) {
            case IpProto.TCP, IpProto.UDP, IpProto.SCTP -> pkt.srcPort;
            default -> 0;
        };
    }

    /** Greatest common divisor of two positive ints (the kernel's {@code gcd()}). */
    static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
