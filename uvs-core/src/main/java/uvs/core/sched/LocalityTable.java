package uvs.core.sched;

import java.util.Arrays;
import uvs.time.Jiffies;

/**
 * The lblc/lblcr cache: destination address → value, in 1024 hash chains (as the kernel's
 * {@code ip_vs_lblc_table}), held in flat arrays so that a lookup never allocates. Also runs the
 * kernel's garbage collection: a check every 60 s which, every 30th time it finds the table small enough,
 * drops entries unused for the expiration time, and otherwise trims a table grown past 16 × 1024 entries.
 *
 * @param <V> the cached value: a real server (lblc) or a {@link DestSet} (lblcr)
 */
final class LocalityTable<V> {
    /** Hash bits (CONFIG_IP_VS_LBLC_TAB_BITS / LBLCR default). */
    static final int TAB_BITS = 10;
    /** Number of hash chains. */
    static final int TAB_SIZE = 1 << TAB_BITS;
    /** Entries above which the periodic check trims. */
    static final int MAX_SIZE = TAB_SIZE * 16;
    /** Period of the garbage-collection check. */
    static final int CHECK_EXPIRE_INTERVAL = 60 * Jiffies.HZ;
    /** Idle time after which a trim may drop an entry. */
    static final int ENTRY_TIMEOUT = 6 * 60 * Jiffies.HZ;
    /** Every this many quiet checks, a full expiration check runs instead. */
    static final int COUNT_FOR_FULL_EXPIRATION = 30;

    private static final int TAB_MASK = TAB_SIZE - 1;
    private static final int NIL = -1;
    private static final int INITIAL_CAPACITY = 64;

    private final int[] chain = new int[TAB_SIZE];
    private int[] next = new int[INITIAL_CAPACITY];
    private long[] addrHi = new long[INITIAL_CAPACITY];
    private long[] addrLo = new long[INITIAL_CAPACITY];
    private int[] lastuse = new int[INITIAL_CAPACITY];
    private Object[] values = new Object[INITIAL_CAPACITY];
    /** Head of the list of free slots (linked through {@code next}). */
    private int free = NIL;
    /** Slots ever used; slots at and above it are free. */
    private int used;
    private int entries;
    private int rover;
    private int counter = 1;
    private int nextCheck;

    /** An empty table whose first check is due one interval after {@code now}. */
    LocalityTable(int now) {
        Arrays.fill(chain, NIL);
        nextCheck = now + CHECK_EXPIRE_INTERVAL;
    }

    /** The chain of a folded address: {@code hash_32(fold, 10)}. */
    static int hashKey(int addrFold) {
        return HashFunctions.hash32(addrFold, TAB_BITS);
    }

    /** Number of entries. */
    int entries() {
        return entries;
    }

    /** The slot holding address {@code (hi, lo)} in chain {@code hash}, or -1. */
    int find(int hash, long hi, long lo) {
        for (int e = chain[hash]; e != NIL; e = next[e]) {
            if (addrLo[e] == lo && addrHi[e] == hi) {
                return e;
            }
        }
        return NIL;
    }

    /** Adds a new entry at the head of chain {@code hash} (as hlist_add_head) and returns its slot. */
    int add(int hash, long hi, long lo, V value, int now) {
        int e = allocate();
        addrHi[e] = hi;
        addrLo[e] = lo;
        values[e] = value;
        lastuse[e] = now;
        next[e] = chain[hash];
        chain[hash] = e;
        entries++;
        return e;
    }

    /** The value in slot {@code e}. */
    @SuppressWarnings("unchecked")
    V value(int e) {
        return (V) values[e];
    }

    /** Replaces the value in slot {@code e}. */
    void value(int e, V value) {
        values[e] = value;
    }

    /** Marks slot {@code e} used at {@code now}. */
    void touch(int e, int now) {
        lastuse[e] = now;
    }

    /** Last use of slot {@code e} in jiffies. */
    int lastuse(int e) {
        return lastuse[e];
    }

    /**
     * Runs the periodic check if it is due ({@code ip_vs_lblc_check_expire}).
     *
     * @param expiration lblc_expiration / lblcr_expiration in jiffies, for the full check
     */
    void tick(int now, int expiration) {
        if (Jiffies.before(now, nextCheck)) {
            return;
        }
        checkExpire(now, expiration);
        nextCheck = now + CHECK_EXPIRE_INTERVAL;
    }

    private void checkExpire(int now, int expiration) {
        if (counter % COUNT_FOR_FULL_EXPIRATION == 0) {
            int j = rover;
            for (int i = 0; i < TAB_SIZE; i++) {
                j = (j + 1) & TAB_MASK;
                expireChain(j, now, expiration);
            }
            rover = j;
            counter = 1;
            return;
        }
        if (entries <= MAX_SIZE) {
            counter++;
            return;
        }
        int goal = Math.min((entries - MAX_SIZE) * 4 / 3, MAX_SIZE / 2);
        int j = rover;
        for (int i = 0; i < TAB_SIZE; i++) {
            j = (j + 1) & TAB_MASK;
            goal -= expireChain(j, now, ENTRY_TIMEOUT);
            if (goal <= 0) {
                break;
            }
        }
        rover = j;
    }

    /** Removes the entries of chain {@code h} unused for {@code timeout}; returns how many. */
    private int expireChain(int h, int now, int timeout) {
        int removed = 0;
        int prev = NIL;
        int e = chain[h];
        while (e != NIL) {
            int following = next[e];
            if (Jiffies.before(now, lastuse[e] + timeout)) {
                prev = e;
            } else {
                if (prev == NIL) {
                    chain[h] = following;
                } else {
                    next[prev] = following;
                }
                release(e);
                removed++;
            }
            e = following;
        }
        entries -= removed;
        return removed;
    }

    private int allocate() {
        if (free != NIL) {
            int e = free;
            free = next[e];
            return e;
        }
        if (used == next.length) {
            int cap = used * 2;
            next = Arrays.copyOf(next, cap);
            addrHi = Arrays.copyOf(addrHi, cap);
            addrLo = Arrays.copyOf(addrLo, cap);
            lastuse = Arrays.copyOf(lastuse, cap);
            values = Arrays.copyOf(values, cap);
        }
        return used++;
    }

    private void release(int e) {
        values[e] = null;
        next[e] = free;
        free = e;
    }
}
