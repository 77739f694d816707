package uvs.core.conn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import uvs.core.net.Af;
import uvs.core.net.IpProto;

/**
 * Drives a {@link ConnTable} and a plain reference model (hash maps of records, expiry by scanning) with
 * the same random operations and compares every answer: inserts from a small key space (so duplicates,
 * NO_CPORT retries and template/connection clashes happen), the three lookups, re-arms earlier and later,
 * frees, key changes with unhash/rehash, time jumps small and larger than the wheel, expiry with handlers
 * that free, re-arm, leave, free others or insert, and capacity overflow.
 *
 * <p>Model rules, from the kernel: a lookup returns, among the hashed entries that match, the one hashed
 * last; an expiry call fires exactly the live entries whose expiry is not after now (and only those), except
 * that an entry the handler leaves due fires again on a later call.
 */
class ConnTableModelTest {
    private static final long UNLIMITED = Integer.MAX_VALUE;

    @Test
    void shouldMatchModelWithSmallIpv4Table() {
        new Run(Af.INET, 48, 0x5eed_0001L, 1_000_000, 123_456).go();
    }

    @Test
    void shouldMatchModelWithLargerIpv4Table() {
        new Run(Af.INET, 400, 0x5eed_0002L, 1_000_000, -987_654_321).go();
    }

    @Test
    void shouldMatchModelWithIpv6Table() {
        new Run(Af.INET6, 200, 0x5eed_0003L, 1_000_000, 42).go();
    }

    @Test
    void shouldMatchModelAcrossJiffiesWrap() {
        new Run(Af.INET, 120, 0x5eed_0004L, 1_000_000, Integer.MAX_VALUE - 300_000).go();
    }

    private record Key(int protocol, long hi, long lo, int port) {
    }

    /** What the model knows of one entry. */
    private static final class Entry {
        int id;
        int index;
        int protocol;
        long cHi;
        long cLo;
        int cport;
        long vHi;
        long vLo;
        int vport;
        long dHi;
        long dLo;
        int dport;
        int flags;
        int fwmark;
        int destId;
        int timeout;
        int expires;
        int state;
        int oldState;
        int inPkts;
        int syncEndtime;
        int control;
        boolean hashed;
        long hashSeq;
        int firedRound = -1;

        boolean template() {
            return (flags & ConnFlags.TEMPLATE) != 0;
        }

        boolean noCport() {
            return (flags & ConnFlags.NO_CPORT) != 0;
        }

        Key key() {
            return new Key(protocol, cHi, cLo, cport);
        }
    }

    private static final class Run implements ExpiryHandler {
        private static final int[] PROTOCOLS = {IpProto.TCP, IpProto.UDP, IpProto.IP};
        private static final int[] CPORTS = {0, 1, 2, 1024, 65535};
        private static final int[] VPORTS = {0, 80, 443};
        private static final int[] DPORTS = {80, 8080};
        private static final int[] BASE_FLAGS = {0, ConnFlags.INACTIVE, ConnFlags.DROUTE | ConnFlags.NOOUTPUT,
            ConnFlags.NFCT | ConnFlags.SYNC, ConnFlags.SEQ_MASK | ConnFlags.TUNNEL};

        private final int af;
        private final int capacity;
        private final long seed;
        private final int steps;
        private final SplittableRandom random;
        private final ConnTable table;
        private final long[][] clients;
        private final long[][] vips;
        private final long[][] rips;

        private final Map<Integer, Entry> live = new HashMap<>();
        private final List<Entry> liveList = new ArrayList<>();
        private final Map<Key, List<Entry>> index = new HashMap<>();
        private long hashSeq;
        private int refused;
        private int now;
        private int step;
        private int round;
        private int firedThisRound;
        private boolean expiredToNow;
        private long found;
        private long retryHits;
        private long fired;
        private long longJumps;

        Run(int af, int capacity, long seed, int steps, int start) {
            this.af = af;
            this.capacity = capacity;
            this.seed = seed;
            this.steps = steps;
            this.random = new SplittableRandom(seed);
            this.table = new ConnTable(af, capacity, seed * 31);
            this.now = start;
            if (af == Af.INET) {
                clients = new long[][] {{0, 0xc0a8_0001L}, {0, 0xc0a8_0002L}, {0, 0xffff_ffffL}};
                vips = new long[][] {{0, 0x0a00_0001L}, {0, 7}};
                rips = new long[][] {{0, 0x0a01_0001L}, {0, 0x0a01_0002L}};
            } else {
                // addresses that differ in a single 32-bit word
                clients = new long[][] {{0x2001_0db8_0000_0000L, 1}, {0x2001_0db8_0000_0001L, 1},
                    {0x2001_0db8_0000_0000L, 1L << 32 | 1}};
                vips = new long[][] {{0x2001_0db8_ffff_0000L, 1}, {0, 7}};
                rips = new long[][] {{0xfd00_0000_0000_0000L, 5}, {0xfd00_0000_0000_0001L, 5}};
            }
        }

