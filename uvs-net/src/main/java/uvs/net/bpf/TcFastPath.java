package uvs.net.bpf;

import static uvs.net.bpf.EbpfAssembler.R0;
import static uvs.net.bpf.EbpfAssembler.R1;
import static uvs.net.bpf.EbpfAssembler.R6;

import java.util.ArrayList;
import java.util.List;
import uvs.net.sys.Libc;

/**
 * UVS's fast path at traffic control's ingress (tcx) rather than in XDP, for AF_PACKET ports: the same flow map
 * and the same parse, lookup and counting ({@link XdpFastPath}) on the skb as it arrived, sent on with
 * {@code bpf_redirect}. On a veth this saves what XDP costs there (a page copy per frame for XDP headroom, the
 * peer's second pass and a new skb); on a NIC, XDP stays the better hook. The transport checksum is rewritten
 * through the kernel's helpers, which follow the skb's checksum state. Frames the fast path does not take go on
 * ({@code TCX_NEXT}: to any tcx program attached after this one, then to the kernel), where UVS's packet sockets,
 * bound per protocol ({@code ProtocolPorts}), receive them: such sockets get a frame after this program ran, so
 * never one it forwarded.
 */
public final class TcFastPath implements AutoCloseable {
    private final Bpf bpf = new Bpf();
    private final int program;
    private final List<Integer> links = new ArrayList<>();

    private TcFastPath(FastPathMap flows) {
        program = bpf.loadProgram(Bpf.PROG_TYPE_SCHED_CLS, program(flows.fd(), XdpFastPath.Helpers.probe(bpf)), "GPL",
            "uvs_tc_fast");
    }

    /** Loads the program over flow map {@code flows}. */
    public static TcFastPath create(FastPathMap flows) {
        return new TcFastPath(flows);
    }

    /** The program's instructions for flow map {@code flowFd}, with {@code helpers}. */
    static byte[] program(int flowFd, XdpFastPath.Helpers helpers) {
        EbpfAssembler a = new EbpfAssembler();
        a.movReg(R6, R1);
        XdpFastPath.emit(a, flowFd, helpers, XdpFastPath.Hook.TC);
        a.label("steer").mov(R0, Bpf.TC_ACT_UNSPEC).exit();
        return a.assemble();
    }

    /** Attaches the program to the ingress of {@code ifname} (tcx link; gone when this closes or uvsd dies). */
    public synchronized void attach(String ifname) {
        links.add(bpf.attachTcxIngress(program, Libc.ifIndex(ifname), ifname));
    }

    /** Runs the program once on {@code frame} (BPF_PROG_TEST_RUN). */
    public synchronized Bpf.TestRun testRun(byte[] frame) {
        return bpf.testRunFrame(program, frame);
    }

    @Override
    public synchronized void close() {
        for (int l : links) {
            bpf.close(l);
        }
        links.clear();
        bpf.close(program);
        bpf.close();
    }
}
