package uvs.core.conn;

import static uvs.core.conn.ConnLayout.CADDR;
import static uvs.core.conn.ConnLayout.CONTROL;
import static uvs.core.conn.ConnLayout.DEST;
import static uvs.core.conn.ConnLayout.EXPIRES;
import static uvs.core.conn.ConnLayout.FLAGS;
import static uvs.core.conn.ConnLayout.FLAG_BITS;
import static uvs.core.conn.ConnLayout.FREE;
import static uvs.core.conn.ConnLayout.FWMARK;
import static uvs.core.conn.ConnLayout.IN_PKTS;
import static uvs.core.conn.ConnLayout.LINK;
import static uvs.core.conn.ConnLayout.LOW24;
import static uvs.core.conn.ConnLayout.PACKED_HASHED;
import static uvs.core.conn.ConnLayout.PACKED_NO_CPORT;
import static uvs.core.conn.ConnLayout.PORTS;
import static uvs.core.conn.ConnLayout.PREV;
import static uvs.core.conn.ConnLayout.SYNC_ENDTIME;
import static uvs.core.conn.ConnLayout.TIMEOUT;
import static uvs.core.conn.ConnLayout.WHEEL;
import static uvs.core.conn.ConnLayout.packFlags;
import static uvs.core.conn.ConnLayout.unpackFlags;

import uvs.core.net.Af;

/**
 * The connection table of one address family (the kernel's ip_vs_conn_tab together with the connections'
 * timers), held as flat int storage: no object per connection. Entries are addressed by an int id.
 *
 * <p><b>Storage.</b> One {@code int[]} slab with a fixed number of ints per entry (15 for IPv4, 24 for
 * IPv6), a chained hash index (one int per bucket, the chain link lives in the entry) and a timer wheel
 * (one int per slot, doubly linked lists through the entries). Links are stored as {@code id + 1} in 24
 * bits, which bounds the capacity to {@link #MAX_CAPACITY}. An IPv4 table of at least 256 K entries
 * takes at most 64 bytes per entry in all ({@link #memoryBytes()}). Three parts share the slab: its
 * layout ({@link ConnLayout}: where each field lives), the index ({@link ConnHashIndex}) and the timers
 * ({@link ConnTimerWheel}); this class owns the entries (allocation, fields, argument checks) and is the
 * only way in.
 *
 * <p><b>Index.</b> One hash index keyed on (protocol, client address, client port), as in the kernel,
 * serves the three lookups. New and re-hashed entries go to the head of their chain, so among several
 * matching entries the one hashed last is found (the kernel's hlist_add_head order). The bucket count is
 * the capacity less the ints the wheel takes (for tables of at least 256 K entries), so the load factor
 * stays at or just above 1 (at most 1.34, about 1.07 at 1 M entries).
 *
 * <p><b>Timers.</b> Each live entry sits in a slot of a 65 536-slot wheel of one jiffy per slot (a 262 s
 * horizon at HZ=250). {@link #arm} to a later time only stores the new expiry: the entry is re-filed when
 * its old slot comes due. {@link #arm} to an earlier time moves the entry at once, so an entry always
 * fires in the first {@link #expire} call that reaches its expiry. The walk goes slot by slot and fires
 * only entries whose expiry is not after the slot's time, so entries fire in expiry order (after a gap
 * longer than the wheel, in slot order). Freed entries leave the index and the wheel at once and their id
 * can be reused by the next insert.
 *
 * <p><b>Packed fields.</b> Protocol, state and old state take 8 bits, ports 16, real-server ids 24.
 * Connection flags may use bits 0..14 and NFCT (bit 16), which covers every IP_VS_CONN_F_* bit; the unused
 * bit 15 holds NFCT in storage.
 *
 * <p>Ids passed to getters and setters must be live (the hot path does not check); {@link #free},
 * {@link #arm}, {@link #unhash} and {@link #rehash} do check. Jiffies are compared wrap-safely; the table
 * expects {@link #expire} to be called at least every few days while it holds entries.
 */
public final class ConnTable {
    /** "No entry": returned by lookups that find nothing, stored as "no controller". */
    public static final int NONE = -1;
    /** {@link #destId} of an entry bound to no real server. */
    public static final int NO_DEST = -1;
    /** Largest capacity: ids are stored plus one in 24 bits. */
    public static final int MAX_CAPACITY = 0xFF_FFFF;
    /** Largest real-server id an entry can refer to (also stored plus one in 24 bits). */
    public static final int MAX_DEST_ID = 0xFF_FFFE;
    /** Timer wheel slots, one jiffy each. */
    public static final int WHEEL_SLOTS = 1 << 16;

