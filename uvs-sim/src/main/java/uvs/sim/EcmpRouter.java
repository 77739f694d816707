package uvs.sim;

import java.util.Arrays;
import uvs.core.net.IpProto;

/**
 * ECMP as a resilient next-hop group (Linux {@code fib_multipath_hash_policy 1}, hash-threshold): a flow stays on
 * the director its hash picks while that one is in the group; a removed director's flows are spread over the
 * remaining ones by the flow's second hash, and move back when it rejoins. The other flows never move.
 */
final class EcmpRouter implements TrafficRouter {
    /** Bits of the router's multipath hash. */
    static final int HASH_BITS = 31;
    /** Salt of the second hash that picks a dead director's flow's survivor. */
    private static final long SURVIVOR_SALT = 0x3c6e_f372_fe94_f82bL;

    private final boolean[] inGroup;

    /** A group of {@code directors} next hops, all in it. */
    EcmpRouter(int directors) {
        this.inGroup = new boolean[directors];
        Arrays.fill(inGroup, true);
    }

    @Override
    public int route(FlowPopulation flows, int i) {
        int owner = flows.owner[i];
        if (inGroup[owner]) {
            return owner;
        }
        int others = 0;
        for (int d = 0; d < inGroup.length; d++) {
            if (inGroup[d]) {
                others++;
            }
        }
        int pick = Integer.remainderUnsigned(flows.alt[i], others);
        for (int d = 0; ; d++) {
            if (inGroup[d] && pick-- == 0) {
                return d;
            }
        }
    }

    @Override
    public void moved(int to, boolean aInGroup) {
        inGroup[0] = aInGroup;
    }

    /** The router's L4 multipath hash of a flow to the VIP's port 80 (addresses, protocol, ports, a per-boot seed). */
    static long hash(long seed, int client, int port) {
        long x = seed ^ ((long) client << 32) ^ ((long) port << 16) ^ 80L ^ ((long) IpProto.TCP << 56)
            ^ SimDirector.VIP.v4();
        return mix(x) >>> 33;
    }

    /** Hash-threshold: N equal ranges of the hash, the lowest to director 1 (index 0). */
    static byte owner(long hash, int directors) {
        return (byte) ((hash * directors) >>> HASH_BITS);
    }

    /** The flow's second hash, which picks its survivor. */
    static int survivorHash(long hash) {
        return (int) (mix(hash ^ SURVIVOR_SALT) >>> (64 - HASH_BITS));
    }

    /** A 64-bit finaliser (MurmurHash3 fmix64). */
    private static long mix(long x) {
        x = (x ^ (x >>> 33)) * 0xff51_afd7_ed55_8ccdL;
        x = (x ^ (x >>> 33)) * 0xc4ce_b9fe_1a85_ec53L;
        return x ^ (x >>> 33);
    }
}
