package uvs.net.io;

import static uvs.net.io.ClassicBpf.BPF_ABS;
import static uvs.net.io.ClassicBpf.BPF_B;
import static uvs.net.io.ClassicBpf.BPF_H;
import static uvs.net.io.ClassicBpf.BPF_JEQ;
import static uvs.net.io.ClassicBpf.BPF_K;
import static uvs.net.io.ClassicBpf.BPF_LD;
import static uvs.net.io.ClassicBpf.BPF_RET;

/**
 * The socket filter of an AF_XDP port's neighbour socket: ARP, and IPv6 neighbour solicitations and
 * advertisements without extension headers (ICMPv6 type 135/136 right after the IPv6 header); nothing else.
 */
final class NeighbourFilter {
    /** The filter program. */
    static final ClassicBpf.Program PROGRAM = ClassicBpf.builder()
        .stmt(BPF_LD | BPF_H | BPF_ABS, 12)
        .jump(BPF_JEQ | BPF_K, 0x0806, "accept", null)
        .jump(BPF_JEQ | BPF_K, 0x86dd, null, "drop")
        .stmt(BPF_LD | BPF_B | BPF_ABS, 20)
        .jump(BPF_JEQ | BPF_K, 58, null, "drop")
        .stmt(BPF_LD | BPF_B | BPF_ABS, 54)
        .jump(BPF_JEQ | BPF_K, 135, "accept", null)
        .jump(BPF_JEQ | BPF_K, 136, "accept", "drop")
        .label("accept").stmt(BPF_RET | BPF_K, 0xffff)
        .label("drop").stmt(BPF_RET | BPF_K, 0)
        .build();

    private NeighbourFilter() {
    }
}