    private static final int PROTOCOLS = 256;
    // the four arrays' headers, the wheel and the per-protocol counters, in ints: what the index gives up
    private static final int FIXED_INTS = WHEEL_SLOTS + PROTOCOLS + 4 * 16 / Integer.BYTES;
    private static final int SMALL_TABLE = 4 * FIXED_INTS;

    private final int af;
    private final ConnLayout layout;
    // the layout's figures, copied for the getters
    private final int aw;
    private final int tail;
    private final int stride;
    private final int capacity;
    private final int[] slab;
    private final ConnHashIndex index;
    private final ConnTimerWheel timers;
    // live NO_CPORT entries per protocol: the inbound lookup retries with port 0 only when there are some
    private final int[] noCport;

    private int size;
    private int refused;
    private int highWater;
    private int freeHead = NONE;

    /**
     * An empty table.
     *
     * @param af {@link Af#INET} or {@link Af#INET6}
     * @param capacity most live entries, 1..{@link #MAX_CAPACITY}
     * @param hashSeed seed of the index hash
     */
    public ConnTable(int af, int capacity, long hashSeed) {
        if (af != Af.INET && af != Af.INET6) {
            throw new IllegalArgumentException("unknown address family " + af);
        }
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("capacity " + capacity + " outside 1.." + MAX_CAPACITY);
        }
        this.af = af;
        this.layout = new ConnLayout(af);
        this.aw = layout.aw;
        this.tail = layout.tail;
        this.stride = layout.stride;
        this.capacity = capacity;
        this.slab = new int[capacity * stride];
        this.index = new ConnHashIndex(layout, slab, capacity >= SMALL_TABLE ? capacity - FIXED_INTS : capacity,
            hashSeed);
        this.timers = new ConnTimerWheel(layout, slab);
        this.noCport = new int[PROTOCOLS];
    }

    // ---------------------------------------------------------------- sizes

    /** The address family. */
    public int af() {
        return af;
    }

    /** Most live entries. */
    public int capacity() {
        return capacity;
    }

    /** Live entries (hashed or not). */
    public int size() {
        return size;
    }

    /** Inserts refused because the table was full. */
    public int refused() {
        return refused;
    }

    /** Buckets of the hash index. */
    public int bucketCount() {
        return index.bucketCount();
    }

    /** Bytes of one slab entry. */
    public int entryBytes() {
        return stride * Integer.BYTES;
    }

    /** Bytes held by all arrays of the table, headers included. */
    public long memoryBytes() {
        return arrayBytes(slab) + arrayBytes(index.buckets()) + arrayBytes(timers.slots()) + arrayBytes(noCport);
    }

    private static long arrayBytes(int[] a) {
        return 16L + (long) a.length * Integer.BYTES;
    }

    // ---------------------------------------------------------------- insert / free

    /**
     * Adds an entry (ip_vs_conn_new): state and old state 0, no packets, sync end time {@code now & ~3},
     * no controller (a template starts with n_control 0), expiring at {@code now + timeout}.
     *
     * @param flags connection flags; HASHED is ignored (the table keeps it)
     * @param destId real-server id or {@link #NO_DEST}
     * @param hashed false for entries lookups must never find (one-packet connections); they still count
     *     and expire
     * @return the new id, or {@link #NONE} when the table is full (counted in {@link #refused()})
     */
    public int insert(int protocol, long cHi, long cLo, int cport, long vHi, long vLo, int vport,
                      long dHi, long dLo, int dport, int flags, int fwmark, int destId, int timeoutJiffies,
                      int nowJiffies, boolean hashed) {
        checkProtocol(protocol);
        checkPort("client port", cport);
        checkPort("virtual port", vport);
        checkPort("destination port", dport);
        checkAddress("client", cHi, cLo);
        checkAddress("virtual", vHi, vLo);
        checkAddress("destination", dHi, dLo);
        checkFlags(flags);
        checkDestId(destId);
        checkTimeout(timeoutJiffies);
        int id = allocate();
        if (id == NONE) {
            refused++;
            return NONE;
        }
        int f = flags & ~ConnFlags.HASHED;
        int b = id * stride;
        slab[b + LINK] = protocol << 24;
        slab[b + PORTS] = cport << 16 | vport;
        slab[b + FLAGS] = dport << 16 | packFlags(f);
        layout.putAddress(slab, b + CADDR, cHi, cLo);
        layout.putAddress(slab, b + CADDR + aw, vHi, vLo);
        layout.putAddress(slab, b + CADDR + 2 * aw, dHi, dLo);
        int t = b + tail;
        slab[t + DEST] = destId + 1;
        slab[t + WHEEL] = 0;
        slab[t + CONTROL] = (f & ConnFlags.TEMPLATE) != 0 ? 0 : NONE;
        slab[t + FWMARK] = fwmark;
        slab[t + TIMEOUT] = timeoutJiffies;
        int expires = nowJiffies + timeoutJiffies;
        slab[t + EXPIRES] = expires;
        slab[t + IN_PKTS] = 0;
        slab[t + SYNC_ENDTIME] = nowJiffies & ~3;
        if ((f & ConnFlags.NO_CPORT) != 0) {
            noCport[protocol]++;
        }
        if (size == 0) {
            timers.restartEmpty(nowJiffies);
        }
        size++;
        timers.file(id, expires);
        if (hashed) {
            index.hash(id);
        }
        return id;
    }

    private int allocate() {
        if (freeHead != NONE) {
            int id = freeHead;
            freeHead = slab[id * stride + tail + CONTROL] - 1;
            return id;
        }
        return highWater < capacity ? highWater++ : NONE;
    }

    /** Removes a live entry: it leaves the index and the wheel at once and its id becomes reusable. */
    public void free(int id) {
        checkLive(id);
        int b = id * stride;
        int t = b + tail;
        int packed = slab[b + FLAGS];
        if ((packed & PACKED_HASHED) != 0) {
            index.unhash(id);
        }
        if ((packed & PACKED_NO_CPORT) != 0) {
            noCport[slab[b + LINK] >>> 24]--;
        }
        timers.remove(id);
        slab[t + PREV] = FREE;
        slab[t + CONTROL] = freeHead + 1;
        freeHead = id;
        size--;
    }

    /** True if {@code id} names a live entry. */
    public boolean isLive(int id) {
        return id >= 0 && id < highWater && slab[id * stride + tail + PREV] != FREE;
    }

    /** The smallest live id at or after {@code fromId}, or {@link #NONE}: for listings, not the hot path. */
    public int next(int fromId) {
        for (int id = Math.max(fromId, 0); id < highWater; id++) {
            if (slab[id * stride + tail + PREV] != FREE) {
                return id;
            }
        }
        return NONE;
    }

    // ---------------------------------------------------------------- hash index

    /** True if the entry is in the index. */
    public boolean isHashed(int id) {
        return index.isHashed(id);
    }

    /**
     * Takes an entry out of the index (ip_vs_conn_unhash) so that its key can change.
     *
     * @return false if it was not hashed
     */
    public boolean unhash(int id) {
        checkLive(id);
        if (!isHashed(id)) {
            return false;
        }
        index.unhash(id);
        return true;
    }

    /**
     * Puts an unhashed entry (back) into the index under its current key (ip_vs_conn_hash).
     *
     * @throws IllegalStateException if it is already hashed
     */
    public void rehash(int id) {
        checkLive(id);
        if (isHashed(id)) {
            throw new IllegalStateException("connection " + id + " is already hashed");
        }
        index.hash(id);
    }

    // ---------------------------------------------------------------- lookups

    /**
     * Inbound lookup (ip_vs_conn_in_get): a hashed non-template entry with this protocol, client and virtual
     * address and port. An entry with NO_CPORT matches only a query with client port 0 and a query with
     * client port 0 matches only NO_CPORT entries; if nothing matches and NO_CPORT entries of this protocol
     * exist, the lookup is retried with client port 0.
     *
     * @return the entry id or {@link #NONE}
     */
    public int lookupIn(int protocol, long cHi, long cLo, int cport, long vHi, long vLo, int vport) {
        checkProtocol(protocol);
        checkPort("client port", cport);
        checkPort("virtual port", vport);
        if (!fits(cHi, cLo) || !fits(vHi, vLo)) {
            return NONE;
        }
        int id = index.findIn(protocol, cHi, cLo, cport, vHi, vLo, vport);
        if (id == NONE && cport != 0 && noCport[protocol] != 0) {
            id = index.findIn(protocol, cHi, cLo, 0, vHi, vLo, vport);
        }
        return id;
    }

    /**
     * First step of a burst prefetch: the first entry id in the hash bucket of a client key (NONE if the
     * bucket is empty), loading the bucket into cache. Loading the buckets of a whole burst before
     * touching any entry lets their cache misses overlap.
     */
    public int bucketHead(int protocol, long cHi, long cLo, int cport) {
        if ((protocol & ~0xff) != 0 || (cport & ~0xffff) != 0 || !fits(cHi, cLo)) {
            return NONE;
        }
        return index.bucketHead(protocol, cHi, cLo, cport);
    }

    /**
     * Second step of a burst prefetch: loads entry {@code id} (both cache lines it may straddle). Returns a
     * value that only exists to keep the loads from being optimised away.
     */
    public int touch(int id) {
        if (id < 0 || id >= capacity) {
            return 0;
        }
        int b = id * stride;
        return slab[b + LINK] + slab[b + stride - 1];
    }

    /**
     * Reply lookup (ip_vs_conn_out_get) for a packet from a real server to a client: a hashed non-template
     * entry whose destination is {@code rs:rsPort} and whose client is {@code c:cport}.
     *
     * @return the entry id or {@link #NONE}
     */
    public int lookupOut(int protocol, long rsHi, long rsLo, int rsPort, long cHi, long cLo, int cport) {
        checkProtocol(protocol);
        checkPort("real-server port", rsPort);
        checkPort("client port", cport);
        if (!fits(rsHi, rsLo) || !fits(cHi, cLo)) {
            return NONE;
        }
        return index.findOut(protocol, rsHi, rsLo, rsPort, cHi, cLo, cport);
    }

    /**
     * Template lookup (ip_vs_ct_in_get): a hashed TEMPLATE entry with client port 0 and this protocol,
     * client address, virtual address (the fwmark for fwmark services) and virtual port.
     *
     * @return the entry id or {@link #NONE}
     */
    public int lookupTemplate(int protocol, long cHi, long cLo, long vHi, long vLo, int vport) {
        return lookupTemplate(protocol, cHi, cLo, vHi, vLo, vport, NONE);
    }

    /**
     * The next template with this key after {@code after} (NONE: the first), for persistence engines whose
     * templates share a key and differ in their PE data.
     */
    public int lookupTemplate(int protocol, long cHi, long cLo, long vHi, long vLo, int vport, int after) {
        checkProtocol(protocol);
        checkPort("virtual port", vport);
        if (!fits(cHi, cLo) || !fits(vHi, vLo)) {
            return NONE;
        }
        return index.findTemplate(protocol, cHi, cLo, vHi, vLo, vport, after);
    }

    // ---------------------------------------------------------------- timers

    /**
     * Sets the entry's expiry (mod_timer). A later time is only stored; an earlier one moves the entry in
     * the wheel at once. Called from an {@link ExpiryHandler} on the entry being handled, it only stores.
     */
    public void arm(int id, int expiresJiffies) {
        checkLive(id);
        timers.arm(id, expiresJiffies);
    }

    /** The entry's expiry in jiffies. */
    public int expires(int id) {
        return slab[id * stride + tail + EXPIRES];
    }

    /**
     * Walks the wheel up to {@code now}: entries whose expiry has not come yet are re-filed, the others
     * are passed to {@code handler}, in slot order. An entry the handler neither frees nor re-arms to a
     * time after {@code now} fires again on the next tick. After a gap longer than the wheel, the walk
     * covers one wheel turn, so the work stays bounded by the slots plus the entries.
     *
     * @param limit most entries to examine (handled or re-filed) in this call
     * @return entries examined; less than {@code limit} means every entry due by {@code now} was handled
     */
    public int expire(int nowJiffies, ExpiryHandler handler, int limit) {
        return timers.expire(nowJiffies, handler, limit, size == 0);
    }

    // ---------------------------------------------------------------- fields

    /** Connection flags (HASHED set while the entry is in the index). */
    public int flags(int id) {
        return unpackFlags(slab[id * stride + FLAGS]);
    }

    /** Sets the connection flags; the HASHED bit is the table's and is ignored here. */
    public void setFlags(int id, int flags) {
        checkFlags(flags);
        int b = id * stride;
        int word = slab[b + FLAGS];
        int packed = packFlags(flags & ~ConnFlags.HASHED) | (word & PACKED_HASHED);
        if (((word ^ packed) & PACKED_NO_CPORT) != 0) {
            noCport[slab[b + LINK] >>> 24] += (packed & PACKED_NO_CPORT) != 0 ? 1 : -1;
        }
        slab[b + FLAGS] = (word & 0xFFFF_0000) | packed;
    }

    /** IP protocol number. */
    public int protocol(int id) {
        return slab[id * stride + LINK] >>> 24;
    }

    /**
     * Sets the protocol, part of the index key.
     *
     * @throws IllegalStateException if the entry is hashed
     */
    public void setProtocol(int id, int protocol) {
        checkProtocol(protocol);
        checkUnhashed(id);
        int b = id * stride;
        if ((slab[b + FLAGS] & PACKED_NO_CPORT) != 0) {
            noCport[slab[b + LINK] >>> 24]--;
            noCport[protocol]++;
        }
        slab[b + LINK] = protocol << 24 | (slab[b + LINK] & LOW24);
    }

    /** Protocol state (for templates: 0 NONE, 1 ASSURED). */
    public int state(int id) {
        return slab[id * stride + tail + DEST] >>> 24;
    }

    /** Sets the protocol state, 0..255. */
    public void setState(int id, int state) {
        checkByte("state", state);
        int d = id * stride + tail + DEST;
        slab[d] = state << 24 | (slab[d] & LOW24);
    }

    /** State before the last transition (as synced). */
    public int oldState(int id) {
        return slab[id * stride + tail + WHEEL] >>> 24;
    }

    /** Sets the old state, 0..255. */
    public void setOldState(int id, int oldState) {
        checkByte("old state", oldState);
        int w = id * stride + tail + WHEEL;
        slab[w] = oldState << 24 | (slab[w] & LOW24);
    }

    /** Client port. */
    public int cport(int id) {
        return slab[id * stride + PORTS] >>> 16;
    }

    /**
     * Sets the client port, part of the index key (ip_vs_conn_fill_cport).
     *
     * @throws IllegalStateException if the entry is hashed
     */
    public void setCport(int id, int cport) {
        checkPort("client port", cport);
        checkUnhashed(id);
        int p = id * stride + PORTS;
        slab[p] = cport << 16 | (slab[p] & 0xFFFF);
    }

    /** Virtual port. */
    public int vport(int id) {
        return slab[id * stride + PORTS] & 0xFFFF;
    }

    /** Sets the virtual port (not part of the index key). */
    public void setVport(int id, int vport) {
        checkPort("virtual port", vport);
        int p = id * stride + PORTS;
        slab[p] = (slab[p] & 0xFFFF_0000) | vport;
    }

    /** Destination (real-server) port. */
    public int dport(int id) {
        return slab[id * stride + FLAGS] >>> 16;
    }

    /** Sets the destination port. */
    public void setDport(int id, int dport) {
        checkPort("destination port", dport);
        int f = id * stride + FLAGS;
        slab[f] = dport << 16 | (slab[f] & 0xFFFF);
    }

    /** Client address, high half (0 for IPv4). */
    public long caddrHi(int id) {
        return layout.addressHi(slab, id * stride + CADDR);
    }

    /** Client address, low half (IPv4 in the low 32 bits). */
    public long caddrLo(int id) {
        return layout.addressLo(slab, id * stride + CADDR);
    }

    /** Virtual address (or fwmark of a fwmark template), high half. */
    public long vaddrHi(int id) {
        return layout.addressHi(slab, id * stride + CADDR + aw);
    }

    /** Virtual address, low half. */
    public long vaddrLo(int id) {
        return layout.addressLo(slab, id * stride + CADDR + aw);
    }

    /** Destination (real-server) address, high half. */
    public long daddrHi(int id) {
        return layout.addressHi(slab, id * stride + CADDR + 2 * aw);
    }

    /** Destination address, low half. */
    public long daddrLo(int id) {
        return layout.addressLo(slab, id * stride + CADDR + 2 * aw);
    }

    /** Sets the destination address (not part of the index key). */
    public void setDaddr(int id, long hi, long lo) {
        checkAddress("destination", hi, lo);
        layout.putAddress(slab, id * stride + CADDR + 2 * aw, hi, lo);
    }

    /** Firewall mark the connection was created with. */
    public int fwmark(int id) {
        return slab[id * stride + tail + FWMARK];
    }

    /** Sets the firewall mark. */
    public void setFwmark(int id, int fwmark) {
        slab[id * stride + tail + FWMARK] = fwmark;
    }

    /** Current timeout in jiffies (what a timer restart adds to now). */
    public int timeout(int id) {
        return slab[id * stride + tail + TIMEOUT];
    }

    /** Sets the timeout in jiffies (not negative); does not move the timer. */
    public void setTimeout(int id, int timeoutJiffies) {
        checkTimeout(timeoutJiffies);
        slab[id * stride + tail + TIMEOUT] = timeoutJiffies;
    }

    /** Input packets counted for sync. */
    public int inPkts(int id) {
        return slab[id * stride + tail + IN_PKTS];
    }

    /** Sets the input packet count. */
    public void setInPkts(int id, int inPkts) {
        slab[id * stride + tail + IN_PKTS] = inPkts;
    }

    /** Sync end time in jiffies, retries in the low 2 bits. */
    public int syncEndtime(int id) {
        return slab[id * stride + tail + SYNC_ENDTIME];
    }

    /** Sets the sync end time. */
    public void setSyncEndtime(int id, int syncEndtime) {
        slab[id * stride + tail + SYNC_ENDTIME] = syncEndtime;
    }

    /** Id of the controlling entry or {@link #NONE} (for a TEMPLATE entry this int is its n_control). */
    public int control(int id) {
        return slab[id * stride + tail + CONTROL];
    }

    /** Sets the controlling entry: a valid id or {@link #NONE}. */
    public void setControl(int id, int control) {
        if (control < NONE || control >= capacity) {
            throw new IllegalArgumentException("controller id " + control + " outside -1.." + (capacity - 1));
        }
        slab[id * stride + tail + CONTROL] = control;
    }

    /** Number of entries a TEMPLATE entry controls. */
    public int nControl(int id) {
        return slab[id * stride + tail + CONTROL];
    }

    /** Sets the number of controlled entries (not negative). */
    public void setNControl(int id, int nControl) {
        if (nControl < 0) {
            throw new IllegalArgumentException("n_control must not be negative, got " + nControl);
        }
        slab[id * stride + tail + CONTROL] = nControl;
    }

    /** Real-server id or {@link #NO_DEST}. */
    public int destId(int id) {
        return (slab[id * stride + tail + DEST] & LOW24) - 1;
    }

    /** Sets the real-server id: 0..{@link #MAX_DEST_ID} or {@link #NO_DEST}. */
    public void setDestId(int id, int destId) {
        checkDestId(destId);
        int d = id * stride + tail + DEST;
        slab[d] = (slab[d] & ~LOW24) | (destId + 1);
    }

    // ---------------------------------------------------------------- helpers

    // an IPv4 table holds only addresses in the low 32 bits
    private boolean fits(long hi, long lo) {
        return aw == 4 || (hi == 0 && (lo >>> 32) == 0);
    }

    private void checkLive(int id) {
        if (!isLive(id)) {
            throw new IllegalArgumentException("connection " + id + " is not live");
        }
    }

    private void checkUnhashed(int id) {
        if (isHashed(id)) {
            throw new IllegalStateException("connection " + id + " must be unhashed before its key changes");
        }
    }

    private void checkAddress(String what, long hi, long lo) {
        if (!fits(hi, lo)) {
            throw new IllegalArgumentException(what + " address does not fit an IPv4 table");
        }
    }

    private static void checkProtocol(int protocol) {
        checkByte("protocol", protocol);
    }

    private static void checkByte(String what, int value) {
        if ((value & ~0xFF) != 0) {
            throw new IllegalArgumentException(what + " " + value + " outside 0..255");
        }
    }

    private static void checkPort(String what, int port) {
        if ((port & ~0xFFFF) != 0) {
            throw new IllegalArgumentException(what + " " + port + " outside 0..65535");
        }
    }

    private static void checkFlags(int flags) {
        if ((flags & ~FLAG_BITS) != 0) {
            throw new IllegalArgumentException("connection flags 0x" + Integer.toHexString(flags)
                + " have bits outside 0x" + Integer.toHexString(FLAG_BITS));
        }
    }

    private static void checkDestId(int destId) {
        if (destId < NO_DEST || destId > MAX_DEST_ID) {
            throw new IllegalArgumentException("real-server id " + destId + " outside -1.." + MAX_DEST_ID);
        }
    }

    private static void checkTimeout(int timeoutJiffies) {
        if (timeoutJiffies < 0) {
            throw new IllegalArgumentException("timeout must not be negative, got " + timeoutJiffies);
        }
    }
}
