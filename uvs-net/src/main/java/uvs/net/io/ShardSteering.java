package uvs.net.io;

import static uvs.net.io.ClassicBpf.BPF_A;
import static uvs.net.io.ClassicBpf.BPF_ABS;
import static uvs.net.io.ClassicBpf.BPF_ALU;
import static uvs.net.io.ClassicBpf.BPF_AND;
import static uvs.net.io.ClassicBpf.BPF_H;
import static uvs.net.io.ClassicBpf.BPF_JEQ;
import static uvs.net.io.ClassicBpf.BPF_K;
import static uvs.net.io.ClassicBpf.BPF_LD;
import static uvs.net.io.ClassicBpf.BPF_MOD;
import static uvs.net.io.ClassicBpf.BPF_MUL;
import static uvs.net.io.ClassicBpf.BPF_RET;
import static uvs.net.io.ClassicBpf.BPF_RSH;
import static uvs.net.io.ClassicBpf.BPF_W;
import static uvs.net.io.ClassicBpf.SKF_AD_OFF;
import static uvs.net.io.ClassicBpf.SKF_AD_PROTOCOL;
import static uvs.net.io.ClassicBpf.SKF_NET_OFF;

import java.util.List;
import uvs.core.net.Af;
import uvs.core.net.IpAddress;

/**
 * Steers frames to data-plane workers so that both directions of a connection meet on one worker: the key is
 * the client address, i.e. the source address unless the source is a real server (a NAT reply, whose
 * destination is the client). Key = low 32 bits of that address AND {@code mask} (so a persistence netmask keeps
 * a client subnet together); worker = ((key * 0x9E3779B1) >>> 16) % n, in 32-bit unsigned arithmetic; non-IP
 * frames go to worker 0. {@link #program} is the kernel (PACKET_FANOUT_CBPF) form, {@link #shardOf} its Java twin.
 */
public final class ShardSteering {
    /** Fibonacci hashing multiplier (2^32 / golden ratio). */
    public static final int MULTIPLIER = 0x9E3779B1;

    private static final int ETH_P_IP = 0x0800;
    private static final int ETH_P_IPV6 = 0x86DD;
    private static final int IP4_SRC = 12;
    private static final int IP4_DST = 16;
    private static final int IP6_SRC = 8;
    private static final int IP6_DST = 24;

    private final long[] realHi;
    private final long[] realLo;
    private final int[] realAf;
    private final int mask;
    private final int workers;

    /**
     * Steering over {@code workers} workers.
     *
     * @param realServers addresses whose frames are replies (NAT real servers)
     * @param mask applied to the key's low 32 bits (-1: per client address)
     * @param workers number of workers (fanout group members)
     */
    public ShardSteering(List<IpAddress> realServers, int mask, int workers) {
        if (workers < 1 || workers > 0xffff) {
            throw new IllegalArgumentException("worker count " + workers + " must be 1..65535");
        }
        this.mask = mask;
        this.workers = workers;
        realAf = new int[realServers.size()];
        realHi = new long[realServers.size()];
        realLo = new long[realServers.size()];
        for (int i = 0; i < realAf.length; i++) {
            IpAddress a = realServers.get(i);
            realAf[i] = a.af();
            realHi[i] = a.hi();
            realLo[i] = a.lo();
        }
    }

    /** The worker of a client address (IPv4 in the low 32 bits of {@code lo}); {@code af} is accepted for symmetry. */
    public static int shardOf(int af, long hi, long lo, int mask, int n) {
        int key = (int) lo & mask;
        return Integer.remainderUnsigned((key * MULTIPLIER) >>> 16, n);
    }

    /** The worker of client {@code <af, hi, lo>} under this steering's mask and worker count. */
    public int shardOfClient(int af, long hi, long lo) {
        return shardOf(af, hi, lo, mask, workers);
    }

    /** The worker of a frame with these addresses: the same choice as {@link #program}. Does not allocate. */
    public int shardOf(int af, long srcHi, long srcLo, long dstHi, long dstLo) {
        for (int i = 0; i < realAf.length; i++) {
            if (realAf[i] == af && realHi[i] == srcHi && realLo[i] == srcLo) {
                return shardOf(af, dstHi, dstLo, mask, workers);
            }
        }
        return shardOf(af, srcHi, srcLo, mask, workers);
    }

    /** The classic BPF program for a PACKET_FANOUT_CBPF group of {@code workers} sockets. */
    public ClassicBpf.Program program() {
        ClassicBpf.Builder b = ClassicBpf.builder();
        // loads relative to the network header work wherever the frame data starts
        b.stmt(BPF_LD | BPF_H | BPF_ABS, SKF_AD_OFF + SKF_AD_PROTOCOL)
                .jump(BPF_JEQ | BPF_K, ETH_P_IP, "v4", null)
                .jump(BPF_JEQ | BPF_K, ETH_P_IPV6, "v6", null)
                .stmt(BPF_RET | BPF_K, 0);
        b.label("v4").stmt(BPF_LD | BPF_W | BPF_ABS, SKF_NET_OFF + IP4_SRC);
        for (int i = 0; i < realAf.length; i++) {
            if (realAf[i] == Af.INET) {
                // on a match fall into the long jump, else skip it: keeps jt/jf within 8 bits for any count
                b.jump(BPF_JEQ | BPF_K, (int) realLo[i], null, "v4next" + i).ja("v4dst").label("v4next" + i);
            }
        }
        b.ja("key");
        b.label("v4dst").stmt(BPF_LD | BPF_W | BPF_ABS, SKF_NET_OFF + IP4_DST).ja("key");
        b.label("v6");
        for (int i = 0; i < realAf.length; i++) {
            if (realAf[i] == Af.INET6) {
                String next = "v6next" + i;
                int[] words = {(int) (realHi[i] >>> 32), (int) realHi[i], (int) (realLo[i] >>> 32), (int) realLo[i]};
                for (int w = 0; w < 4; w++) {
                    b.stmt(BPF_LD | BPF_W | BPF_ABS, SKF_NET_OFF + IP6_SRC + 4 * w)
                            .jump(BPF_JEQ | BPF_K, words[w], null, next);
                }
                b.ja("v6dst").label(next);
            }
        }
        b.stmt(BPF_LD | BPF_W | BPF_ABS, SKF_NET_OFF + IP6_SRC + 12).ja("key");
        b.label("v6dst").stmt(BPF_LD | BPF_W | BPF_ABS, SKF_NET_OFF + IP6_DST + 12);
        b.label("key")
                .stmt(BPF_ALU | BPF_AND | BPF_K, mask)
                .stmt(BPF_ALU | BPF_MUL | BPF_K, MULTIPLIER)
                .stmt(BPF_ALU | BPF_RSH | BPF_K, 16)
                .stmt(BPF_ALU | BPF_MOD | BPF_K, workers)
                .stmt(BPF_RET | BPF_A, 0);
        return b.build();
    }
}