        void go() {
            for (step = 0; step < steps; step++) {
                int op = random.nextInt(100);
                if (op < 22) {
                    insert();
                } else if (op < 37) {
                    lookupIn();
                } else if (op < 47) {
                    lookupOut();
                } else if (op < 56) {
                    lookupTemplate();
                } else if (op < 66) {
                    arm();
                } else if (op < 73) {
                    freeRandom();
                } else if (op < 77) {
                    rekey();
                } else if (op < 79) {
                    rehashRandom();
                } else if (op < 82) {
                    setFlagsRandom();
                } else if (op < 86) {
                    setOtherField();
                } else if (op < 89) {
                    verifyRandom();
                } else if (random.nextInt(1000) < 5) {
                    fill();
                } else {
                    advanceAndExpire();
                }
                expect(table.size(), live.size(), "size");
                expect(table.refused(), refused, "refused");
                if (step % 50_000 == 0) {
                    verifyIteration();
                }
            }
            verifyIteration();
            // the run really covered what it is meant to
            assertThat(found).as("seed %d: lookups that found an entry", seed).isGreaterThan(steps / 20);
            assertThat(retryHits).as("seed %d: inbound hits through the client-port-0 retry", seed).isPositive();
            assertThat(refused).as("seed %d: inserts refused", seed).isPositive();
            assertThat(fired).as("seed %d: expiries", seed).isGreaterThan(steps / 20);
            assertThat(longJumps).as("seed %d: jumps longer than the wheel", seed).isPositive();
        }

        // ------------------------------------------------------------ operations

        private void insert() {
            insertAt(now);
        }

        private void insertAt(int at) {
            int protocol = PROTOCOLS[random.nextInt(PROTOCOLS.length)];
            long[] c = clients[random.nextInt(clients.length)];
            long[] v = vips[random.nextInt(vips.length)];
            long[] d = rips[random.nextInt(rips.length)];
            int cport = CPORTS[random.nextInt(CPORTS.length)];
            int flags = BASE_FLAGS[random.nextInt(BASE_FLAGS.length)];
            int kind = random.nextInt(100);
            if (kind < 15) {
                flags |= ConnFlags.TEMPLATE;
                cport = random.nextInt(10) == 0 ? cport : 0;
            } else if (kind < 30) {
                flags |= ConnFlags.NO_CPORT;
                cport = random.nextInt(10) == 0 ? cport : 0;
            }
            Entry e = new Entry();
            e.protocol = protocol;
            e.cHi = c[0];
            e.cLo = c[1];
            e.cport = cport;
            e.vHi = v[0];
            e.vLo = v[1];
            e.vport = VPORTS[random.nextInt(VPORTS.length)];
            e.dHi = d[0];
            e.dLo = d[1];
            e.dport = DPORTS[random.nextInt(DPORTS.length)];
            e.flags = flags;
            e.fwmark = random.nextInt(4);
            e.destId = random.nextInt(-1, 50);
            e.timeout = randomTimeout();
            boolean hashed = random.nextInt(100) < 92;
            int id = table.insert(e.protocol, e.cHi, e.cLo, e.cport, e.vHi, e.vLo, e.vport, e.dHi, e.dLo, e.dport,
                e.flags, e.fwmark, e.destId, e.timeout, at, hashed);
            if (live.size() == capacity) {
                expect(id, ConnTable.NONE, "insert into a full table");
                refused++;
                return;
            }
            expectTrue(id >= 0 && id < capacity && !live.containsKey(id), "insert gives a free id, got " + id);
            e.id = id;
            e.expires = at + e.timeout;
            e.syncEndtime = at & ~3;
            e.control = e.template() ? 0 : ConnTable.NONE;
            e.index = liveList.size();
            liveList.add(e);
            live.put(id, e);
            if (hashed) {
                hash(e);
            }
        }

        // inserts until the table is full and a few more, which must be refused
        private void fill() {
            for (int i = capacity - live.size() + random.nextInt(1, 5); i > 0; i--) {
                insert();
            }
        }

