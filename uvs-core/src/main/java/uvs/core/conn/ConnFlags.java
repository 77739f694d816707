package uvs.core.conn;

/** Connection flag bits (IP_VS_CONN_F_*), values as on the sync wire. */
public final class ConnFlags {
    /** Forwarding method mask (low 3 bits). */
    public static final int FWD_MASK = 0x0007;
    /** NAT (masquerading). */
    public static final int MASQ = 0x0000;
    /** Deliver to the local stack. */
    public static final int LOCALNODE = 0x0001;
    /** IP tunnel. */
    public static final int TUNNEL = 0x0002;
    /** Direct routing (gatewaying). */
    public static final int DROUTE = 0x0003;
    /** Cache bypass: forward to the original destination. */
    public static final int BYPASS = 0x0004;
    /** Created or updated by sync. */
    public static final int SYNC = 0x0020;
    /** In the connection table (never sent on the wire). */
    public static final int HASHED = 0x0040;
    /** No output packets seen / non-NAT. */
    public static final int NOOUTPUT = 0x0080;
    /** Not counted as active. */
    public static final int INACTIVE = 0x0100;
    /** Output sequence adjust. */
    public static final int OUT_SEQ = 0x0200;
    /** Input sequence adjust. */
    public static final int IN_SEQ = 0x0400;
    /** Both sequence-adjust bits. */
    public static final int SEQ_MASK = 0x0600;
    /** Client port not known yet. */
    public static final int NO_CPORT = 0x0800;
    /** Persistence template. */
    public static final int TEMPLATE = 0x1000;
    /** One-packet-scheduling connection. */
    public static final int ONE_PACKET = 0x2000;
    /** Uses netfilter conntrack. */
    public static final int NFCT = 0x10000;
    /** Bits a backup accepts from a v1 message. */
    public static final int BACKUP_MASK = FWD_MASK | NOOUTPUT | INACTIVE | SEQ_MASK | NO_CPORT | TEMPLATE;
    /** Bits a backup updates on an existing connection. */
    public static final int BACKUP_UPD_MASK = INACTIVE | SEQ_MASK;

    private ConnFlags() {
    }
}
