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
import static uvs.net.bpf.EbpfAssembler.R3;
import static uvs.net.bpf.EbpfAssembler.R4;
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
 * without a checksum (UVS computes a full one); a packet bound for another interface that it does not fit (UVS
 * answers "too big"); a second VLAN tag; and any flow not in the map.
 *
 * <p>Registers: R6 the context (the steering part needs it), R7 the TCP/UDP header, R8 the end of the data, R9 the
 * IP header. The key is built on the stack at {@link #KEY}, below the steering part's stack. The same code runs at
 * traffic control's ingress ({@link Hook#TC}, {@link TcFastPath}), where the rewrite goes through the kernel's
 * checksum helpers because an skb, unlike an XDP frame, has a checksum state.
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
    /** {@code bpf_check_mtu} (Linux 5.12 and later). */
    static final int HELPER_CHECK_MTU = 163;

    private static final int KEY = -80;
    private static final int SAVED_VALUE = -88;
    // the TC rewrite's scratch: header offsets from the frame's start, the addresses' checksum difference, the
    // old ports, the new IPv4 addresses side by side, and the IPv6 word holding the hop limit before and after
    private static final int L3_OFF = -96;
    private static final int L4_OFF = -104;
    private static final int DIFF = -112;
    private static final int OLD_PORTS = -120;
    private static final int NEW_ADDRS4 = -128;
    private static final int OLD_WORD6 = -132;
    private static final int NEW_WORD6 = -136;
    // bpf_check_mtu's in/out length: 0 in asks it to check the packet as it is
    private static final int MTU_LEN = -140;
    private static final int MTU_CHK_SEGS = 1;
    /** {@code bpf_l4_csum_replace}. */
    static final int HELPER_L4_CSUM_REPLACE = 11;
    /** {@code bpf_csum_diff}. */
    static final int HELPER_CSUM_DIFF = 28;
    /** {@code bpf_csum_update}. */
    static final int HELPER_CSUM_UPDATE = 40;
    private static final int F_PSEUDO_HDR = 1 << 4;
    private static final int F_MARK_MANGLED_0 = 1 << 5;
    private static final int TC_ACT_SHOT = 2;
    private static final String STEER = "steer";

    private XdpFastPath() {
    }

    /** Where the fast path runs: the context it reads the frame from, and how a forwarded frame leaves. */
    enum Hook {
        /** In the driver ({@code xdp_md}): XDP_TX back out of the interface, {@code bpf_redirect} elsewhere. */
        XDP(0, 4, -1),
        /**
         * At traffic control's ingress ({@code __sk_buff}, tcx): {@code bpf_redirect} to the egress of this
         * interface ({@code skb->ifindex}) or another.
         */
        TC(76, 80, 40);

        final int data;
        final int dataEnd;
        /** Offset of the receiving interface's index in the context; -1 where XDP_TX sends back instead. */
        final int ifindex;

        Hook(int data, int dataEnd, int ifindex) {
            this.data = data;
            this.dataEnd = dataEnd;
            this.ifindex = ifindex;
        }
    }

    /**
     * The clock that stamps a flow's last packet: {@code bpf_ktime_get_coarse_ns} where the kernel has it. It
     * reads the time of the last tick, a few nanoseconds where {@code bpf_ktime_get_ns} reads the clock source
     * (about 1 % of the whole path per packet on the lab); expiry counts in jiffies as IPVS's timers do, so a
     * stamp up to one tick early changes nothing. Older kernels get {@code bpf_ktime_get_ns}.
     */
    static int clockHelper(Bpf bpf) {
        byte[] probe = new EbpfAssembler().call(HELPER_KTIME_GET_COARSE_NS).mov(R0, Bpf.XDP_PASS).exit().assemble();
        return loads(bpf, probe, "uvs_clock_probe") ? HELPER_KTIME_GET_COARSE_NS : HELPER_KTIME_GET_NS;
    }

    /**
     * Whether the kernel has {@code bpf_check_mtu} (Linux 5.12): the fast path sends a packet out of another
     * interface only after asking it whether the packet fits that interface's MTU; without the helper it leaves
     * such packets to UVS, which answers "fragmentation needed" / "packet too big" as a router does.
     */
    static boolean mtuCheck(Bpf bpf) {
        byte[] probe = new EbpfAssembler()
            .storeImm(W, R10, -4, 0)
            .mov(R2, 0).movReg(R3, R10).alu(ADD, R3, -4).mov(R4, 0).mov(R5, 0)
            .call(HELPER_CHECK_MTU)
            .mov(R0, Bpf.XDP_PASS).exit().assemble();
        return loads(bpf, probe, "uvs_mtu_probe");
    }

    /** Whether this kernel's verifier accepts {@code probe} as an XDP program (loaded, then closed at once). */
    private static boolean loads(Bpf bpf, byte[] probe, String name) {
        try {
            bpf.close(bpf.loadProgram(Bpf.PROG_TYPE_XDP, probe, "GPL", name));
            return true;
        } catch (NativeException e) {
            return false;
        }
    }

    /** The helpers a fast path program uses on this kernel: its clock ({@link #clockHelper}), {@link #mtuCheck}. */
    record Helpers(int clock, boolean checkMtu) {
        /** Probes the running kernel. */
        static Helpers probe(Bpf bpf) {
            return new Helpers(clockHelper(bpf), mtuCheck(bpf));
        }
    }

    /**
     * Emits the fast path for map {@code flowFd} at {@code hook}, with {@code helpers} ({@link Helpers#probe}); R6
     * must hold the context. Every packet that is not forwarded ends at label {@value #STEER}, which the caller
     * places at the start of its own logic (which must load its own registers from R6 again).
     */
    static void emit(EbpfAssembler a, int flowFd, Helpers helpers, Hook hook) {
        a.load(W, R7, R6, hook.data)
            .load(W, R8, R6, hook.dataEnd);
        for (int off = 0; off < FastPathKey.SIZE; off += 8) {
            a.storeImm(DW, R10, KEY + off, 0);
        }
        bounds(a, R7, 14);
        a.movReg(R9, R7).alu(ADD, R9, 14);
        offset(a, hook, L3_OFF, 14);
        a.load(H, R1, R7, 12)
            .jump(JNE, R1, 0x0081, "fp_l3"); // 0x8100 read little-endian: one 802.1Q tag
        bounds(a, R7, 18);
        a.movReg(R9, R7).alu(ADD, R9, 18);
        offset(a, hook, L3_OFF, 18);
        a.load(H, R1, R7, 16);
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
            .movReg(R7, R9).aluReg(ADD, R7, R1);
        if (hook == Hook.TC) {
            a.load(DW, R3, R10, L3_OFF).aluReg(ADD, R3, R1).store(DW, R10, L4_OFF, R3);
        }
        a.load(W, R1, R9, 12).store(W, R10, KEY + FastPathKey.SRC, R1)
            .load(W, R1, R9, 16).store(W, R10, KEY + FastPathKey.DST, R1)
            .ja("fp_l4");

        a.label("fp_v6");
        bounds(a, R9, 40);
        a.load(B, R1, R9, 0).alu(AND, R1, 0xf0).jump(JNE, R1, 0x60, STEER)
            .load(B, R2, R9, 7).jump(JLE, R2, 1, STEER) // hop limit
            .load(B, R2, R9, 6).store(B, R10, KEY + FastPathKey.PROTO, R2) // an extension header misses below
            .storeImm(B, R10, KEY + FastPathKey.FAMILY, 6)
            .movReg(R7, R9).alu(ADD, R7, 40);
        if (hook == Hook.TC) {
            a.load(DW, R3, R10, L3_OFF).alu(ADD, R3, 40).store(DW, R10, L4_OFF, R3);
        }
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
        a.load(B, R1, R5, FastPathEntry.ACTION).jump(JNE, R1, FastPathEntry.NAT, "fp_mtu")
            .load(B, R1, R10, KEY + FastPathKey.PROTO).jump(JNE, R1, 17, "fp_mtu");
        bounds(a, R7, 8);
        a.load(H, R1, R7, 6).jump(JEQ, R1, 0, STEER);

        // out of another interface only if it fits there (the receiving one took it, and a rewrite adds nothing)
        a.label("fp_mtu")
            .load(W, R2, R5, FastPathEntry.IFINDEX)
            .jump(JEQ, R2, 0, "fp_count");
        if (helpers.checkMtu()) {
            a.store(DW, R10, SAVED_VALUE, R5)
                .storeImm(W, R10, MTU_LEN, 0)
                .movReg(R1, R6)
                .movReg(R3, R10).alu(ADD, R3, MTU_LEN)
                .mov(R4, 0)
                .mov(R5, hook == Hook.TC ? MTU_CHK_SEGS : 0) // a GRO skb: each segment must fit
                .call(HELPER_CHECK_MTU)
                .jump(JNE, R0, 0, STEER)
                .load(DW, R5, R10, SAVED_VALUE);
        } else {
            a.ja(STEER);
        }

        a.label("fp_count")
            .store(DW, R10, SAVED_VALUE, R5)
            .mov(R1, 1).atomicAdd(DW, R5, FastPathEntry.PACKETS, R1)
            .load(B, R1, R10, KEY + FastPathKey.FAMILY).jump(JEQ, R1, 6, "fp_len6")
            .load(H, R1, R9, 2).toBigEndian(R1, 16) // total length
            .ja("fp_len");
        a.label("fp_len6").load(H, R1, R9, 4).toBigEndian(R1, 16).alu(ADD, R1, 40); // payload length + header
        a.label("fp_len")
            .atomicAdd(DW, R5, FastPathEntry.BYTES, R1)
            .call(helpers.clock())
            .load(DW, R5, R10, SAVED_VALUE)
            .store(DW, R5, FastPathEntry.LAST_SEEN, R0);

        // Ethernet: the data pointer again from the context (R1-R5 do not survive the call)
        a.load(W, R1, R6, hook.data);
        bounds(a, R1, 14);
        a.load(W, R2, R5, FastPathEntry.DST_MAC).store(W, R1, 0, R2)
            .load(H, R2, R5, FastPathEntry.DST_MAC + 4).store(H, R1, 4, R2)
            .load(H, R2, R5, FastPathEntry.SRC_MAC).store(H, R1, 6, R2)
            .load(W, R2, R5, FastPathEntry.SRC_MAC + 2).store(W, R1, 8, R2);
        if (hook == Hook.TC) {
            emitTcRewrite(a);
            return;
        }

        a.load(B, R1, R10, KEY + FastPathKey.FAMILY).jump(JEQ, R1, 6, "fp_ip6");
        rewriteIpv4(a, "fp_out");
        a.ja("fp_ports_nat");
        a.label("fp_ip6");
        bounds(a, R9, 40); // the verifier does not follow the family through the stack
        rewriteIpv6(a, "fp_out");

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
            .jump(JNE, R1, 0, "fp_redirect");
        if (hook.ifindex < 0) {
            a.mov(R0, Bpf.XDP_TX).exit();
        } else {
            a.load(W, R1, R6, hook.ifindex); // back out of the interface it came in on
        }
        a.label("fp_redirect")
            .mov(R2, 0)
            .call(HELPER_REDIRECT)
            .exit();
    }

    /**
     * IPv4 at R9 (entry at R5): TTL − 1 with the header checksum, whose delta also covers NAT's address change;
     * then to {@code notNat} for DR, or on with NAT's new addresses written.
     */
    private static void rewriteIpv4(EbpfAssembler a, String notNat) {
        a.load(B, R1, R9, 8).alu(SUB, R1, 1).store(B, R9, 8, R1);
        foldDelta(a, R9, 10, FastPathEntry.IP_DELTA);
        a.load(B, R1, R5, FastPathEntry.ACTION).jump(JNE, R1, FastPathEntry.NAT, notNat)
            .load(W, R1, R5, FastPathEntry.NEW_SRC).store(W, R9, 12, R1)
            .load(W, R1, R5, FastPathEntry.NEW_DST).store(W, R9, 16, R1);
    }

    /** IPv6 at R9 (entry at R5): hop limit − 1; then to {@code notNat} for DR, or on with NAT's new addresses. */
    private static void rewriteIpv6(EbpfAssembler a, String notNat) {
        a.load(B, R1, R9, 7).alu(SUB, R1, 1).store(B, R9, 7, R1)
            .load(B, R1, R5, FastPathEntry.ACTION).jump(JNE, R1, FastPathEntry.NAT, notNat);
        for (int off = 0; off < 32; off += 8) {
            a.load(DW, R1, R5, FastPathEntry.NEW_SRC + off).store(DW, R9, 8 + off, R1);
        }
    }

    private static void offset(EbpfAssembler a, Hook hook, int slot, int value) {
        if (hook == Hook.TC) {
            a.storeImm(DW, R10, slot, value);
        }
    }

    /**
     * The rewrite at the TC hook, after the MACs (R5 the entry, R7 the L4 header, R9 the IP header). An skb
     * carries a checksum state that an XDP frame has not: CHECKSUM_PARTIAL (a sender on this host left the
     * transport checksum to offload: the field holds only the pseudo-header sum) and CHECKSUM_COMPLETE (the
     * NIC's sum of the whole packet in {@code skb->csum}, which must follow every byte changed when the frame
     * leaves by a veth). IPv4's TTL and addresses change with their header checksum, which keeps the header's
     * sum; the transport checksum goes through {@code bpf_l4_csum_replace}, which knows the state (addresses as
     * a pseudo-header difference, ports as a plain field); IPv6's hop limit and addresses, which no header
     * checksum covers, are added to {@code skb->csum} with {@code bpf_csum_update} (a no-op unless COMPLETE).
     */
    private static void emitTcRewrite(EbpfAssembler a) {
        a.storeImm(DW, R10, DIFF, 0)
            .load(B, R1, R5, FastPathEntry.ACTION).jump(JNE, R1, FastPathEntry.NAT, "tc_rewrite")
            .load(B, R1, R10, KEY + FastPathKey.FAMILY).jump(JEQ, R1, 6, "tc_diff6")
            .load(W, R1, R5, FastPathEntry.NEW_SRC).store(W, R10, NEW_ADDRS4, R1)
            .load(W, R1, R5, FastPathEntry.NEW_DST).store(W, R10, NEW_ADDRS4 + 4, R1);
        bounds(a, R9, 20);
        a.movReg(R1, R9).alu(ADD, R1, 12).mov(R2, 8)
            .movReg(R3, R10).alu(ADD, R3, NEW_ADDRS4).mov(R4, 8).mov(R5, 0)
            .call(HELPER_CSUM_DIFF).store(DW, R10, DIFF, R0)
            .ja("tc_diffed");
        a.label("tc_diff6");
        bounds(a, R9, 40);
        a.movReg(R1, R9).alu(ADD, R1, 8).mov(R2, 32)
            .movReg(R3, R5).alu(ADD, R3, FastPathEntry.NEW_SRC).mov(R4, 32).mov(R5, 0)
            .call(HELPER_CSUM_DIFF).store(DW, R10, DIFF, R0);
        a.label("tc_diffed").load(DW, R5, R10, SAVED_VALUE);

        a.label("tc_rewrite")
            .load(B, R1, R10, KEY + FastPathKey.FAMILY).jump(JEQ, R1, 6, "tc_ip6");
        bounds(a, R9, 20);
        rewriteIpv4(a, "tc_out");
        a.ja("tc_ports");
        a.label("tc_ip6");
        bounds(a, R9, 40);
        a.load(W, R1, R9, 4).store(W, R10, OLD_WORD6, R1);
        rewriteIpv6(a, "tc_fix6");

        a.label("tc_ports");
        bounds(a, R7, 8);
        a.load(W, R1, R7, 0).store(W, R10, OLD_PORTS, R1)
            .load(W, R1, R5, FastPathEntry.NEW_SPORT).store(W, R7, 0, R1)
            // the helpers may move the packet: from here on only offsets
            .load(B, R1, R10, KEY + FastPathKey.PROTO).jump(JEQ, R1, 17, "tc_udp");
        l4Checksum(a, 16, 0);
        a.ja("tc_l4_done");
        a.label("tc_udp");
        l4Checksum(a, 6, F_MARK_MANGLED_0);
        a.label("tc_l4_done")
            .load(B, R1, R10, KEY + FastPathKey.FAMILY).jump(JNE, R1, 6, "tc_out");

        // IPv6: the hop limit (the top byte of the word at offset 4, as loaded) and the addresses' difference
        a.label("tc_fix6")
            .load(W, R1, R10, OLD_WORD6).alu(SUB, R1, 0x0100_0000).store(W, R10, NEW_WORD6, R1)
            .movReg(R1, R10).alu(ADD, R1, OLD_WORD6).mov(R2, 4)
            .movReg(R3, R10).alu(ADD, R3, NEW_WORD6).mov(R4, 4)
            .load(DW, R5, R10, DIFF)
            .call(HELPER_CSUM_DIFF)
            .movReg(R2, R0).movReg(R1, R6)
            .call(HELPER_CSUM_UPDATE);

        a.label("tc_out")
            .load(DW, R5, R10, SAVED_VALUE)
            .load(W, R1, R5, FastPathEntry.IFINDEX)
            .jump(JNE, R1, 0, "tc_redirect")
            .load(W, R1, R6, Hook.TC.ifindex); // back out of the interface it came in on
        a.label("tc_redirect")
            .mov(R2, 0)
            .call(HELPER_REDIRECT)
            .exit();
        a.label("tc_drop").mov(R0, TC_ACT_SHOT).exit();
    }

    /**
     * The transport checksum at {@code csumOff} of the L4 header through {@code bpf_l4_csum_replace}: the
     * addresses' difference as a pseudo-header change, then the ports as a plain 4-byte field; a failure (the
     * field outside the skb's linear data) drops the frame rather than send it with a wrong checksum.
     */
    private static void l4Checksum(EbpfAssembler a, int csumOff, int flags) {
        a.movReg(R1, R6).load(DW, R2, R10, L4_OFF).alu(ADD, R2, csumOff)
            .mov(R3, 0).load(DW, R4, R10, DIFF).mov(R5, F_PSEUDO_HDR | flags)
            .call(HELPER_L4_CSUM_REPLACE)
            .jump(JNE, R0, 0, "tc_drop")
            .movReg(R1, R6).load(DW, R2, R10, L4_OFF).alu(ADD, R2, csumOff)
            .load(W, R3, R10, OLD_PORTS)
            .load(DW, R5, R10, SAVED_VALUE).load(W, R4, R5, FastPathEntry.NEW_SPORT)
            .mov(R5, 4 | flags)
            .call(HELPER_L4_CSUM_REPLACE)
            .jump(JNE, R0, 0, "tc_drop");
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
