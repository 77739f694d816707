package uvs.sim;

import java.util.Arrays;

/**
 * Which flows send a packet at which tick: a timing wheel of doubly linked lists over flow indices, so that a
 * tick costs the flows due in its slot, not every live flow. A flow may move to another index (the simulator
 * keeps its flows dense) and keeps its place.
 */
final class DueWheel {
    private static final int NONE = -1;

    private final int mask;
    private final int[] head;
    private int[] next = new int[1024];
    private int[] prev = new int[1024];
    private int[] at = new int[1024];
    private int[] taken = new int[1024];

    /** A wheel of {@code slots} (a power of two) ticks; a flow due further ahead waits whole turns. */
    DueWheel(int slots) {
        if (Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots " + slots + " is not a power of two");
        }
        mask = slots - 1;
        head = new int[slots];
        Arrays.fill(head, NONE);
    }

    /** Files flow {@code flow} (not filed now) for tick {@code tick}. */
    void file(int flow, int tick) {
        if (flow >= at.length) {
            int n = Math.max(flow + 1, at.length * 2);
            next = Arrays.copyOf(next, n);
            prev = Arrays.copyOf(prev, n);
            at = Arrays.copyOf(at, n);
        }
        int slot = tick & mask;
        at[flow] = tick;
        prev[flow] = NONE;
        next[flow] = head[slot];
        if (head[slot] != NONE) {
            prev[head[slot]] = flow;
        }
        head[slot] = flow;
    }

    /**
     * Takes every flow filed for exactly {@code tick} off the wheel; they are in {@link #taken()}, the count
     * returned.
     */
    int takeDue(int tick) {
        int n = 0;
        for (int f = head[tick & mask]; f != NONE; ) {
            int after = next[f];
            if (at[f] == tick) {
                unlink(f);
                if (n == taken.length) {
                    taken = Arrays.copyOf(taken, n * 2);
                }
                taken[n++] = f;
            }
            f = after;
        }
        return n;
    }

    /** The flows the last {@link #takeDue} took (valid up to its count). */
    int[] taken() {
        return taken;
    }

    /** Flow {@code from} (filed) now lives at index {@code to} (not filed). */
    void move(int from, int to) {
        at[to] = at[from];
        prev[to] = prev[from];
        next[to] = next[from];
        point(at[to], prev[to], next[to], to, to);
    }

    private void unlink(int f) {
        point(at[f], prev[f], next[f], next[f], prev[f]);
    }

    /**
     * Makes {@code p} (or, for none, the head of {@code tick}'s slot) point forward to {@code forward}, and
     * {@code n} (if any) back to {@code back}.
     */
    private void point(int tick, int p, int n, int forward, int back) {
        if (p == NONE) {
            head[tick & mask] = forward;
        } else {
            next[p] = forward;
        }
        if (n != NONE) {
            prev[n] = back;
        }
    }
}
