package uvs.net.bpf;

import static uvs.net.bpf.EbpfAssembler.ADD;
import static uvs.net.bpf.EbpfAssembler.AND;
import static uvs.net.bpf.EbpfAssembler.B;
import static uvs.net.bpf.EbpfAssembler.DW;
import static uvs.net.bpf.EbpfAssembler.H;
import static uvs.net.bpf.EbpfAssembler.JEQ;
import static uvs.net.bpf.EbpfAssembler.JGT;
import static uvs.net.bpf.EbpfAssembler.JLE;
import static uvs.net.bpf.EbpfAssembler.JLT;
import static uvs.net.bpf.EbpfAssembler.JNE;
import static uvs.net.bpf.EbpfAssembler.JSET;
import static uvs.net.bpf.EbpfAssembler.LSH;
import static uvs.net.bpf.EbpfAssembler.R0;
import static uvs.net.bpf.EbpfAssembler.R1;
import static uvs.net.bpf.EbpfAssembler.R10;
import static uvs.net.bpf.EbpfAssembler.R2;
import static uvs.net.bpf.EbpfAssembler.R5;
import static uvs.net.bpf.EbpfAssembler.R6;
import static uvs.net.bpf.EbpfAssembler.R7;
import static uvs.net.bpf.EbpfAssembler.R8;
import static uvs.net.bpf.EbpfAssembler.R9;
import static uvs.net.bpf.EbpfAssembler.RSH;
import static uvs.net.bpf.EbpfAssembler.SUB;
import static uvs.net.bpf.EbpfAssembler.W;
import static uvs.net.bpf.EbpfAssembler.XOR;

import uvs.net.sys.NativeException;

/**
 * The fast path at the head of the XDP program: a TCP or UDP packet of an established flow that
 * {@link FastPathMap} holds is forwarded in the driver's context (new MACs, TTL or hop limit − 1, for NAT new
 * addresses and ports with checksums updated by the entry's precomputed deltas), counted and stamped in its
 * entry, and sent with XDP_TX (egress ifindex 0) or {@code bpf_redirect}. Anything that may change a
 * connection's state or that the fast path does not handle goes on to the steering part unchanged: SYN, FIN or RST;
 * ICMP and other protocols; IPv4 fragments; IPv6 with extension headers; TTL or hop limit ≤ 1; a NAT UDP packet
 * without a checksum (UVS computes a full one); a second VLAN tag; and any flow not in the map.
 *
 * <p>Registers: R6 the context (the steering part needs it), R7 the TCP/UDP header, R8 the end of the data, R9 the
 * IP header. The key is built on the stack at {@link #KEY}, below the steering part's stack.
 */
final class XdpFastPath {
    /** {@code bpf_map_lookup_elem}. */
    static final int HELPER_MAP_LOOKUP = 1;
    /** {@code bpf_ktime_get_ns}. */
    static final int HELPER_KTIME_GET_NS = 5;
    /** {@code bpf_ktime_get_coarse_ns} (Linux 5.11 and later). */
    static final int HELPER_KTIME_GET_COARSE_NS = 160;
    /** {@code bpf_redirect}. */
    static final int HELPER_REDIRECT = 23;

    private static final int KEY = -80;
    private static final int SAVED_VALUE = -88;
    private static final String STEER = "steer";

    private XdpFastPath() {
    }

    /**
     * The clock that stamps a flow's last packet: {@code bpf_ktime_get_coarse_ns} where the kernel has it. It
     * reads the time of the last tick, a few nanoseconds where {@code bpf_ktime_get_ns} reads the clock source
     * (about 1 % of the whole path per packet on the lab); expiry counts in jiffies as IPVS's timers do, so a
     * stamp up to one tick early changes nothing. Older kernels get {@code bpf_ktime_get_ns}.
     */
    static int clockHelper(Bpf bpf) {
        byte[] probe = new EbpfAssembler().call(HELPER_KTIME_GET_COARSE_NS).mov(R0, Bpf.XDP_PASS).exit().assemble();
        try {
            bpf.close(bpf.loadProgram(Bpf.PROG_TYPE_XDP, probe, "GPL", "uvs_clock_probe"));
            return HELPER_KTIME_GET_COARSE_NS;
        } catch (NativeException e) {
            return HELPER_KTIME_GET_NS;
        }
    }

