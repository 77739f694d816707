package uvs.net.io;

/** Counters of one packet port; written by its worker only, read (racily, as gauges) by monitoring. */
public final class PacketIoStats {
    /** Frames received. */
    public long rxFrames;
    /** Bytes received. */
    public long rxBytes;
    /** Frames the kernel dropped because the receive ring was full (PACKET_STATISTICS tp_drops). */
    public long rxDropped;
    /** Frames sent. */
    public long txFrames;
    /** Bytes sent. */
    public long txBytes;
    /** Frames that could not be sent. */
    public long txDropped;

    /** Sets every count to 0 (before summing ports into these). */
    public void clear() {
        rxFrames = 0;
        rxBytes = 0;
        rxDropped = 0;
        txFrames = 0;
        txBytes = 0;
        txDropped = 0;
    }

    /** Adds {@code o}'s counts to these (monitoring's sum over ports). */
    public void add(PacketIoStats o) {
        rxFrames += o.rxFrames;
        rxBytes += o.rxBytes;
        rxDropped += o.rxDropped;
        txFrames += o.txFrames;
        txBytes += o.txBytes;
        txDropped += o.txDropped;
    }
}
