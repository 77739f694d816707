package uvs.core.proto;

import uvs.core.net.IpProto;

/** Conn state names as /proc/net/ip_vs_conn and {@code ipvsadm -Lc} print them (ip_vs_state_name). */
public final class StateNames {
    private StateNames() {
    }

    /**
     * Name of a conn's state.
     *
     * @param protocol   the conn's IP protocol (0 for fwmark templates)
     * @param state      the conn's state number
     * @param isTemplate whether the conn carries the TEMPLATE flag
     * @return template names NONE/ASSURED, the protocol's state name, "NONE" for protocol 0, else "ERR!"
     */
    public static String connStateName(int protocol, int state, boolean isTemplate) {
        if (isTemplate) {
            return TemplateState.name(state);
        }
        ProtocolHandler handler = Protocols.get(protocol);
        if (handler == null) {
            return protocol == IpProto.IP ? "NONE" : ProtocolHandler.UNKNOWN_STATE_NAME;
        }
        return handler.stateName(state);
    }
}