    /**
     * Emits the fast path for map {@code flowFd}, stamping times with helper {@code clock}
     * ({@link #clockHelper}); R6 must hold the context. Every packet that is not forwarded ends at label
     * {@value #STEER}, which the caller places at the start of its own logic (which must load its own registers
     * from R6 again).
     */
    static void emit(EbpfAssembler a, int flowFd, int clock) {
        a.load(W, R7, R6, 0) // xdp_md.data
            .load(W, R8, R6, 4); // xdp_md.data_end
        for (int off = 0; off < FastPathKey.SIZE; off += 8) {
            a.storeImm(DW, R10, KEY + off, 0);
        }
        bounds(a, R7, 14);
        a.movReg(R9, R7).alu(ADD, R9, 14)
            .load(H, R1, R7, 12)
            .jump(JNE, R1, 0x0081, "fp_l3"); // 0x8100 read little-endian: one 802.1Q tag
        bounds(a, R7, 18);
        a.movReg(R9, R7).alu(ADD, R9, 18)
            .load(H, R1, R7, 16);
        a.label("fp_l3")
            .jump(JEQ, R1, 0x0008, "fp_v4")
            .jump(JEQ, R1, 0xdd86, "fp_v6")
            .ja(STEER);

        a.label("fp_v4");
        bounds(a, R9, 20);
        a.load(B, R1, R9, 0).movReg(R2, R1).alu(AND, R2, 0xf0).jump(JNE, R2, 0x40, STEER)
            .alu(AND, R1, 0x0f).alu(LSH, R1, 2).jump(JLT, R1, 20, STEER)
            .load(H, R2, R9, 6).jump(JSET, R2, 0xff3f, STEER) // MF or an offset: a fragment
            .load(B, R2, R9, 8).jump(JLE, R2, 1, STEER) // TTL: UVS answers time exceeded
            .load(B, R2, R9, 9).store(B, R10, KEY + FastPathKey.PROTO, R2)
            .storeImm(B, R10, KEY + FastPathKey.FAMILY, 4)
            .movReg(R7, R9).aluReg(ADD, R7, R1)
            .load(W, R1, R9, 12).store(W, R10, KEY + FastPathKey.SRC, R1)
            .load(W, R1, R9, 16).store(W, R10, KEY + FastPathKey.DST, R1)
            .ja("fp_l4");

        a.label("fp_v6");
        bounds(a, R9, 40);
        a.load(B, R1, R9, 0).alu(AND, R1, 0xf0).jump(JNE, R1, 0x60, STEER)
            .load(B, R2, R9, 7).jump(JLE, R2, 1, STEER) // hop limit
            .load(B, R2, R9, 6).store(B, R10, KEY + FastPathKey.PROTO, R2) // an extension header misses below
            .storeImm(B, R10, KEY + FastPathKey.FAMILY, 6)
            .movReg(R7, R9).alu(ADD, R7, 40);
        for (int off = 0; off < 32; off += 8) {
            a.load(DW, R1, R9, 8 + off).store(DW, R10, KEY + FastPathKey.SRC + off, R1);
        }

        a.label("fp_l4")
            .jump(JEQ, R2, 6, "fp_tcp")
            .jump(JNE, R2, 17, STEER);
        bounds(a, R7, 8);
        a.ja("fp_ports");
        a.label("fp_tcp");
        bounds(a, R7, 20);
        a.load(B, R1, R7, 13).jump(JSET, R1, 0x07, STEER); // FIN, SYN or RST: UVS moves the state
        a.label("fp_ports")
            .load(W, R1, R7, 0).store(W, R10, KEY + FastPathKey.SPORT, R1)
            .loadMap(R1, flowFd)
            .movReg(R2, R10).alu(ADD, R2, KEY)
            .call(HELPER_MAP_LOOKUP)
            .jump(JEQ, R0, 0, STEER)
            .movReg(R5, R0);

        // a NAT UDP packet without a checksum gets a full one from UVS; checked before anything is counted
        a.load(B, R1, R5, FastPathEntry.ACTION).jump(JNE, R1, FastPathEntry.NAT, "fp_count")
            .load(B, R1, R10, KEY + FastPathKey.PROTO).jump(JNE, R1, 17, "fp_count");
        bounds(a, R7, 8);
        a.load(H, R1, R7, 6).jump(JEQ, R1, 0, STEER);

        a.label("fp_count")
            .store(DW, R10, SAVED_VALUE, R5)
            .mov(R1, 1).atomicAdd(DW, R5, FastPathEntry.PACKETS, R1)
            .load(B, R1, R10, KEY + FastPathKey.FAMILY).jump(JEQ, R1, 6, "fp_len6")
            .load(H, R1, R9, 2).toBigEndian(R1, 16) // total length
            .ja("fp_len");
        a.label("fp_len6").load(H, R1, R9, 4).toBigEndian(R1, 16).alu(ADD, R1, 40); // payload length + header
        a.label("fp_len")
            .atomicAdd(DW, R5, FastPathEntry.BYTES, R1)
            .call(clock)
            .load(DW, R5, R10, SAVED_VALUE)
            .store(DW, R5, FastPathEntry.LAST_SEEN, R0);

        // Ethernet: the data pointer again from the context (R1-R5 do not survive the call)
        a.load(W, R1, R6, 0);
        bounds(a, R1, 14);
        a.load(W, R2, R5, FastPathEntry.DST_MAC).store(W, R1, 0, R2)
            .load(H, R2, R5, FastPathEntry.DST_MAC + 4).store(H, R1, 4, R2)
            .load(H, R2, R5, FastPathEntry.SRC_MAC).store(H, R1, 6, R2)
            .load(W, R2, R5, FastPathEntry.SRC_MAC + 2).store(W, R1, 8, R2);

        a.load(B, R1, R10, KEY + FastPathKey.FAMILY).jump(JEQ, R1, 6, "fp_ip6");
        // IPv4: TTL − 1; the header checksum delta covers it and the NAT address change
        a.load(B, R1, R9, 8).alu(SUB, R1, 1).store(B, R9, 8, R1);
        foldDelta(a, R9, 10, FastPathEntry.IP_DELTA);
        a.load(B, R1, R5, FastPathEntry.ACTION).jump(JNE, R1, FastPathEntry.NAT, "fp_out")
            .load(W, R1, R5, FastPathEntry.NEW_SRC).store(W, R9, 12, R1)
            .load(W, R1, R5, FastPathEntry.NEW_DST).store(W, R9, 16, R1)
            .ja("fp_ports_nat");
        a.label("fp_ip6");
        bounds(a, R9, 40); // the verifier does not follow the family through the stack
        a.load(B, R1, R9, 7).alu(SUB, R1, 1).store(B, R9, 7, R1)
            .load(B, R1, R5, FastPathEntry.ACTION).jump(JNE, R1, FastPathEntry.NAT, "fp_out");
        for (int off = 0; off < 32; off += 8) {
            a.load(DW, R1, R5, FastPathEntry.NEW_SRC + off).store(DW, R9, 8 + off, R1);
        }

        a.label("fp_ports_nat")
            .load(W, R1, R5, FastPathEntry.NEW_SPORT).store(W, R7, 0, R1)
            .load(B, R1, R10, KEY + FastPathKey.PROTO).jump(JEQ, R1, 17, "fp_udp");
        bounds(a, R7, 20);
        foldDelta(a, R7, 16, FastPathEntry.L4_DELTA);
        a.ja("fp_out");
        a.label("fp_udp");
        bounds(a, R7, 8);
        foldDelta(a, R7, 6, FastPathEntry.L4_DELTA);
        a.load(H, R1, R7, 6).jump(JNE, R1, 0, "fp_out")
            .storeImm(H, R7, 6, 0xffff); // a computed 0 is sent as all ones (RFC 768)

        a.label("fp_out")
            .load(W, R1, R5, FastPathEntry.IFINDEX)
            .jump(JNE, R1, 0, "fp_redirect")
            .mov(R0, Bpf.XDP_TX).exit();
        a.label("fp_redirect")
            .mov(R2, 0)
            .call(HELPER_REDIRECT)
            .exit();
    }

    /**
     * {@code check = ~(~check + delta)} for the 16-bit checksum at {@code reg + off} and the delta at
     * {@code R5 + deltaOff}, both as loaded (byte order does not matter to one's-complement sums).
     */
    private static void foldDelta(EbpfAssembler a, int reg, int off, int deltaOff) {
        a.load(H, R1, reg, off).alu(XOR, R1, 0xffff)
            .load(H, R2, R5, deltaOff).aluReg(ADD, R1, R2)
            .movReg(R2, R1).alu(RSH, R2, 16).alu(AND, R1, 0xffff).aluReg(ADD, R1, R2)
            .movReg(R2, R1).alu(RSH, R2, 16).alu(AND, R1, 0xffff).aluReg(ADD, R1, R2)
            .alu(XOR, R1, 0xffff)
            .store(H, reg, off, R1);
    }

    /** Goes to the steering part unless {@code need} bytes from {@code reg} lie within the frame. Clobbers R0. */
    private static void bounds(EbpfAssembler a, int reg, int need) {
        a.movReg(R0, reg).alu(ADD, R0, need).jumpReg(JGT, R0, R8, STEER);
    }
}
