package uvs.lab.net;

import java.util.ArrayList;
import java.util.List;
import uvs.net.bpf.Bpf;
import uvs.net.bpf.EbpfAssembler;
import uvs.net.sys.Libc;
import uvs.net.sys.Netns;

/**
 * An XDP program that passes every frame, attached to the router's end of a director's veth so that the frames
 * the director's XDP fast path sends back (XDP_TX) reach the router: a veth queues such frames for its peer but
 * wakes the peer's receive loop only when the peer runs an XDP program. The programs stay attached while this
 * process holds their links (or until the namespace goes).
 */
final class XdpPassPrograms {
    private final Bpf bpf = new Bpf();
    private final List<Integer> fds = new ArrayList<>();
    private int program = -1;

    /** Attaches the pass program to {@code ifname} in namespace {@code ns} (native mode). */
    synchronized void attach(String ns, String ifname) throws Exception {
        if (program < 0) {
            program = bpf.loadProgram(Bpf.PROG_TYPE_XDP,
                new EbpfAssembler().mov(EbpfAssembler.R0, Bpf.XDP_PASS).exit().assemble(), "GPL", "uvs_lab_pass");
            fds.add(program);
        }
        int p = program;
        fds.add(Netns.call(ns, () -> bpf.attachXdp(p, Libc.ifIndex(ifname), Bpf.XDP_FLAGS_DRV_MODE, ifname)));
    }

    /** Detaches every program and frees them. */
    synchronized void close() {
        for (int i = fds.size() - 1; i >= 0; i--) {
            bpf.close(fds.get(i));
        }
        fds.clear();
        program = -1;
    }
}
