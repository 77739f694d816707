package uvs.core.proto;

import uvs.core.PacketHeader;
import uvs.core.net.IpProto;

/** UDP (ip_vs_proto_udp.c): one state, every packet may create a conn, replies assure the template. */
public final class UdpProtocol extends ProtocolHandler {
    /** The only UDP state (IP_VS_UDP_S_NORMAL), shown as "UDP". */
    public static final int NORMAL = 0;
    /** The only UDP event. */
    public static final int EVENT = 0;

    private static final int[][] STATES = {
        /* INPUT */ {NORMAL},
        /* OUTPUT */ {NORMAL},
        /* INPUT_ONLY */ {NORMAL},
    };

    UdpProtocol() {
        super(IpProto.UDP, new String[] {"UDP"}, 1,
            flatten(1, 1, STATES),
            flatten(1, 1, STATES),
            0,
            mask(NORMAL));
    }

    /** Always {@link #EVENT}: UDP has no header flags. */
    @Override
    public int event(PacketHeader p) {
        return EVENT;
    }

    /** Always: every UDP packet is scheduled. */
    @Override
    public boolean canCreate(PacketHeader p, boolean sloppy) {
        return true;
    }

    /** Every reply (OUTPUT packet) assures the template. */
    @Override
    public boolean assuresTemplate(int newState, int direction) {
        return direction == ConnDirection.OUTPUT;
    }
}