        private int randomTimeout() {
            int r = random.nextInt(100);
            if (r < 80) {
                return random.nextInt(300);
            }
            return r < 95 ? random.nextInt(300, 20_000) : random.nextInt(20_000, 400_000);
        }

        private void lookupIn() {
            int protocol;
            long[] c;
            int cport;
            long[] v;
            int vport;
            Entry e = randomLive();
            if (e != null && random.nextBoolean()) {
                protocol = e.protocol;
                c = new long[] {e.cHi, e.cLo};
                cport = random.nextInt(4) == 0 ? CPORTS[random.nextInt(CPORTS.length)] : e.cport;
                v = new long[] {e.vHi, e.vLo};
                vport = e.vport;
            } else {
                protocol = PROTOCOLS[random.nextInt(PROTOCOLS.length)];
                c = clients[random.nextInt(clients.length)];
                cport = CPORTS[random.nextInt(CPORTS.length)];
                v = vips[random.nextInt(vips.length)];
                vport = VPORTS[random.nextInt(VPORTS.length)];
            }
            Entry want = findIn(protocol, c, cport, v, vport);
            if (want == null && cport != 0) {
                want = findIn(protocol, c, 0, v, vport);
                retryHits += want == null ? 0 : 1;
            }
            int got = table.lookupIn(protocol, c[0], c[1], cport, v[0], v[1], vport);
            expect(got, want == null ? ConnTable.NONE : want.id, "lookupIn");
            found += want == null ? 0 : 1;
        }

        private Entry findIn(int protocol, long[] c, int cport, long[] v, int vport) {
            Entry best = null;
            for (Entry e : index.getOrDefault(new Key(protocol, c[0], c[1], cport), List.of())) {
                if (!e.template() && e.vHi == v[0] && e.vLo == v[1] && e.vport == vport
                    && (cport == 0) == e.noCport() && (best == null || e.hashSeq > best.hashSeq)) {
                    best = e;
                }
            }
            return best;
        }

        private void lookupOut() {
            int protocol;
            long[] c;
            int cport;
            long[] d;
            int dport;
            Entry e = randomLive();
            if (e != null && random.nextBoolean()) {
                protocol = e.protocol;
                c = new long[] {e.cHi, e.cLo};
                cport = e.cport;
                d = new long[] {e.dHi, e.dLo};
                dport = e.dport;
            } else {
                protocol = PROTOCOLS[random.nextInt(PROTOCOLS.length)];
                c = clients[random.nextInt(clients.length)];
                cport = CPORTS[random.nextInt(CPORTS.length)];
                d = rips[random.nextInt(rips.length)];
                dport = DPORTS[random.nextInt(DPORTS.length)];
            }
            Entry best = null;
            for (Entry x : index.getOrDefault(new Key(protocol, c[0], c[1], cport), List.of())) {
                if (!x.template() && x.dHi == d[0] && x.dLo == d[1] && x.dport == dport
                    && (best == null || x.hashSeq > best.hashSeq)) {
                    best = x;
                }
            }
            int got = table.lookupOut(protocol, d[0], d[1], dport, c[0], c[1], cport);
            expect(got, best == null ? ConnTable.NONE : best.id, "lookupOut");
            found += best == null ? 0 : 1;
        }

        private void lookupTemplate() {
            int protocol;
            long[] c;
            long[] v;
            int vport;
            Entry e = randomLive();
            if (e != null && random.nextBoolean()) {
                protocol = e.protocol;
                c = new long[] {e.cHi, e.cLo};
                v = new long[] {e.vHi, e.vLo};
                vport = e.vport;
            } else {
                protocol = PROTOCOLS[random.nextInt(PROTOCOLS.length)];
                c = clients[random.nextInt(clients.length)];
                v = vips[random.nextInt(vips.length)];
                vport = VPORTS[random.nextInt(VPORTS.length)];
            }
            Entry best = null;
            for (Entry x : index.getOrDefault(new Key(protocol, c[0], c[1], 0), List.of())) {
                if (x.template() && x.vHi == v[0] && x.vLo == v[1] && x.vport == vport
                    && (best == null || x.hashSeq > best.hashSeq)) {
                    best = x;
                }
            }
            int got = table.lookupTemplate(protocol, c[0], c[1], v[0], v[1], vport);
            expect(got, best == null ? ConnTable.NONE : best.id, "lookupTemplate");
            found += best == null ? 0 : 1;
        }

        private void arm() {
            Entry e = randomLive();
            if (e == null) {
                return;
            }
            int at = random.nextInt(100) < 85 ? now + random.nextInt(-30, 600) : now + random.nextInt(600, 400_000);
            table.arm(e.id, at);
            e.expires = at;
            expect(table.expires(e.id), at, "expires after arm");
        }

