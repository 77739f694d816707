package uvs.lab.bench;

import static uvs.net.bpf.EbpfAssembler.ADD;
import static uvs.net.bpf.EbpfAssembler.AND;
import static uvs.net.bpf.EbpfAssembler.B;
import static uvs.net.bpf.EbpfAssembler.DW;
import static uvs.net.bpf.EbpfAssembler.H;
import static uvs.net.bpf.EbpfAssembler.JEQ;
import static uvs.net.bpf.EbpfAssembler.JGT;
import static uvs.net.bpf.EbpfAssembler.JLE;
import static uvs.net.bpf.EbpfAssembler.JNE;
import static uvs.net.bpf.EbpfAssembler.R0;
import static uvs.net.bpf.EbpfAssembler.R1;
import static uvs.net.bpf.EbpfAssembler.R10;
import static uvs.net.bpf.EbpfAssembler.R2;
import static uvs.net.bpf.EbpfAssembler.R6;
import static uvs.net.bpf.EbpfAssembler.R7;
import static uvs.net.bpf.EbpfAssembler.R8;
import static uvs.net.bpf.EbpfAssembler.R9;
import static uvs.net.bpf.EbpfAssembler.RSH;
import static uvs.net.bpf.EbpfAssembler.SUB;
import static uvs.net.bpf.EbpfAssembler.W;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import uvs.core.net.IpAddress;
import uvs.net.bpf.Bpf;
import org.agrona.concurrent.UnsafeBuffer;
import uvs.net.bpf.EbpfAssembler;
import uvs.net.packet.Ethernet;
import uvs.net.sys.Libc;
import uvs.net.sys.Netns;

/**
 * The bench's reference for forwarding at the traffic-control hook: a tcx ingress program on d1's interface that
 * sends every IPv4 frame to the VIP straight back out of that interface to one next hop (new MACs, TTL − 1 with
 * the header checksum updated), with the per-packet bookkeeping UVS's fast path does (one map lookup, packet and
 * byte counts, a coarse time stamp) but no flow table and no load balancing; anything else goes on to the kernel.
 * Like kernel routing, it measures what the hook costs on this lab, not a director.
 */
final class TcRedirect implements AutoCloseable {
    private static final int HELPER_MAP_LOOKUP = 1;
    private static final int HELPER_REDIRECT = 23;
    private static final int HELPER_KTIME_GET_COARSE_NS = 160;
    /** {@code __sk_buff} offsets. */
    private static final int SKB_LEN = 0;
    private static final int SKB_IFINDEX = 40;
    private static final int SKB_DATA = 76;
    private static final int SKB_DATA_END = 80;
    /** The counter map's value: packets, bytes, last seen. */
    private static final int COUNTS = 24;

    private final Bpf bpf = new Bpf();
    private final int map;
    private final int program;
    private int link = -1;

    /** Loads the program for {@code vip}, rewriting frames to MAC {@code nextHop} from MAC {@code source}. */
    TcRedirect(IpAddress vip, long nextHop, long source) {
        map = bpf.createMap(Bpf.MAP_TYPE_ARRAY, 4, COUNTS, 1, "uvs_tc_counts");
        try {
            program = bpf.loadProgram(Bpf.PROG_TYPE_SCHED_CLS, assemble(map, vip, nextHop, source), "GPL",
                "uvs_tc_redirect");
        } catch (RuntimeException e) {
            bpf.close(map);
            bpf.close();
            throw e;
        }
    }

