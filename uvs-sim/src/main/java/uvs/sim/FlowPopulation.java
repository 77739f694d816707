package uvs.sim;

import java.util.Arrays;

/**
 * The live flows, as a struct of arrays indexed by flow: dense (a flow that ends is replaced by the last one)
 * and filed in a {@link DueWheel} by the tick of their next packet. The simulation reads and writes the arrays
 * directly, as a packet path reads a flyweight; only {@link #add()} and {@link #remove(int)} change the size.
 */
final class FlowPopulation {
    private static final int INITIAL = 1024;

    /** The live flows by the tick of their next packet (the only record of that tick). */
    private final DueWheel wheel = new DueWheel(1 << 14);
    private int size;

    int[] client = new int[INITIAL];
    int[] port = new int[INITIAL];
    /** Tick of the flow's SYN. */
    int[] start = new int[INITIAL];
    /** Packets sent so far. */
    int[] sent = new int[INITIAL];
    /** Real server the flow had when traffic moved (to check where its next packet goes), 0 = none. */
    int[] failDest = new int[INITIAL];
    /** Real server its latest packet was forwarded to, 0 = dropped. */
    int[] dest = new int[INITIAL];
    /** ECMP: index of the director the flow hashes to while it is in the next-hop group. */
    byte[] owner = new byte[INITIAL];
    /** ECMP: the flow's second hash, which picks its survivor while its director is out of the group. */
    int[] alt = new int[INITIAL];
    /** Index of the last packet (packets - 1). */
    int[] last = new int[INITIAL];
    /** Ticks between two packets. */
    int[] gap = new int[INITIAL];
    /** Index of the packet after which the idle pause comes, -1 = none. */
    int[] idleAt = new int[INITIAL];
    /** Ticks of the idle pause. */
    int[] idle = new int[INITIAL];
    /** Tick its 3rd packet (the one that syncs it; the 2nd when it has only 2) was sent, -1 = not yet. */
    int[] syncAt = new int[INITIAL];
    /** How it ends: {@link CloseMix#FIN}, {@link CloseMix#RST} or {@link CloseMix#ABANDON}. */
    byte[] close = new byte[INITIAL];
    /** To the non-persistent service (port 443). */
    boolean[] plain = new boolean[INITIAL];

    /** The virtual port of flow {@code i}: the persistent service's 80 or the plain one's. */
    int vport(int i) {
        return plain[i] ? SimDirector.PLAIN_PORT : 80;
    }

    /** Live flows: indices 0..size-1. */
    int size() {
        return size;
    }

    /** A new flow's index; the caller sets its fields and files it. */
    int add() {
        if (size == client.length) {
            grow(size * 2);
        }
        return size++;
    }

    /** Files flow {@code i} for its next packet at {@code tick}. */
    void file(int i, int tick) {
        wheel.file(i, tick);
    }

    /** Takes the flows due at {@code tick} out of the wheel: their count; the flows are {@link #taken()}. */
    int takeDue(int tick) {
        return wheel.takeDue(tick);
    }

    /** The flows the last {@link #takeDue(int)} took. */
    int[] taken() {
        return wheel.taken();
    }

    /** Flow {@code i} is gone: the last flow takes its index (and its place in the wheel). */
    void remove(int i) {
        size--;
        if (i == size) {
            return;
        }
        int from = size;
        wheel.move(from, i);
        client[i] = client[from];
        port[i] = port[from];
        start[i] = start[from];
        sent[i] = sent[from];
        failDest[i] = failDest[from];
        dest[i] = dest[from];
        owner[i] = owner[from];
        alt[i] = alt[from];
        last[i] = last[from];
        gap[i] = gap[from];
        idleAt[i] = idleAt[from];
        idle[i] = idle[from];
        syncAt[i] = syncAt[from];
        close[i] = close[from];
        plain[i] = plain[from];
    }

    private void grow(int n) {
        client = Arrays.copyOf(client, n);
        port = Arrays.copyOf(port, n);
        start = Arrays.copyOf(start, n);
        sent = Arrays.copyOf(sent, n);
        failDest = Arrays.copyOf(failDest, n);
        dest = Arrays.copyOf(dest, n);
        owner = Arrays.copyOf(owner, n);
        alt = Arrays.copyOf(alt, n);
        last = Arrays.copyOf(last, n);
        gap = Arrays.copyOf(gap, n);
        idleAt = Arrays.copyOf(idleAt, n);
        idle = Arrays.copyOf(idle, n);
        syncAt = Arrays.copyOf(syncAt, n);
        close = Arrays.copyOf(close, n);
        plain = Arrays.copyOf(plain, n);
    }
}