        private void freeRandom() {
            Entry e = randomLive();
            if (e != null) {
                free(e);
            }
        }

        private void free(Entry e) {
            table.free(e.id);
            if (e.hashed) {
                unhash(e);
            }
            live.remove(e.id);
            Entry last = liveList.removeLast();
            if (last != e) {
                liveList.set(e.index, last);
                last.index = e.index;
            }
            expectTrue(!table.isLive(e.id), "freed entry is not live");
        }

        private void rekey() {
            Entry e = randomLive();
            if (e == null) {
                return;
            }
            boolean was = table.unhash(e.id);
            expectTrue(was == e.hashed, "unhash reports whether the entry was hashed");
            if (e.hashed) {
                unhash(e);
            }
            switch (random.nextInt(4)) {
                case 0 -> {
                    e.cport = CPORTS[random.nextInt(CPORTS.length)];
                    table.setCport(e.id, e.cport);
                    if (e.noCport() && e.cport != 0) {
                        setFlags(e, e.flags & ~ConnFlags.NO_CPORT);
                    }
                }
                case 1 -> {
                    e.vport = random.nextBoolean() ? 0xffff : VPORTS[random.nextInt(VPORTS.length)];
                    table.setVport(e.id, e.vport);
                }
                case 2 -> {
                    e.protocol = PROTOCOLS[random.nextInt(PROTOCOLS.length)];
                    table.setProtocol(e.id, e.protocol);
                }
                default -> setFlags(e, e.flags ^ (random.nextBoolean() ? ConnFlags.NO_CPORT : ConnFlags.TEMPLATE));
            }
            if (random.nextInt(10) < 7) {
                table.rehash(e.id);
                hash(e);
            }
        }

        private void rehashRandom() {
            Entry e = randomLive();
            if (e != null && !e.hashed) {
                table.rehash(e.id);
                hash(e);
            }
        }

        private void setFlagsRandom() {
            Entry e = randomLive();
            if (e != null) {
                int keep = e.flags & (ConnFlags.TEMPLATE | ConnFlags.NO_CPORT);
                int flip = random.nextInt(20) == 0 ? ConnFlags.NO_CPORT : 0;
                setFlags(e, (BASE_FLAGS[random.nextInt(BASE_FLAGS.length)] | keep) ^ flip);
            }
        }

        private void setFlags(Entry e, int flags) {
            // HASHED in the argument is ignored by the table
            table.setFlags(e.id, flags | (random.nextBoolean() ? ConnFlags.HASHED : 0));
            e.flags = flags;
        }

        private void setOtherField() {
            Entry e = randomLive();
            if (e == null) {
                return;
            }
            switch (random.nextInt(10)) {
                case 0 -> table.setState(e.id, e.state = random.nextInt(256));
                case 1 -> table.setOldState(e.id, e.oldState = random.nextInt(256));
                case 2 -> table.setInPkts(e.id, e.inPkts = random.nextInt());
                case 3 -> table.setFwmark(e.id, e.fwmark = random.nextInt());
                case 4 -> table.setDestId(e.id, e.destId = random.nextInt(-1, ConnTable.MAX_DEST_ID + 1));
                case 5 -> table.setControl(e.id, e.control = random.nextInt(-1, capacity));
                case 6 -> table.setSyncEndtime(e.id, e.syncEndtime = random.nextInt());
                case 7 -> table.setTimeout(e.id, e.timeout = random.nextInt(0, Integer.MAX_VALUE));
                case 8 -> {
                    long[] d = rips[random.nextInt(rips.length)];
                    e.dHi = d[0];
                    e.dLo = d[1];
                    table.setDaddr(e.id, e.dHi, e.dLo);
                }
                default -> table.setDport(e.id, e.dport = DPORTS[random.nextInt(DPORTS.length)]);
            }
        }

