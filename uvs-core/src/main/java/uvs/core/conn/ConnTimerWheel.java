package uvs.core.conn;

import static uvs.core.conn.ConnLayout.DETACHED;
import static uvs.core.conn.ConnLayout.EXPIRES;
import static uvs.core.conn.ConnLayout.LOW24;
import static uvs.core.conn.ConnLayout.PREV;
import static uvs.core.conn.ConnLayout.WHEEL;

import java.util.Objects;

/**
 * The timers of a {@link ConnTable}'s entries: a wheel of one-jiffy slots, each a doubly linked list through
 * the entries' WHEEL and PREV words. Arming to a later time only stores the expiry (the entry is re-filed
 * when its old slot comes due); arming to an earlier time moves it at once. Callers check ids.
 */
final class ConnTimerWheel {
    private static final int NONE = ConnTable.NONE;
    private static final int SLOTS = ConnTable.WHEEL_SLOTS;
    private static final int MASK = SLOTS - 1;

    private final int[] slab;
    private final int stride;
    private final int tail;
    // list head + 1 per slot, 0 = empty
    private final int[] wheel = new int[SLOTS];
    // the next jiffy the wheel has to walk; every earlier one is done
    private int clock;
    private boolean expiring;

    ConnTimerWheel(ConnLayout layout, int[] slab) {
        this.slab = slab;
        this.stride = layout.stride;
        this.tail = layout.tail;
    }

    /** The slot array, for the table's memory figure. */
    int[] slots() {
        return wheel;
    }

    /**
     * An empty wheel may restart anywhere, which keeps the walk short and wrap-safe after idle periods; only a
     * tick already walked (clock = now + 1) is kept, as for a non-empty wheel.
     */
    void restartEmpty(int nowJiffies) {
        if (!expiring && clock - nowJiffies != 1) {
            clock = nowJiffies;
        }
    }

    /** Sets a filed (or detached, in a handler) entry's expiry; see {@link ConnTable#arm}. */
    void arm(int id, int expiresJiffies) {
        int t = id * stride + tail;
        int old = slab[t + EXPIRES];
        slab[t + EXPIRES] = expiresJiffies;
        if (expiresJiffies - old < 0 && slab[t + PREV] != DETACHED) {
            unlink(id);
            file(id, expiresJiffies);
        }
    }

    /** Takes an entry off the wheel if it is on it (a freed entry). */
    void remove(int id) {
        if (slab[id * stride + tail + PREV] != DETACHED) {
            unlink(id);
        }
    }

    /** See {@link ConnTable#expire}; {@code empty}: the table holds no entry. */
    int expire(int nowJiffies, ExpiryHandler handler, int limit, boolean empty) {
        Objects.requireNonNull(handler, "handler");
        if (limit < 1) {
            throw new IllegalArgumentException("expiry limit must be positive, got " + limit);
        }
        if (expiring) {
            throw new IllegalStateException("expire called from an expiry handler");
        }
        if (empty) {
            clock = nowJiffies + 1;
            return 0;
        }
        if (nowJiffies - clock < 0) {
            return 0;
        }
        if (nowJiffies - clock >= SLOTS - 1) {
            rebase(nowJiffies);
        }
        expiring = true;
        int done = 0;
        int current = NONE;
        try {
            while (done < limit && nowJiffies - clock >= 0) {
                int head = wheel[clock & MASK];
                if (head == 0) {
                    clock++;
                    continue;
                }
                current = head - 1;
                unlink(current);
                done++;
                int t = current * stride + tail;
                int expires = slab[t + EXPIRES];
                if (expires - clock > 0) {
                    file(current, expires);
                    continue;
                }
                handler.onExpire(current);
                if (slab[t + PREV] == DETACHED) {
                    int later = slab[t + EXPIRES];
                    file(current, later - nowJiffies > 0 ? later : nowJiffies + 1);
                }
                current = NONE;
            }
        } finally {
            expiring = false;
            if (current != NONE && slab[current * stride + tail + PREV] == DETACHED) {
                // the handler threw: keep the entry on the wheel rather than lose its timer
                file(current, nowJiffies + 1);
            }
        }
        return done;
    }

    /**
     * Moves the walk position to one wheel turn before {@code now} after a long gap. Every filed entry is
     * due for a visit, and each slot now stands for a time in [now - SLOTS + 2, now + 1]; the one slot
     * that stands for now + 1 is emptied into the slot of now, so the walk reaches every entry.
     */
    private void rebase(int now) {
        clock = now - (SLOTS - 2);
        int from = (now + 1) & MASK;
        int to = now & MASK;
        while (wheel[from] != 0) {
            int id = wheel[from] - 1;
            unlink(id);
            push(to, id);
        }
    }

    /** Files the entry in the slot of its expiry, clamped to the wheel's window. */
    void file(int id, int expires) {
        int d = expires - clock;
        if (d < 0) {
            d = 0;
        } else if (d >= SLOTS) {
            d = SLOTS - 1;
        }
        push((clock + d) & MASK, id);
    }

    private void push(int slot, int id) {
        int t = id * stride + tail;
        int head1 = wheel[slot];
        slab[t + WHEEL] = (slab[t + WHEEL] & ~LOW24) | head1;
        slab[t + PREV] = -(slot + 1);
        if (head1 != 0) {
            slab[(head1 - 1) * stride + tail + PREV] = id + 1;
        }
        wheel[slot] = id + 1;
    }

    private void unlink(int id) {
        int t = id * stride + tail;
        int prev = slab[t + PREV];
        int next1 = slab[t + WHEEL] & LOW24;
        if (prev > 0) {
            int pt = (prev - 1) * stride + tail;
            slab[pt + WHEEL] = (slab[pt + WHEEL] & ~LOW24) | next1;
        } else {
            wheel[-prev - 1] = next1;
        }
        if (next1 != 0) {
            slab[(next1 - 1) * stride + tail + PREV] = prev;
        }
        slab[t + WHEEL] &= ~LOW24;
        slab[t + PREV] = DETACHED;
    }
}
