package uvs.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.agrona.collections.IntArrayList;
import uvs.core.net.IpAddress;
import uvs.core.svc.RealServer;
import uvs.core.svc.ServiceKey;
import uvs.time.Jiffies;

/**
 * Engine-wide ids for real servers (connection entries refer to their server by id) and the kernel's
 * dest trash: a deleted real server stays here, counters and statistics intact, while connections still
 * refer to it, and is revived if the same server is added back to the same service.
 */
final class DestRegistry {
    /** Ids fit the connection table's 24-bit field. */
    static final int MAX_DESTS = 0xFF_FFFF;
    /** How long an unreferenced deleted server is kept (IP_VS_DEST_TRASH_PERIOD). */
    static final int TRASH_PERIOD_SECONDS = 120;

    private RealServer[] byId = new RealServer[64];
    private final IntArrayList freeIds = new IntArrayList();
    private int nextId;
    private final List<RealServer> trash = new ArrayList<>();

    /** Gives {@code d} an id. */
    void register(RealServer d) {
        int id;
        if (!freeIds.isEmpty()) {
            id = freeIds.removeAt(freeIds.size() - 1);
        } else {
            if (nextId >= MAX_DESTS) {
                throw new IpvsException(IpvsException.Op.ADD_DEST, IpvsException.Errno.ENOMEM, "too many real servers");
            }
            id = nextId++;
            if (id >= byId.length) {
                byId = Arrays.copyOf(byId, byId.length * 2);
            }
        }
        byId[id] = d;
        d.id(id);
    }

    /** The server with this id, or null. */
    RealServer get(int id) {
        return id >= 0 && id < byId.length ? byId[id] : null;
    }

    /** Puts a deleted server in the trash, or forgets it at once when nothing refers to it. */
    void trash(RealServer d, int now) {
        d.available(false);
        d.trashedAt(now);
        if (d.refs() > 0) {
            trash.add(d);
        } else {
            release(d);
        }
    }

    /** Takes a server back out of the trash for re-adding, or returns null. */
    RealServer revive(ServiceKey svc, IpAddress addr, int port) {
        for (int i = 0; i < trash.size(); i++) {
            RealServer d = trash.get(i);
            if (d.port() == port && d.address().equals(addr) && d.service().key().equals(svc)) {
                trash.remove(i);
                return d;
            }
        }
        return null;
    }

    /** Notes that a trashed server lost its last reference. */
    void onUnreferenced(RealServer d, int now) {
        if (!d.isAvailable()) {
            d.trashedAt(now);
        }
    }

    /** Frees trashed servers unreferenced for the trash period; returns how many. */
    int collect(int now) {
        int freed = 0;
        int period = Jiffies.fromSeconds(TRASH_PERIOD_SECONDS);
        for (int i = trash.size() - 1; i >= 0; i--) {
            RealServer d = trash.get(i);
            if (d.refs() == 0 && now - d.trashedAt() >= period) {
                trash.remove(i);
                release(d);
                freed++;
            }
        }
        return freed;
    }

    /** Servers in the trash (for listings and tests). */
    List<RealServer> trashed() {
        return List.copyOf(trash);
    }

    private void release(RealServer d) {
        int id = d.id();
        if (id >= 0 && byId[id] == d) {
            byId[id] = null;
            freeIds.addInt(id);
        }
    }
}