        private void advanceAndExpire() {
            int r = random.nextInt(1000);
            int delta;
            if (r < 850) {
                delta = random.nextInt(16);
            } else if (r < 970) {
                delta = random.nextInt(16, 2_000);
            } else if (r < 995) {
                delta = random.nextInt(2_000, 70_000);
            } else {
                delta = random.nextInt(70_000, 3_000_000);
                longJumps++;
            }
            // once a call has walked up to now, what becomes due at now waits for the next tick
            boolean sameTick = delta == 0 && expiredToNow;
            now += delta;
            round++;
            firedThisRound = 0;
            if (random.nextInt(100) < 85) {
                int examined = table.expire(now, this, (int) UNLIMITED);
                expectTrue(examined < UNLIMITED, "unlimited expiry finishes");
            } else {
                int limit = random.nextInt(1, 6);
                int calls = 0;
                while (table.expire(now, this, limit) == limit) {
                    expectTrue(++calls < 1_000_000, "limited expiry makes progress");
                }
            }
            expiredToNow = true;
            if (sameTick) {
                expect(firedThisRound, 0, "entries fired twice in one tick");
                return;
            }
            for (Entry e : liveList) {
                if (e.expires - now <= 0 && e.firedRound != round) {
                    expectTrue(false, "entry " + e.id + " due at " + e.expires + " did not fire by " + now);
                }
            }
        }

        @Override
        public void onExpire(int id) {
            Entry e = live.get(id);
            expectTrue(e != null, "fired entry " + id + " is live");
            expectTrue(e.expires - now <= 0, "entry " + id + " due at " + e.expires + " fired early at " + now);
            // the handler below never moves an entry that already fired to an earlier time
            expectTrue(e.firedRound != round, "entry " + id + " fired twice in one call");
            e.firedRound = round;
            firedThisRound++;
            fired++;
            int r = random.nextInt(100);
            if (r < 55) {
                free(e);
            } else if (r < 80) {
                int at = now + random.nextInt(1, 500);
                table.arm(id, at);
                e.expires = at;
            } else if (r < 90) {
                return;
            } else if (r < 95) {
                Entry other = randomLive();
                free(other);
            } else {
                free(e);
                insertAt(now - random.nextInt(0, 50));
            }
        }

        // ------------------------------------------------------------ checks

        private void verifyRandom() {
            Entry e = randomLive();
            if (e == null) {
                return;
            }
            int id = e.id;
            expectTrue(table.isLive(id), "live");
            expectTrue(table.isHashed(id) == e.hashed, "isHashed");
            expect(table.protocol(id), e.protocol, "protocol");
            expect(table.caddrHi(id), e.cHi, "caddrHi");
            expect(table.caddrLo(id), e.cLo, "caddrLo");
            expect(table.cport(id), e.cport, "cport");
            expect(table.vaddrHi(id), e.vHi, "vaddrHi");
            expect(table.vaddrLo(id), e.vLo, "vaddrLo");
            expect(table.vport(id), e.vport, "vport");
            expect(table.daddrHi(id), e.dHi, "daddrHi");
            expect(table.daddrLo(id), e.dLo, "daddrLo");
            expect(table.dport(id), e.dport, "dport");
            expect(table.flags(id), e.flags | (e.hashed ? ConnFlags.HASHED : 0), "flags");
            expect(table.fwmark(id), e.fwmark, "fwmark");
            expect(table.destId(id), e.destId, "destId");
            expect(table.timeout(id), e.timeout, "timeout");
            expect(table.expires(id), e.expires, "expires");
            expect(table.state(id), e.state, "state");
            expect(table.oldState(id), e.oldState, "oldState");
            expect(table.inPkts(id), e.inPkts, "inPkts");
            expect(table.syncEndtime(id), e.syncEndtime, "syncEndtime");
            expect(table.control(id), e.control, "control");
        }

        private void verifyIteration() {
            int n = 0;
            for (int id = table.next(0); id != ConnTable.NONE; id = table.next(id + 1)) {
                expectTrue(live.containsKey(id), "next() gives live id " + id);
                n++;
            }
            expect(n, live.size(), "entries listed by next()");
        }

        // ------------------------------------------------------------ model helpers

        private Entry randomLive() {
            return liveList.isEmpty() ? null : liveList.get(random.nextInt(liveList.size()));
        }

        private void hash(Entry e) {
            e.hashed = true;
            e.hashSeq = ++hashSeq;
            index.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e);
        }

        private void unhash(Entry e) {
            e.hashed = false;
            List<Entry> list = index.get(e.key());
            list.remove(e);
            if (list.isEmpty()) {
                index.remove(e.key());
            }
        }

        private void expect(long actual, long expected, String what) {
            if (actual != expected) {
                assertThat(actual).as("seed %d, af %d, step %d, now %d: %s", seed, af, step, now, what)
                    .isEqualTo(expected);
            }
        }

        private void expectTrue(boolean condition, String what) {
            if (!condition) {
                assertThat(condition).as("seed %d, af %d, step %d, now %d: %s", seed, af, step, now, what).isTrue();
            }
        }
    }
}
