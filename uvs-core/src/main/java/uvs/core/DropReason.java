package uvs.core;

/** Why a packet was dropped or refused; each has a counter in {@link EngineCounters}. */
public enum DropReason {
    /** Not dropped. */
    NONE,
    /** A virtual service matched but no real server was available. */
    NO_DESTINATION,
    /** The connection's real server was removed and expire_nodest_conn is 0. */
    DEST_REMOVED,
    /** The connection table is full: new connections are refused. */
    CONN_TABLE_FULL,
    /** drop_packet defense mode dropped a connection-creating packet. */
    DROP_PACKET_DEFENSE,
    /** A non-persistent port-zero service cannot schedule. */
    PORT_ZERO_NOT_PERSISTENT,
    /** The persistence engine could not find its key (e.g. no SIP Call-ID). */
    PE_NO_KEY,
    /** A NAT real server sent a packet for no known connection (nat_icmp_send). */
    NO_CONNECTION,
    /** The packet's protocol is not handled. */
    UNSUPPORTED_PROTOCOL
}
