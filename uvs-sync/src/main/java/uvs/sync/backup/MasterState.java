package uvs.sync.backup;

import uvs.sync.ext.ReplayWindow;

/**
 * What a backup knows about one master, identified by the sender id of its UVS trailer: a replay window
 * per port (authenticated mode), an {@link OrderedStream} per port and the state of the backup's resync
 * request (reliable mode). Slots are reused when a master is forgotten. Engine thread only.
 */
final class MasterState {
    final ReplayWindow[] windows;
    final OrderedStream[] streams;
    boolean inUse;
    int senderId;
    int lastHeard;
    /** Where requests go: the port and transport handle the master was last heard on. */
    int requestPort;
    int requestPeer;
    /** Ports this master was heard on; numbering on a port is known only from then on. */
    long heardPorts;
    /** A resync is needed but waits until the master was heard on every port. */
    boolean resyncWanted;
    boolean resyncPending;
    int resyncStarted;
    int lastRequest;
    int lastResyncActivity;
    /** Ports whose RESYNC_DONE named this backup since the request. */
    long doneMask;

    MasterState(int ports, boolean reliable, int holdBack, int slotSize) {
        windows = new ReplayWindow[ports];
        streams = reliable ? new OrderedStream[ports] : null;
        for (int i = 0; i < ports; i++) {
            windows[i] = new ReplayWindow();
            if (reliable) {
                streams[i] = new OrderedStream(holdBack, slotSize);
            }
        }
    }

    /** Takes the slot for master {@code id}, heard now, with nothing known about it. */
    void reset(int id, int now) {
        inUse = true;
        senderId = id;
        lastHeard = now;
        heardPorts = 0;
        resyncWanted = false;
        resyncPending = false;
        doneMask = 0;
        for (int i = 0; i < windows.length; i++) {
            windows[i].reset();
            if (streams != null) {
                streams[i].reset();
            }
        }
    }
}