    /** The program's instructions: exposed for the test that runs it through BPF_PROG_TEST_RUN. */
    static byte[] assemble(int mapFd, IpAddress vip, long nextHopMac, long sourceMac) {
        byte[] nextHop = macBytes(nextHopMac);
        byte[] source = macBytes(sourceMac);
        byte[] v = vip.toBytes();
        int vipAsLoaded = (v[0] & 0xff) | (v[1] & 0xff) << 8 | (v[2] & 0xff) << 16 | (v[3] & 0xff) << 24;
        EbpfAssembler a = new EbpfAssembler();
        a.movReg(R6, R1)
            .load(W, R7, R6, SKB_DATA).load(W, R8, R6, SKB_DATA_END)
            .movReg(R0, R7).alu(ADD, R0, 34).jumpReg(JGT, R0, R8, "kernel")
            .load(H, R1, R7, 12).jump(JNE, R1, 0x0008, "kernel") // 0x0800 read little-endian
            .load(B, R1, R7, 14).alu(AND, R1, 0xf0).jump(JNE, R1, 0x40, "kernel")
            .load(W, R1, R7, 30).jump(JNE, R1, vipAsLoaded, "kernel")
            .load(B, R1, R7, 22).jump(JLE, R1, 1, "kernel").alu(SUB, R1, 1).store(B, R7, 22, R1)
            // TTL − 1 adds 0x0100 to the big-endian checksum: 0x0001 as loaded, with the end-around carry
            .load(H, R1, R7, 24).alu(ADD, R1, 1).movReg(R2, R1).alu(RSH, R2, 16).alu(AND, R1, 0xffff)
            .aluReg(ADD, R1, R2).store(H, R7, 24, R1)
            .storeImm(W, R10, -4, 0).loadMap(R1, mapFd).movReg(R2, R10).alu(ADD, R2, -4)
            .call(HELPER_MAP_LOOKUP)
            .jump(JEQ, R0, 0, "kernel").movReg(R9, R0)
            .mov(R1, 1).atomicAdd(DW, R9, 0, R1)
            .load(W, R1, R6, SKB_LEN).atomicAdd(DW, R9, 8, R1)
            .call(HELPER_KTIME_GET_COARSE_NS).store(DW, R9, 16, R0)
            // the packet pointers again: the checks above do not carry over a helper call
            .load(W, R7, R6, SKB_DATA).load(W, R8, R6, SKB_DATA_END)
            .movReg(R0, R7).alu(ADD, R0, 14).jumpReg(JGT, R0, R8, "kernel")
            .storeImm(W, R7, 0, asLoaded(nextHop, 0, 4)).storeImm(H, R7, 4, asLoaded(nextHop, 4, 2))
            .storeImm(H, R7, 6, asLoaded(source, 0, 2)).storeImm(W, R7, 8, asLoaded(source, 2, 4))
            .load(W, R1, R6, SKB_IFINDEX).mov(R2, 0).call(HELPER_REDIRECT).exit()
            .label("kernel").mov(R0, Bpf.TC_ACT_OK).exit();
        return a.assemble();
    }

    private static byte[] macBytes(long mac) {
        byte[] b = new byte[6];
        Ethernet.writeMac(new UnsafeBuffer(b), 0, mac);
        return b;
    }

    private static int asLoaded(byte[] b, int off, int len) {
        int v = 0;
        for (int i = len - 1; i >= 0; i--) {
            v = v << 8 | (b[off + i] & 0xff);
        }
        return v;
    }

    /** The loaded program's descriptor. */
    int program() {
        return program;
    }

    /** Attaches the program to the ingress of {@code ifname} in namespace {@code ns}. */
    void attach(String ns, String ifname) throws Exception {
        link = Netns.call(ns, () -> bpf.attachTcxIngress(program, Libc.ifIndex(ifname), ifname));
    }

    /** Packets the program redirected. */
    long packets() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment key = a.allocate(4);
            MemorySegment value = a.allocate(COUNTS);
            return bpf.lookup(map, key, value) ? value.get(ValueLayout.JAVA_LONG, 0) : 0;
        }
    }

    /** Detaches the program (closing its link) and frees it. */
    @Override
    public void close() {
        bpf.close(link);
        bpf.close(program);
        bpf.close(map);
        bpf.close();
    }
}
