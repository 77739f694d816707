package uvs.core.proto;

import uvs.core.net.IpProto;

/** The protocol handlers by IP protocol number (ip_vs_proto_get); handlers are stateless and shared. */
public final class Protocols {
    /** TCP handler. */
    public static final TcpProtocol TCP = new TcpProtocol();
    /** UDP handler. */
    public static final UdpProtocol UDP = new UdpProtocol();
    /** SCTP handler. */
    public static final SctpProtocol SCTP = new SctpProtocol();

    private Protocols() {
    }

    /** Handler of an IP protocol, or null when IPVS has no state machine for it. */
    public static ProtocolHandler get(int protocol) {
        return switch (protocol) {
            case IpProto.TCP -> TCP;
            case IpProto.UDP -> UDP;
            case IpProto.SCTP -> SCTP;
            default -> null;
        };
    }
}
