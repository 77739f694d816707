package uvs.core.proto;

import uvs.core.PacketHeader;
import uvs.core.net.IpProto;
import uvs.core.tune.Tunables;

/** TCP (ip_vs_proto_tcp.c): the normal and secure_tcp transition tables and SYN-only conn creation. */
public final class TcpProtocol extends ProtocolHandler {
    private static final int NO = TcpState.NONE;
    private static final int ES = TcpState.ESTABLISHED;
    private static final int SS = TcpState.SYN_SENT;
    private static final int SR = TcpState.SYN_RECV;
    private static final int FW = TcpState.FIN_WAIT;
    private static final int TW = TcpState.TIME_WAIT;
    private static final int CL = TcpState.CLOSE;
    private static final int CW = TcpState.CLOSE_WAIT;
    private static final int LA = TcpState.LAST_ACK;
    private static final int LI = TcpState.LISTEN;
    private static final int SA = TcpState.SYNACK;

    // The "none" rows stand for the kernel's fallback: a segment without SYN/FIN/ACK/RST moves the conn to CLOSE.
    private static final int[][] STATES = {
        // INPUT     NO  ES  SS  SR  FW  TW  CL  CW  LA  LI  SA
        /* syn  */ {SR, ES, ES, SR, SR, SR, SR, SR, SR, SR, SR},
        /* fin  */ {CL, CW, SS, TW, TW, TW, CL, CW, LA, LI, TW},
        /* ack  */ {ES, ES, SS, ES, FW, TW, CL, CW, CL, LI, ES},
        /* rst  */ {CL, CL, CL, SR, CL, CL, CL, CL, LA, LI, SR},
        /* none */ {CL, CL, CL, CL, CL, CL, CL, CL, CL, CL, CL},
        // OUTPUT    NO  ES  SS  SR  FW  TW  CL  CW  LA  LI  SA
        /* syn  */ {SS, ES, SS, SR, SS, SS, SS, SS, SS, LI, SR},
        /* fin  */ {TW, FW, SS, TW, FW, TW, CL, TW, LA, LI, TW},
        /* ack  */ {ES, ES, SS, ES, FW, TW, CL, CW, LA, ES, ES},
        /* rst  */ {CL, CL, SS, CL, CL, TW, CL, CL, CL, CL, CL},
        /* none */ {CL, CL, CL, CL, CL, CL, CL, CL, CL, CL, CL},
        // INPUT_ONLY NO ES  SS  SR  FW  TW  CL  CW  LA  LI  SA
        /* syn  */ {SR, ES, ES, SR, SR, SR, SR, SR, SR, SR, SR},
        /* fin  */ {CL, FW, SS, TW, FW, TW, CL, CW, LA, LI, TW},
        /* ack  */ {ES, ES, SS, ES, FW, TW, CL, CW, CL, LI, ES},
        /* rst  */ {CL, CL, CL, SR, CL, CL, CL, CL, LA, LI, CL},
        /* none */ {CL, CL, CL, CL, CL, CL, CL, CL, CL, CL, CL},
    };

    // secure_tcp: a handshake must be seen in both directions (SYNACK) before input ACKs establish the conn.
    private static final int[][] SECURE_STATES = {
        // INPUT     NO  ES  SS  SR  FW  TW  CL  CW  LA  LI  SA
        /* syn  */ {SR, ES, ES, SR, SR, SR, SR, SR, SR, SR, SA},
        /* fin  */ {CL, CW, SS, TW, TW, TW, CL, CW, LA, LI, SA},
        /* ack  */ {ES, ES, SS, SR, FW, TW, CL, CW, CL, LI, SA},
        /* rst  */ {CL, CL, CL, SR, CL, CL, CL, CL, LA, LI, CL},
        /* none */ {CL, CL, CL, CL, CL, CL, CL, CL, CL, CL, CL},
        // OUTPUT    NO  ES  SS  SR  FW  TW  CL  CW  LA  LI  SA
        /* syn  */ {SS, ES, SS, SA, SS, SS, SS, SS, SS, LI, SA},
        /* fin  */ {TW, FW, SS, TW, FW, TW, CL, TW, LA, LI, TW},
        /* ack  */ {ES, ES, SS, ES, FW, TW, CL, CW, LA, ES, ES},
        /* rst  */ {CL, CL, SS, CL, CL, TW, CL, CL, CL, CL, CL},
        /* none */ {CL, CL, CL, CL, CL, CL, CL, CL, CL, CL, CL},
        // INPUT_ONLY NO ES  SS  SR  FW  TW  CL  CW  LA  LI  SA
        /* syn  */ {SA, ES, ES, SR, SA, SA, SA, SA, SA, SA, SA},
        /* fin  */ {CL, FW, SS, TW, FW, TW, CL, CW, LA, LI, TW},
        /* ack  */ {ES, ES, SS, ES, FW, TW, CL, CW, CL, LI, ES},
        /* rst  */ {CL, CL, CL, SR, CL, CL, CL, CL, LA, LI, CL},
        /* none */ {CL, CL, CL, CL, CL, CL, CL, CL, CL, CL, CL},
    };

    TcpProtocol() {
        super(IpProto.TCP, TcpState.NAMES, TcpEvent.COUNT,
            flatten(TcpState.COUNT, TcpEvent.COUNT, STATES),
            flatten(TcpState.COUNT, TcpEvent.COUNT, SECURE_STATES),
            // pre-established states count as active since "ipvs: count pre-established TCP states as active"
            mask(ES, SS, SR, SA),
            mask(ES, FW, CL, CW, TW));
    }

    /** RST, then SYN, then FIN, then ACK: the first flag present decides; none of them gives {@link TcpEvent#NONE}. */
    @Override
    public int event(PacketHeader p) {
        int flags = p.tcpFlags;
        if ((flags & PacketHeader.TCP_RST) != 0) {
            return TcpEvent.RST;
        }
        if ((flags & PacketHeader.TCP_SYN) != 0) {
            return TcpEvent.SYN;
        }
        if ((flags & PacketHeader.TCP_FIN) != 0) {
            return TcpEvent.FIN;
        }
        if ((flags & PacketHeader.TCP_ACK) != 0) {
            return TcpEvent.ACK;
        }
        return TcpEvent.NONE;
    }

    /** Never on RST; on SYN; with sloppy_tcp on any other segment (no ACK check, so SYN+ACK too). */
    @Override
    public boolean canCreate(PacketHeader p, boolean sloppy) {
        int flags = p.tcpFlags;
        return (flags & PacketHeader.TCP_RST) == 0 && (sloppy || (flags & PacketHeader.TCP_SYN) != 0);
    }

    @Override
    public boolean isNewConnection(PacketHeader p) {
        return (p.tcpFlags & PacketHeader.TCP_SYN) != 0;
    }

    /** TIME_WAIT or CLOSE; with conn_reuse_mode bit 2 also FIN_WAIT before any reply (a DR/TUN client's FIN). */
    @Override
    public boolean newConnExpected(int state, boolean noOutput, int reuseMode) {
        return state == TcpState.TIME_WAIT || state == TcpState.CLOSE
            || ((reuseMode & 2) != 0 && state == TcpState.FIN_WAIT && noOutput);
    }

    @Override
    public boolean isReset(PacketHeader p) {
        return (p.tcpFlags & PacketHeader.TCP_RST) != 0;
    }

    @Override
    public boolean isSloppy(Tunables tunables) {
        return tunables.sloppyTcp() != 0;
    }

    /** Entering ESTABLISHED, in either direction. */
    @Override
    public boolean assuresTemplate(int newState, int direction) {
        return newState == ES;
    }
}
