package uvs.core.proto;

import uvs.core.PacketHeader;
import uvs.core.net.IpProto;
import uvs.core.tune.Tunables;

/** SCTP (ip_vs_proto_sctp.c): events from the first chunk, one transition table, INIT-only conn creation. */
public final class SctpProtocol extends ProtocolHandler {
    private static final int NO = SctpState.NONE;
    private static final int I1 = SctpState.INIT1;
    private static final int IN = SctpState.INIT;
    private static final int CS = SctpState.COOKIE_SENT;
    private static final int CR = SctpState.COOKIE_REPLIED;
    private static final int CW = SctpState.COOKIE_WAIT;
    private static final int CO = SctpState.COOKIE;
    private static final int CE = SctpState.COOKIE_ECHOED;
    private static final int ES = SctpState.ESTABLISHED;
    private static final int SS = SctpState.SHUTDOWN_SENT;
    private static final int SR = SctpState.SHUTDOWN_RECEIVED;
    private static final int SA = SctpState.SHUTDOWN_ACK_SENT;
    private static final int RJ = SctpState.REJECTED;
    private static final int CL = SctpState.CLOSED;

    private static final int[][] STATES = {
        // INPUT    NO  I1  IN  CS  CR  CW  CO  CE  ES  SS  SR  SA  RJ  CL
        /* d   */ {ES, I1, IN, CS, CR, CW, CO, CE, ES, SS, SR, SA, RJ, CL},
        /* i   */ {I1, IN, IN, CS, CR, CW, CO, CE, ES, SS, SR, SA, IN, IN},
        /* i_a */ {CW, CW, CW, CS, CR, CO, CO, CE, ES, SS, SR, SA, RJ, CL},
        /* c_e */ {CR, IN, IN, CR, CR, CW, CO, CE, ES, SS, SR, SA, RJ, CL},
        /* c_a */ {ES, I1, IN, CS, CR, CW, CO, ES, ES, SS, SR, SA, RJ, CL},
        /* s   */ {SR, I1, IN, CS, CR, CW, CO, CE, SR, SS, SR, SA, RJ, CL},
        /* s_a */ {CL, IN, IN, CS, CR, CW, CO, CE, ES, CL, SR, CL, RJ, CL},
        /* s_c */ {CL, CL, CL, CS, CR, CW, CO, CE, ES, SS, SR, CL, RJ, CL},
        /* err */ {CL, I1, IN, CS, CR, CW, CO, CL, ES, SS, SR, SA, RJ, CL},
        /* ab  */ {CL, CL, CL, CL, CL, RJ, CL, CL, CL, CL, CL, CL, CL, CL},
        // OUTPUT   NO  I1  IN  CS  CR  CW  CO  CE  ES  SS  SR  SA  RJ  CL
        /* d   */ {ES, I1, IN, CS, CR, CW, CO, CE, ES, SS, SR, SA, RJ, CL},
        /* i   */ {CW, CW, CW, CW, CW, CW, CW, CW, ES, CW, CW, CW, CW, CW},
        /* i_a */ {CS, CS, CS, CS, CR, CW, CO, CE, ES, SS, SR, SA, RJ, CL},
        /* c_e */ {CE, CE, CE, CE, CE, CE, CE, CE, ES, SS, SR, SA, RJ, CL},
        /* c_a */ {ES, ES, ES, ES, ES, ES, ES, ES, ES, SS, SR, SA, RJ, CL},
        /* s   */ {SS, SS, SS, SS, SS, SS, SS, SS, SS, SS, SR, SA, RJ, CL},
        /* s_a */ {SA, SA, SA, SA, SA, CW, CO, CE, ES, SA, SA, SA, RJ, CL},
        /* s_c */ {CL, I1, IN, CS, CR, CW, CO, CE, ES, SS, SR, SA, RJ, CL},
        /* err */ {CL, CL, CL, CL, CL, CW, CO, CE, ES, SS, SR, SA, RJ, CL},
        /* ab  */ {CL, RJ, CL, CL, CL, CL, CL, CL, CL, CL, CL, CL, CL, CL},
        // INPUT_ONLY NO I1  IN  CS  CR  CW  CO  CE  ES  SS  SR  SA  RJ  CL
        /* d   */ {ES, I1, IN, CS, CR, ES, CO, CE, ES, SS, SR, SA, RJ, CL},
        /* i   */ {I1, IN, IN, IN, IN, IN, CO, CE, ES, SS, SR, SA, IN, IN},
        /* i_a */ {CE, CE, CE, CE, CE, CE, CO, CE, ES, SS, SR, SA, RJ, CL},
        /* c_e */ {ES, ES, ES, ES, ES, ES, CO, CE, ES, SS, SR, SA, RJ, CL},
        /* c_a */ {ES, I1, IN, ES, ES, CW, ES, ES, ES, SS, SR, SA, RJ, CL},
        /* s   */ {SR, I1, IN, CS, CR, CW, CO, CE, SR, SS, SR, SA, RJ, CL},
        /* s_a */ {CL, IN, IN, CS, CR, CW, CO, CE, CL, CL, SR, CL, RJ, CL},
        /* s_c */ {CL, CL, CL, CL, CL, CW, CO, CE, ES, SS, CL, CL, RJ, CL},
        /* err */ {CL, I1, IN, CS, CR, CW, CO, CE, ES, SS, SR, SA, RJ, CL},
        /* ab  */ {CL, CL, CL, CL, CL, RJ, CL, CL, CL, CL, CL, CL, CL, CL},
    };

