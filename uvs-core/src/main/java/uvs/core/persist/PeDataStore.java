package uvs.core.persist;

import java.util.Arrays;
import org.agrona.collections.Int2IntHashMap;
import org.agrona.collections.IntArrayList;

/**
 * PE data of the templates of one connection table, in fixed 256-byte slots of one array (only
 * templates of services with a persistence engine have any). Owned by the engine's thread.
 */
public final class PeDataStore {
    private static final int SLOT = 256;
    private static final int MISSING = -1;

    private final Int2IntHashMap slotOf = new Int2IntHashMap(MISSING);
    private final IntArrayList freeSlots = new IntArrayList();
    private byte[] data = new byte[SLOT * 64];
    private int nextSlot;

    /** Stores {@code len} bytes of PE data for entry {@code id}, replacing any it had. */
    public void put(int id, byte[] src, int len) {
        int slot = slotOf.get(id);
        if (slot == MISSING) {
            slot = freeSlots.isEmpty() ? nextSlot++ : freeSlots.removeAt(freeSlots.size() - 1);
            if ((slot + 1) * SLOT > data.length) {
                data = Arrays.copyOf(data, data.length * 2);
            }
            slotOf.put(id, slot);
        }
        int base = slot * SLOT;
        data[base] = (byte) len;
        System.arraycopy(src, 0, data, base + 1, len);
    }

    /** Length of entry {@code id}'s PE data, or 0 when it has none. */
    public int length(int id) {
        int slot = slotOf.get(id);
        return slot == MISSING ? 0 : data[slot * SLOT] & 0xff;
    }

    /** Copies entry {@code id}'s PE data into {@code out}; returns its length (0 when none). */
    public int get(int id, byte[] out) {
        int len = length(id);
        if (len > 0) {
            System.arraycopy(data, slotOf.get(id) * SLOT + 1, out, 0, len);
        }
        return len;
    }

    /** True if entry {@code id} holds exactly these bytes. */
    public boolean matches(int id, byte[] key, int len) {
        int slot = slotOf.get(id);
        if (slot == MISSING) {
            return false;
        }
        int base = slot * SLOT;
        return (data[base] & 0xff) == len && Arrays.equals(data, base + 1, base + 1 + len, key, 0, len);
    }

    /** Forgets entry {@code id}'s PE data (when the entry is freed). */
    public void remove(int id) {
        int slot = slotOf.remove(id);
        if (slot != MISSING) {
            freeSlots.addInt(slot);
        }
    }

    /** Number of entries holding PE data. */
    public int size() {
        return slotOf.size();
    }
}
