package uvs.net.dataplane;

import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.IdleStrategy;
import uvs.net.io.PacketIo;

/**
 * How a data-plane worker's thread waits when a pass found nothing to do: in poll(2) on its ports for at
 * most {@value #MAX_WAIT_MILLIS} ms, so it wakes as soon as the kernel has a frame (microseconds, no spinning)
 * and the engine's timers still run every millisecond. With several ports each gets a slice. When packets of
 * this shard may also arrive through the inbox (hand-off by client), which poll(2) cannot watch, it parks
 * briefly between non-blocking looks at the ports instead; a worker handing it packets unparks it at once.
 *
 * <p>Why not one of Agrona's: busy spinning would take one of a director's few cores per worker even with
 * no traffic, and a back-off that sleeps adds its sleep to the first packet after a quiet spell.
 */
public final class FrameWaitIdleStrategy implements IdleStrategy {
    /** The longest wait: the engine's timer wheel ticks every millisecond. */
    public static final int MAX_WAIT_MILLIS = 1;
    /** Nanoseconds a handing-off worker parks between looks at its ports and inbox. */
    private static final long HAND_OFF_PARK_NANOS = 100_000;

    private final PacketIo[] ios;
    private final ShardHandOff handOff;

    FrameWaitIdleStrategy(PacketIo[] ios, ShardHandOff handOff) {
        this.ios = ios;
        this.handOff = handOff;
    }

    @Override
    public void idle(int workCount) {
        if (workCount <= 0) {
            idle();
        }
    }

    @Override
    public void idle() {
        if (handOff.byClient()) {
            parkForFramesOrInbox();
            return;
        }
        if (ios.length == 1) {
            ios[0].await(MAX_WAIT_MILLIS);
            return;
        }
        // several ports: look at each in turn, so none waits longer than a slice
        int slice = Math.max(1, MAX_WAIT_MILLIS / ios.length);
        for (PacketIo io : ios) {
            if (io.await(slice)) {
                return;
            }
        }
    }

    private void parkForFramesOrInbox() {
        ShardInbox own = handOff.own();
        own.owner(Thread.currentThread());
        long parks = Math.max(1, MAX_WAIT_MILLIS * 1_000_000L / HAND_OFF_PARK_NANOS);
        for (long k = 0; k < parks; k++) {
            for (PacketIo io : ios) {
                if (io.await(0)) {
                    return;
                }
            }
            if (own.waiting()) {
                return;
            }
            LockSupport.parkNanos(HAND_OFF_PARK_NANOS);
        }
    }

    @Override
    public void reset() {
    }

    @Override
    public String alias() {
        return "frame-wait";
    }
}
