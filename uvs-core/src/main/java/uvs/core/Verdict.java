package uvs.core;

/** What the engine decided for a packet. */
public enum Verdict {
    /** Forward to the connection's real server with its forwarding method (client → server). */
    FORWARD,
    /** NAT reply: rewrite the source back to the virtual address and port, then send to the client. */
    FORWARD_REPLY,
    /** Hand the packet to the local stack unchanged (local real server, or not for a virtual service). */
    LOCAL,
    /** Not a packet for any virtual service or connection: let it go its normal way. */
    NOT_OURS,
    /** Drop silently. */
    DROP,
    /** Drop and answer with ICMP port unreachable (no real server available). */
    ICMP_UNREACHABLE,
    /** Forward unchanged to the packet's original destination (cache_bypass). */
    BYPASS
}