    // Event of each known chunk type; higher (unknown) types count as DATA.
    private static final byte[] CHUNK_EVENTS = new byte[SctpChunkType.SHUTDOWN_COMPLETE + 1];

    static {
        CHUNK_EVENTS[SctpChunkType.DATA] = SctpEvent.DATA;
        CHUNK_EVENTS[SctpChunkType.INIT] = SctpEvent.INIT;
        CHUNK_EVENTS[SctpChunkType.INIT_ACK] = SctpEvent.INIT_ACK;
        CHUNK_EVENTS[SctpChunkType.SACK] = SctpEvent.DATA;
        CHUNK_EVENTS[SctpChunkType.HEARTBEAT] = SctpEvent.DATA;
        CHUNK_EVENTS[SctpChunkType.HEARTBEAT_ACK] = SctpEvent.DATA;
        CHUNK_EVENTS[SctpChunkType.ABORT] = SctpEvent.ABORT;
        CHUNK_EVENTS[SctpChunkType.SHUTDOWN] = SctpEvent.SHUTDOWN;
        CHUNK_EVENTS[SctpChunkType.SHUTDOWN_ACK] = SctpEvent.SHUTDOWN_ACK;
        CHUNK_EVENTS[SctpChunkType.ERROR] = SctpEvent.ERROR;
        CHUNK_EVENTS[SctpChunkType.COOKIE_ECHO] = SctpEvent.COOKIE_ECHO;
        CHUNK_EVENTS[SctpChunkType.COOKIE_ACK] = SctpEvent.COOKIE_ACK;
        CHUNK_EVENTS[SctpChunkType.ECNE] = SctpEvent.DATA;
        CHUNK_EVENTS[SctpChunkType.CWR] = SctpEvent.DATA;
        CHUNK_EVENTS[SctpChunkType.SHUTDOWN_COMPLETE] = SctpEvent.SHUTDOWN_COMPLETE;
    }

    SctpProtocol() {
        super(IpProto.SCTP, SctpState.NAMES, SctpEvent.COUNT,
            flatten(SctpState.COUNT, SctpEvent.COUNT, STATES),
            flatten(SctpState.COUNT, SctpEvent.COUNT, STATES),
            mask(ES),
            mask(ES, SS, SR, SA, CL));
    }

    /**
     * Event of the first chunk, except that a COOKIE-ECHO or COOKIE-ACK followed by an ABORT counts as ABORT
     * (control chunks may be bundled before an ABORT, RFC 9260 §3.3.7).
     */
    @Override
    public int event(PacketHeader p) {
        int type = p.sctpChunkType;
        if ((type == SctpChunkType.COOKIE_ECHO || type == SctpChunkType.COOKIE_ACK)
            && p.sctpNextChunkType == SctpChunkType.ABORT) {
            return SctpEvent.ABORT;
        }
        return type >= 0 && type < CHUNK_EVENTS.length ? CHUNK_EVENTS[type] : SctpEvent.DATA;
    }

    /** Never when the first chunk is ABORT; on INIT; with sloppy_sctp on any other first chunk. */
    @Override
    public boolean canCreate(PacketHeader p, boolean sloppy) {
        int type = p.sctpChunkType;
        return type != SctpChunkType.ABORT && (sloppy || type == SctpChunkType.INIT);
    }

    @Override
    public boolean isNewConnection(PacketHeader p) {
        return p.sctpChunkType == SctpChunkType.INIT;
    }

    @Override
    public boolean newConnExpected(int state, boolean noOutput, int reuseMode) {
        return state == SctpState.CLOSED;
    }

    @Override
    public boolean isReset(PacketHeader p) {
        return p.sctpChunkType == SctpChunkType.ABORT;
    }

    @Override
    public boolean isSloppy(Tunables tunables) {
        return tunables.sloppySctp() != 0;
    }

    /** Entering ESTABLISHED, in either direction. */
    @Override
    public boolean assuresTemplate(int newState, int direction) {
        return newState == ES;
    }
}
