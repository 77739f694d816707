package uvs.core.proto;

import uvs.core.PacketHeader;
import uvs.core.tune.Tunables;

/**
 * One IPVS protocol (the kernel's struct ip_vs_protocol): how packets are classified into events, which
 * packets may create a conn, and the data that drives the state machine. Subclasses only classify packets;
 * transitions, active and sync tests are final reads of flat tables built once.
 */
public abstract class ProtocolHandler {
    /** Name the kernel prints for a state number it does not know. */
    static final String UNKNOWN_STATE_NAME = "ERR!";

    private final int protocol;
    private final String[] stateNames;
    private final int stateCount;
    private final int eventCount;
    // [direction][event][state] flattened; the secure table is the same array when there is no DoS variant
    private final byte[] states;
    private final byte[] secureStates;
    private final int activeStateMask;
    private final int syncStateMask;

    ProtocolHandler(int protocol, String[] stateNames, int eventCount, byte[] states, byte[] secureStates,
                    int activeStateMask, int syncStateMask) {
        this.protocol = protocol;
        this.stateNames = stateNames;
        this.stateCount = stateNames.length;
        this.eventCount = eventCount;
        this.states = states;
        this.secureStates = secureStates;
        this.activeStateMask = activeStateMask;
        this.syncStateMask = syncStateMask;
    }

    /** IP protocol number (6, 17 or 132). */
    public final int protocol() {
        return protocol;
    }

    /** Number of states; valid states are 0..stateCount()-1. */
    public final int stateCount() {
        return stateCount;
    }

    /** Number of events; valid events are 0..eventCount()-1. */
    public final int eventCount() {
        return eventCount;
    }

    /** State name as {@code ipvsadm -Lc} prints it, "ERR!" for a state the protocol does not have. */
    public final String stateName(int state) {
        return isState(state) ? stateNames[state] : UNKNOWN_STATE_NAME;
    }

    /** Whether a conn in this state counts in the dest's activeconns (otherwise in inactconns). */
    public final boolean isActiveState(int state) {
        return isState(state) && (activeStateMask & (1 << state)) != 0;
    }

    /** Whether the sync master's state filter lets a conn in this state be synced (always for one-state protocols). */
    public final boolean isSyncState(int state) {
        return isState(state) && (syncStateMask & (1 << state)) != 0;
    }

    /**
     * Next state for one packet (no side effects).
     *
     * @param state     current state
     * @param direction {@link ConnDirection} value, INPUT_ONLY already chosen for NOOUTPUT conns
     * @param event     result of {@link #event(PacketHeader)}
     * @param secureTcp whether the secure_tcp ("DoS") table is in effect; only TCP has one
     * @return the new state
     */
    public final int nextState(int state, int direction, int event, boolean secureTcp) {
        if (!isState(state) || direction < 0 || direction >= ConnDirection.COUNT || event < 0 || event >= eventCount) {
            throw outOfRange(state, direction, event);
        }
        byte[] table = secureTcp ? secureStates : states;
        return table[(direction * eventCount + event) * stateCount + state];
    }

    /** Event index of a packet of this protocol (a row of the transition table). */
    public abstract int event(PacketHeader p);

    /** Whether this packet may create a new conn (conn_schedule), given the sloppy_tcp / sloppy_sctp setting. */
    public abstract boolean canCreate(PacketHeader p, boolean sloppy);

    /** is_new_conn: whether this packet opens a new connection (a TCP SYN, an SCTP INIT); never for UDP. */
    public boolean isNewConnection(PacketHeader p) {
        return false;
    }

    /**
     * is_new_conn_expected: whether a new connection may replace one in {@code state} that is closing
     * ({@code conn_reuse_mode}; {@code noOutput}: no reply was seen).
     */
    public boolean newConnExpected(int state, boolean noOutput, int reuseMode) {
        return false;
    }

    /** Whether this packet resets its connection (a TCP RST, an SCTP ABORT). */
    public boolean isReset(PacketHeader p) {
        return false;
    }

    /** Whether {@code sloppy_tcp}/{@code sloppy_sctp} lets any packet of this protocol create a connection. */
    public boolean isSloppy(Tunables tunables) {
        return false;
    }

    /**
     * Whether a packet leading to {@code newState} marks the conn's controlling template ASSURED: TCP and SCTP
     * when the conn enters ESTABLISHED (callers test only on a state change), UDP on every OUTPUT packet.
     *
     * @param newState  state after the packet
     * @param direction the packet's own direction (INPUT or OUTPUT)
     * @return true when the template must become {@link TemplateState#ASSURED}
     */
    public abstract boolean assuresTemplate(int newState, int direction);

    private boolean isState(int state) {
        return state >= 0 && state < stateCount;
    }

    private IllegalArgumentException outOfRange(int state, int direction, int event) {
        return new IllegalArgumentException("protocol " + protocol + ": state " + state + " (0.." + (stateCount - 1)
            + "), direction " + direction + " (0.." + (ConnDirection.COUNT - 1) + ") or event " + event
            + " (0.." + (eventCount - 1) + ") out of range");
    }

    /**
     * Flattens rows written like the kernel's tables (one row per event, direction-major, one column per
     * state) into a [direction][event][state] array, checking every row's width and every entry.
     */
    static byte[] flatten(int stateCount, int eventCount, int[][] rows) {
        if (rows.length != ConnDirection.COUNT * eventCount) {
            throw new IllegalArgumentException("expected " + ConnDirection.COUNT * eventCount + " rows, got "
                + rows.length);
        }
        byte[] flat = new byte[rows.length * stateCount];
        for (int r = 0; r < rows.length; r++) {
            int[] row = rows[r];
            if (row.length != stateCount) {
                throw new IllegalArgumentException("row " + r + " has " + row.length + " states, expected "
                    + stateCount);
            }
            for (int s = 0; s < stateCount; s++) {
                if (row[s] < 0 || row[s] >= stateCount) {
                    throw new IllegalArgumentException("row " + r + " state " + s + " goes to unknown state "
                        + row[s]);
                }
                flat[r * stateCount + s] = (byte) row[s];
            }
        }
        return flat;
    }

    /** Bit mask with one bit per listed state. */
    static int mask(int... stateList) {
        int m = 0;
        for (int i = 0; i < stateList.length; i++) {
            m |= 1 << stateList[i];
        }
        return m;
    }
}
