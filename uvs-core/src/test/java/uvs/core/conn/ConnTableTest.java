package uvs.core.conn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import uvs.core.net.Af;
import uvs.core.net.IpProto;

class ConnTableTest {
    private static final long CLIENT = ip(192, 168, 0, 7);
    private static final long CLIENT2 = ip(192, 168, 0, 8);
    private static final long VIP = ip(10, 0, 0, 1);
    private static final long VIP2 = ip(10, 0, 0, 2);
    private static final long RIP = ip(10, 1, 0, 5);
    private static final long RIP2 = ip(10, 1, 0, 6);
    private static final int NOW = 1000;
    private static final int WHEEL = ConnTable.WHEEL_SLOTS;

    private final ConnTable t = new ConnTable(Af.INET, 16, 42);
    private final Recorder recorder = new Recorder(t);

    private static long ip(int a, int b, int c, int d) {
        return (long) a << 24 | b << 16 | c << 8 | d;
    }

    private int conn(long client, int cport, int vport, int flags) {
        return t.insert(IpProto.TCP, 0, client, cport, 0, VIP, vport, 0, RIP, 8080, flags, 0, 3, 750, NOW, true);
    }

    private int withTimeout(int timeout) {
        return t.insert(IpProto.UDP, 0, CLIENT, 1000 + t.size(), 0, VIP, 53, 0, RIP, 53, 0, 0, 1, timeout, NOW,
            true);
    }

    private int template(long client, long vaddr, int vport) {
        return t.insert(IpProto.TCP, 0, client, 0, 0, vaddr, vport, 0, RIP, 80, ConnFlags.TEMPLATE, 0, 3, 90_000,
            NOW, true);
    }

    /** Records the ids it is called with and frees them unless told otherwise. */
    private static final class Recorder implements ExpiryHandler {
        final List<Integer> fired = new ArrayList<>();
        final ConnTable table;
        boolean free = true;
        int rearmTo;
        boolean rearm;

        Recorder(ConnTable table) {
            this.table = table;
        }

        @Override
        public void onExpire(int id) {
            fired.add(id);
            if (rearm) {
                table.arm(id, rearmTo);
            } else if (free) {
                table.free(id);
            }
        }

        List<Integer> drain() {
            List<Integer> out = List.copyOf(fired);
            fired.clear();
            return out;
        }
    }

    // ---------------------------------------------------------------- fields

    @Test
    void shouldInitialiseEveryFieldOnInsert() {
        int id = t.insert(IpProto.TCP, 0, CLIENT, 40000, 0, VIP, 80, 0, RIP, 8080,
            ConnFlags.INACTIVE | ConnFlags.DROUTE, 77, 12, 750, 1003, true);

        assertThat(id).isNotEqualTo(ConnTable.NONE);
        assertThat(t.size()).isEqualTo(1);
        assertThat(t.protocol(id)).isEqualTo(IpProto.TCP);
        assertThat(t.caddrHi(id)).isZero();
        assertThat(t.caddrLo(id)).isEqualTo(CLIENT);
        assertThat(t.cport(id)).isEqualTo(40000);
        assertThat(t.vaddrLo(id)).isEqualTo(VIP);
        assertThat(t.vport(id)).isEqualTo(80);
        assertThat(t.daddrLo(id)).isEqualTo(RIP);
        assertThat(t.dport(id)).isEqualTo(8080);
        // the table adds HASHED for a hashed entry
        assertThat(t.flags(id)).isEqualTo(ConnFlags.INACTIVE | ConnFlags.DROUTE | ConnFlags.HASHED);
        assertThat(t.fwmark(id)).isEqualTo(77);
        assertThat(t.destId(id)).isEqualTo(12);
        assertThat(t.timeout(id)).isEqualTo(750);
        // expires = now + timeout = 1003 + 750
        assertThat(t.expires(id)).isEqualTo(1753);
        assertThat(t.state(id)).isZero();
        assertThat(t.oldState(id)).isZero();
        assertThat(t.inPkts(id)).isZero();
        // sync end time = now & ~3 = 1003 & ~3
        assertThat(t.syncEndtime(id)).isEqualTo(1000);
        assertThat(t.control(id)).isEqualTo(ConnTable.NONE);
        assertThat(t.isHashed(id)).isTrue();
        assertThat(t.isLive(id)).isTrue();
    }

    @Test
    void shouldStartTemplatesWithNoControlledConnections() {
        int ct = template(CLIENT, VIP, 80);

        assertThat(t.nControl(ct)).isZero();
    }

    @Test
    void shouldStoreWhatEverySetterIsGiven() {
        int id = conn(CLIENT, 40000, 80, 0);

        t.setState(id, 255);
        t.setOldState(id, 7);
        t.setFlags(id, ConnFlags.NFCT | ConnFlags.ONE_PACKET | ConnFlags.SEQ_MASK);
        t.setVport(id, 65535);
        t.setDport(id, 65535);
        t.setDaddr(id, 0, 0xffff_ffffL);
        t.setFwmark(id, -1);
        t.setTimeout(id, Integer.MAX_VALUE);
        t.setInPkts(id, -5);
        t.setSyncEndtime(id, 0x7fff_fffd);
        t.setDestId(id, ConnTable.MAX_DEST_ID);
        t.setControl(id, 15);

        assertThat(t.state(id)).isEqualTo(255);
        assertThat(t.oldState(id)).isEqualTo(7);
        assertThat(t.flags(id)).isEqualTo(ConnFlags.NFCT | ConnFlags.ONE_PACKET | ConnFlags.SEQ_MASK | ConnFlags.HASHED);
        assertThat(t.vport(id)).isEqualTo(65535);
        assertThat(t.cport(id)).isEqualTo(40000);
        assertThat(t.dport(id)).isEqualTo(65535);
        assertThat(t.daddrLo(id)).isEqualTo(0xffff_ffffL);
        assertThat(t.fwmark(id)).isEqualTo(-1);
        assertThat(t.timeout(id)).isEqualTo(Integer.MAX_VALUE);
        assertThat(t.inPkts(id)).isEqualTo(-5);
        assertThat(t.syncEndtime(id)).isEqualTo(0x7fff_fffd);
        assertThat(t.destId(id)).isEqualTo(ConnTable.MAX_DEST_ID);
        assertThat(t.control(id)).isEqualTo(15);
        // neighbouring fields are untouched by the packed setters
        assertThat(t.protocol(id)).isEqualTo(IpProto.TCP);
        assertThat(t.expires(id)).isEqualTo(NOW + 750);

        t.setDestId(id, ConnTable.NO_DEST);
        t.setState(id, 0);
        t.setControl(id, ConnTable.NONE);
        assertThat(t.destId(id)).isEqualTo(ConnTable.NO_DEST);
        assertThat(t.oldState(id)).isEqualTo(7);
        assertThat(t.control(id)).isEqualTo(ConnTable.NONE);
    }

    @Test
    void shouldChangeProtocolAndClientPortOfUnhashedEntry() {
        int id = conn(CLIENT, 0, 21, ConnFlags.NO_CPORT);
        t.unhash(id);

        t.setProtocol(id, IpProto.UDP);
        t.setCport(id, 5000);
        t.setFlags(id, 0);
        t.rehash(id);

        assertThat(t.lookupIn(IpProto.UDP, 0, CLIENT, 5000, 0, VIP, 21)).isEqualTo(id);
        assertThat(t.lookupIn(IpProto.TCP, 0, CLIENT, 5000, 0, VIP, 21)).isEqualTo(ConnTable.NONE);
    }

    @Test
    void shouldKeepTheHashedBitOutOfSetFlags() {
        int id = conn(CLIENT, 1, 80, 0);

        t.setFlags(id, ConnFlags.HASHED | ConnFlags.INACTIVE);
        assertThat(t.flags(id)).isEqualTo(ConnFlags.HASHED | ConnFlags.INACTIVE);

        t.unhash(id);
        t.setFlags(id, ConnFlags.HASHED);
        assertThat(t.flags(id)).isZero();
        assertThat(t.isHashed(id)).isFalse();
    }

    // ---------------------------------------------------------------- lookups

    @Test
    void shouldFindConnectionOnlyByItsExactInboundKey() {
        int id = conn(CLIENT, 40000, 80, 0);

        assertThat(t.lookupIn(IpProto.TCP, 0, CLIENT, 40000, 0, VIP, 80)).isEqualTo(id);
        assertThat(t.lookupIn(IpProto.UDP, 0, CLIENT, 40000, 0, VIP, 80)).isEqualTo(ConnTable.NONE);
        assertThat(t.lookupIn(IpProto.TCP, 0, CLIENT2, 40000, 0, VIP, 80)).isEqualTo(ConnTable.NONE);
        assertThat(t.lookupIn(IpProto.TCP, 0, CLIENT, 40001, 0, VIP, 80)).isEqualTo(ConnTable.NONE);
        assertThat(t.lookupIn(IpProto.TCP, 0, CLIENT, 40000, 0, VIP2, 80)).isEqualTo(ConnTable.NONE);
        assertThat(t.lookupIn(IpProto.TCP, 0, CLIENT, 40000, 0, VIP, 81)).isEqualTo(ConnTable.NONE);
        // the client port 0 query only matches NO_CPORT entries
        assertThat(t.lookupIn(IpProto.TCP, 0, CLIENT, 0, 0, VIP, 80)).isEqualTo(ConnTable.NONE);
    }

    @Test
    void shouldMatchNoCportEntryFromAnyClientPortByRetryingWithZero() {
        int ftp = conn(CLIENT, 0, 20, ConnFlags.NO_CPORT);

        assertThat(t.lookupIn(IpProto.TCP, 0, CLIENT, 0, 0, VIP, 20)).isEqualTo(ftp);
        assertThat(t.lookupIn(IpProto.TCP, 0, CLIENT, 33333, 0, VIP, 20)).isEqualTo(ftp);
        assertThat(t.lookupIn(IpProto.UDP, 0, CLIENT, 33333, 0, VIP, 20)).isEqualTo(ConnTable.NONE);
        assertThat(t.lookupIn(IpProto.TCP, 0, CLIENT, 33333, 0, VIP, 21)).isEqualTo(ConnTable.NONE);
    }

    @Test
    void shouldPreferExactClientPortOverNoCportEntry() {
        int ftp = conn(CLIENT, 0, 20, ConnFlags.NO_CPORT);
        int exact = conn(CLIENT, 33333, 20, 0);

        assertThat(t.lookupIn(IpProto.TCP, 0, CLIENT, 33333, 0, VIP, 20)).isEqualTo(exact);
        assertThat(t.lookupIn(IpProto.TCP, 0, CLIENT, 33334, 0, VIP, 20)).isEqualTo(ftp);
    }

    @Test
    void shouldFindFilledNoCportEntryOnlyByItsNewPort() {
        int ftp = conn(CLIENT, 0, 20, ConnFlags.NO_CPORT);

        // ip_vs_conn_fill_cport: unhash, set the port, clear NO_CPORT, hash again
        t.unhash(ftp);
        t.setCport(ftp, 33333);
        t.setFlags(ftp, t.flags(ftp) & ~ConnFlags.NO_CPORT);
        t.rehash(ftp);

        assertThat(t.lookupIn(IpProto.TCP, 0, CLIENT, 33333, 0, VIP, 20)).isEqualTo(ftp);
        assertThat(t.lookupIn(IpProto.TCP, 0, CLIENT, 33334, 0, VIP, 20)).isEqualTo(ConnTable.NONE);
        assertThat(t.lookupIn(IpProto.TCP, 0, CLIENT, 0, 0, VIP, 20)).isEqualTo(ConnTable.NONE);
    }

    @Test
    void shouldNotFindConnectionWithPortZeroWithoutNoCport() {
        // (!cport) ^ (!NO_CPORT) is false for a cport-0 query of an entry without NO_CPORT
        conn(CLIENT, 0, 80, 0);

        assertThat(t.lookupIn(IpProto.TCP, 0, CLIENT, 0, 0, VIP, 80)).isEqualTo(ConnTable.NONE);
    }

    @Test
    void shouldKeepTemplatesAndConnectionsApart() {
        int ct = template(CLIENT, VIP, 80);
        int noCport = conn(CLIENT, 0, 80, ConnFlags.NO_CPORT);

        assertThat(t.lookupTemplate(IpProto.TCP, 0, CLIENT, 0, VIP, 80)).isEqualTo(ct);
        assertThat(t.lookupIn(IpProto.TCP, 0, CLIENT, 0, 0, VIP, 80)).isEqualTo(noCport);
        t.free(ct);
        assertThat(t.lookupTemplate(IpProto.TCP, 0, CLIENT, 0, VIP, 80)).isEqualTo(ConnTable.NONE);
        t.free(noCport);
        int tplNoCport = t.insert(IpProto.TCP, 0, CLIENT, 0, 0, VIP, 80, 0, RIP, 80,
            ConnFlags.TEMPLATE | ConnFlags.NO_CPORT, 0, 3, 100, NOW, true);
        assertThat(t.lookupIn(IpProto.TCP, 0, CLIENT, 0, 0, VIP, 80)).isEqualTo(ConnTable.NONE);
        assertThat(t.lookupTemplate(IpProto.TCP, 0, CLIENT, 0, VIP, 80)).isEqualTo(tplNoCport);
    }

    @Test
    void shouldFindTemplateOnlyByItsKey() {
        int ct = template(CLIENT, VIP, 0);
        int fw = t.insert(IpProto.IP, 0, CLIENT, 0, 0, 7, 0, 0, RIP, 0, ConnFlags.TEMPLATE, 7, 3, 100, NOW, true);

        assertThat(t.lookupTemplate(IpProto.TCP, 0, CLIENT, 0, VIP, 0)).isEqualTo(ct);
        assertThat(t.lookupTemplate(IpProto.TCP, 0, CLIENT, 0, VIP, 80)).isEqualTo(ConnTable.NONE);
        assertThat(t.lookupTemplate(IpProto.TCP, 0, CLIENT2, 0, VIP, 0)).isEqualTo(ConnTable.NONE);
        assertThat(t.lookupTemplate(IpProto.UDP, 0, CLIENT, 0, VIP, 0)).isEqualTo(ConnTable.NONE);
        // fwmark template: protocol 0 and the mark as virtual address
        assertThat(t.lookupTemplate(IpProto.IP, 0, CLIENT, 0, 7, 0)).isEqualTo(fw);
        assertThat(t.lookupTemplate(IpProto.IP, 0, CLIENT, 0, 8, 0)).isEqualTo(ConnTable.NONE);
        // templates are never found by the connection lookups
        assertThat(t.lookupIn(IpProto.TCP, 0, CLIENT, 0, 0, VIP, 0)).isEqualTo(ConnTable.NONE);
        assertThat(t.lookupOut(IpProto.TCP, 0, RIP, 80, 0, CLIENT, 0)).isEqualTo(ConnTable.NONE);
    }

    @Test
    void shouldNotFindTemplateWithClientPort() {
        t.insert(IpProto.TCP, 0, CLIENT, 5, 0, VIP, 80, 0, RIP, 80, ConnFlags.TEMPLATE, 0, 3, 100, NOW, true);

        assertThat(t.lookupTemplate(IpProto.TCP, 0, CLIENT, 0, VIP, 80)).isEqualTo(ConnTable.NONE);
    }

    @Test
    void shouldFindReplyByRealServerAndClient() {
        int id = conn(CLIENT, 40000, 80, 0);

        assertThat(t.lookupOut(IpProto.TCP, 0, RIP, 8080, 0, CLIENT, 40000)).isEqualTo(id);
        assertThat(t.lookupOut(IpProto.TCP, 0, RIP, 80, 0, CLIENT, 40000)).isEqualTo(ConnTable.NONE);
        assertThat(t.lookupOut(IpProto.TCP, 0, RIP2, 8080, 0, CLIENT, 40000)).isEqualTo(ConnTable.NONE);
        assertThat(t.lookupOut(IpProto.TCP, 0, RIP, 8080, 0, CLIENT2, 40000)).isEqualTo(ConnTable.NONE);
        assertThat(t.lookupOut(IpProto.TCP, 0, RIP, 8080, 0, CLIENT, 40001)).isEqualTo(ConnTable.NONE);
        assertThat(t.lookupOut(IpProto.UDP, 0, RIP, 8080, 0, CLIENT, 40000)).isEqualTo(ConnTable.NONE);
        // the virtual address plays no part in the reply direction
        t.setDaddr(id, 0, RIP2);
        assertThat(t.lookupOut(IpProto.TCP, 0, RIP2, 8080, 0, CLIENT, 40000)).isEqualTo(id);
    }

    @Test
    void shouldReturnTheEntryHashedLastAmongDuplicates() {
        int first = conn(CLIENT, 40000, 80, 0);
        int second = conn(CLIENT, 40000, 80, 0);

        assertThat(t.lookupIn(IpProto.TCP, 0, CLIENT, 40000, 0, VIP, 80)).isEqualTo(second);
        t.unhash(first);
        t.rehash(first);
        assertThat(t.lookupIn(IpProto.TCP, 0, CLIENT, 40000, 0, VIP, 80)).isEqualTo(first);
        t.free(first);
        assertThat(t.lookupIn(IpProto.TCP, 0, CLIENT, 40000, 0, VIP, 80)).isEqualTo(second);
    }

    @Test
    void shouldHideUnhashedEntriesButCountAndExpireThem() {
        int ops = t.insert(IpProto.UDP, 0, CLIENT, 5060, 0, VIP, 5060, 0, RIP, 5060, ConnFlags.ONE_PACKET, 0, 1,
            10, NOW, false);

        assertThat(t.size()).isEqualTo(1);
        assertThat(t.isHashed(ops)).isFalse();
        assertThat(t.flags(ops)).isEqualTo(ConnFlags.ONE_PACKET);
        assertThat(t.lookupIn(IpProto.UDP, 0, CLIENT, 5060, 0, VIP, 5060)).isEqualTo(ConnTable.NONE);
        assertThat(t.lookupOut(IpProto.UDP, 0, RIP, 5060, 0, CLIENT, 5060)).isEqualTo(ConnTable.NONE);
        assertThat(t.unhash(ops)).isFalse();

        t.expire(NOW + 10, recorder, 100);
        assertThat(recorder.drain()).containsExactly(ops);
        assertThat(t.size()).isZero();
    }

    @Test
    void shouldUnhashAndRehash() {
        int id = conn(CLIENT, 40000, 80, 0);

        assertThat(t.unhash(id)).isTrue();
        assertThat(t.isHashed(id)).isFalse();
        assertThat(t.flags(id) & ConnFlags.HASHED).isZero();
        assertThat(t.lookupIn(IpProto.TCP, 0, CLIENT, 40000, 0, VIP, 80)).isEqualTo(ConnTable.NONE);
        assertThat(t.size()).isEqualTo(1);

        t.rehash(id);
        assertThat(t.isHashed(id)).isTrue();
        assertThat(t.lookupIn(IpProto.TCP, 0, CLIENT, 40000, 0, VIP, 80)).isEqualTo(id);
    }

    @Test
    void shouldFindInvalidatedTemplateOnlyUnderItsNewKey() {
        int ct = template(CLIENT, VIP, 80);

        // ip_vs_check_template: unhash, vport = dport = 0xffff, cport 0, hash again
        t.unhash(ct);
        t.setVport(ct, 0xffff);
        t.setDport(ct, 0xffff);
        t.setCport(ct, 0);
        t.rehash(ct);

        assertThat(t.lookupTemplate(IpProto.TCP, 0, CLIENT, 0, VIP, 80)).isEqualTo(ConnTable.NONE);
        assertThat(t.lookupTemplate(IpProto.TCP, 0, CLIENT, 0, VIP, 0xffff)).isEqualTo(ct);
        assertThat(t.dport(ct)).isEqualTo(0xffff);
    }

    @Test
    void shouldRefuseKeyChangesOfHashedEntries() {
        int id = conn(CLIENT, 40000, 80, 0);

        assertThatThrownBy(() -> t.setCport(id, 1)).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("unhashed");
        assertThatThrownBy(() -> t.setProtocol(id, IpProto.UDP)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> t.rehash(id)).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("already hashed");
        assertThat(t.lookupIn(IpProto.TCP, 0, CLIENT, 40000, 0, VIP, 80)).isEqualTo(id);
    }

    @Test
    void shouldFindNothingForAddressesOutsideIpv4() {
        conn(CLIENT, 40000, 80, 0);

        assertThat(t.lookupIn(IpProto.TCP, 1, CLIENT, 40000, 0, VIP, 80)).isEqualTo(ConnTable.NONE);
        assertThat(t.lookupIn(IpProto.TCP, 0, CLIENT | 1L << 32, 40000, 0, VIP, 80)).isEqualTo(ConnTable.NONE);
        assertThat(t.lookupOut(IpProto.TCP, 0, RIP | 1L << 40, 8080, 0, CLIENT, 40000)).isEqualTo(ConnTable.NONE);
        assertThat(t.lookupTemplate(IpProto.TCP, 0, CLIENT, 5, VIP, 80)).isEqualTo(ConnTable.NONE);
    }

    // ---------------------------------------------------------------- IPv6

    @Test
    void shouldStoreAndFindIpv6Entries() {
        ConnTable t6 = new ConnTable(Af.INET6, 8, 7);
        long cHi = 0x2001_0db8_0000_0001L;
        long cLo = 0x0000_0000_0000_0042L;
        long vHi = 0x2001_0db8_ffff_0000L;
        long vLo = 0x1L;
        long dHi = 0xfd00_0000_0000_0000L;
        long dLo = 0xdead_beef_0000_0005L;

        int id = t6.insert(IpProto.TCP, cHi, cLo, 40000, vHi, vLo, 443, dHi, dLo, 8443, 0, 0, 2, 100, NOW, true);
        int ct = t6.insert(IpProto.TCP, cHi, 0, 0, vHi, vLo, 443, dHi, dLo, 8443, ConnFlags.TEMPLATE, 0, 2, 100,
            NOW, true);

        assertThat(t6.entryBytes()).isEqualTo(24 * 4);
        assertThat(t6.caddrHi(id)).isEqualTo(cHi);
        assertThat(t6.caddrLo(id)).isEqualTo(cLo);
        assertThat(t6.vaddrHi(id)).isEqualTo(vHi);
        assertThat(t6.vaddrLo(id)).isEqualTo(vLo);
        assertThat(t6.daddrHi(id)).isEqualTo(dHi);
        assertThat(t6.daddrLo(id)).isEqualTo(dLo);
        assertThat(t6.lookupIn(IpProto.TCP, cHi, cLo, 40000, vHi, vLo, 443)).isEqualTo(id);
        assertThat(t6.lookupOut(IpProto.TCP, dHi, dLo, 8443, cHi, cLo, 40000)).isEqualTo(id);
        assertThat(t6.lookupTemplate(IpProto.TCP, cHi, 0, vHi, vLo, 443)).isEqualTo(ct);
        // one different 32-bit word in any address is a miss
        assertThat(t6.lookupIn(IpProto.TCP, cHi ^ 1L << 32, cLo, 40000, vHi, vLo, 443)).isEqualTo(ConnTable.NONE);
        assertThat(t6.lookupIn(IpProto.TCP, cHi, cLo ^ 1L << 63, 40000, vHi, vLo, 443)).isEqualTo(ConnTable.NONE);
        assertThat(t6.lookupIn(IpProto.TCP, cHi, cLo, 40000, vHi ^ 1, vLo, 443)).isEqualTo(ConnTable.NONE);
        assertThat(t6.lookupIn(IpProto.TCP, cHi, cLo, 40000, vHi, vLo ^ 1L << 32, 443)).isEqualTo(ConnTable.NONE);
        assertThat(t6.lookupOut(IpProto.TCP, dHi, dLo ^ 1, 8443, cHi, cLo, 40000)).isEqualTo(ConnTable.NONE);
        assertThat(t6.lookupOut(IpProto.TCP, dHi ^ 1L << 63, dLo, 8443, cHi, cLo, 40000))
            .isEqualTo(ConnTable.NONE);

        t6.setDaddr(id, 0, 5);
        assertThat(t6.daddrHi(id)).isZero();
        assertThat(t6.daddrLo(id)).isEqualTo(5);
        assertThat(t6.caddrLo(id)).isEqualTo(cLo);
    }

    // ---------------------------------------------------------------- capacity and free

    @Test
    void shouldRefuseInsertWhenFullAndLeaveEntriesIntact() {
        ConnTable small = new ConnTable(Af.INET, 3, 1);
        int[] ids = new int[3];
        for (int i = 0; i < 3; i++) {
            ids[i] = small.insert(IpProto.TCP, 0, CLIENT, 1000 + i, 0, VIP, 80, 0, RIP, 80, 0, i, 1, 100, NOW, true);
        }

        int refused = small.insert(IpProto.TCP, 0, CLIENT, 2000, 0, VIP, 80, 0, RIP, 80, 0, 9, 1, 100, NOW, true);

        assertThat(refused).isEqualTo(ConnTable.NONE);
        assertThat(small.refused()).isEqualTo(1);
        assertThat(small.size()).isEqualTo(3);
        for (int i = 0; i < 3; i++) {
            assertThat(small.lookupIn(IpProto.TCP, 0, CLIENT, 1000 + i, 0, VIP, 80)).isEqualTo(ids[i]);
            assertThat(small.fwmark(ids[i])).isEqualTo(i);
        }
        assertThat(small.lookupIn(IpProto.TCP, 0, CLIENT, 2000, 0, VIP, 80)).isEqualTo(ConnTable.NONE);

        small.free(ids[1]);
        int again = small.insert(IpProto.TCP, 0, CLIENT, 2000, 0, VIP, 80, 0, RIP, 80, 0, 9, 1, 100, NOW, true);
        assertThat(again).isEqualTo(ids[1]);
        assertThat(small.refused()).isEqualTo(1);
    }

    @Test
    void shouldForgetFreedEntryAtOnce() {
        int a = conn(CLIENT, 1, 80, 0);
        int b = conn(CLIENT, 2, 80, ConnFlags.NO_CPORT);
        int c = conn(CLIENT, 3, 80, 0);

        t.free(b);

        assertThat(t.size()).isEqualTo(2);
        assertThat(t.isLive(b)).isFalse();
        assertThat(t.lookupIn(IpProto.TCP, 0, CLIENT, 2, 0, VIP, 80)).isEqualTo(ConnTable.NONE);
        assertThat(t.next(0)).isEqualTo(a);
        assertThat(t.next(a + 1)).isEqualTo(c);
        assertThat(t.next(c + 1)).isEqualTo(ConnTable.NONE);
        assertThatThrownBy(() -> t.free(b)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("not live");
        // a freed entry's timer is gone too
        t.expire(NOW + 750, recorder, 100);
        assertThat(recorder.drain()).containsExactlyInAnyOrder(a, c);
    }

    @Test
    void shouldReportLivenessForAnyId() {
        int a = conn(CLIENT, 1, 80, 0);

        assertThat(t.isLive(a)).isTrue();
        assertThat(t.isLive(-1)).isFalse();
        assertThat(t.isLive(a + 1)).isFalse();
        assertThat(t.isLive(15)).isFalse();
        assertThat(t.isLive(16)).isFalse();
    }

    // ---------------------------------------------------------------- timers

    @Test
    void shouldExpireInExpiryOrder() {
        int five = withTimeout(5);
        int three = withTimeout(3);
        int eight = withTimeout(8);
        int alsoFive = withTimeout(5);

        assertThat(t.expire(NOW + 2, recorder, 100)).isZero();
        assertThat(recorder.drain()).isEmpty();
        t.expire(NOW + 3, recorder, 100);
        assertThat(recorder.drain()).containsExactly(three);
        t.expire(NOW + 20, recorder, 100);
        List<Integer> rest = recorder.drain();
        assertThat(rest).hasSize(3);
        assertThat(rest.subList(0, 2)).containsExactlyInAnyOrder(five, alsoFive);
        assertThat(rest.get(2)).isEqualTo(eight);
        assertThat(t.size()).isZero();
    }

    @Test
    void shouldFireReArmedEntryInExpiryOrderWhenCatchingUp() {
        int rearmed = withTimeout(10);
        int plain = withTimeout(20);
        // re-armed to NOW + 30 while it sits in the slot of NOW + 10
        t.arm(rearmed, NOW + 30);

        t.expire(NOW + 40, recorder, 100);

        assertThat(recorder.drain()).containsExactly(plain, rearmed);
    }

    @Test
    void shouldFireLaterAfterArmToLaterTime() {
        int id = withTimeout(10);
        t.arm(id, NOW + 500);

        t.expire(NOW + 499, recorder, 100);
        assertThat(recorder.drain()).isEmpty();
        t.expire(NOW + 500, recorder, 100);
        assertThat(recorder.drain()).containsExactly(id);
    }

    @Test
    void shouldFireEarlierAfterArmToEarlierTime() {
        int id = withTimeout(60_000);
        t.expire(NOW + 5, recorder, 100);
        t.arm(id, NOW + 10);

        assertThat(t.expires(id)).isEqualTo(NOW + 10);
        t.expire(NOW + 9, recorder, 100);
        assertThat(recorder.drain()).isEmpty();
        t.expire(NOW + 10, recorder, 100);
        assertThat(recorder.drain()).containsExactly(id);
    }

    @Test
    void shouldFireAtOnceWhenArmedToThePast() {
        int id = withTimeout(100);
        t.expire(NOW + 50, recorder, 100);
        t.arm(id, NOW + 20);

        t.expire(NOW + 51, recorder, 100);
        assertThat(recorder.drain()).containsExactly(id);
    }

    @Test
    void shouldFireBeyondTheWheelHorizonAtTheRightTick() {
        // 100 000 jiffies is more than the 65 536-slot wheel: the entry is re-filed on the way
        int id = withTimeout(100_000);

        for (int now = NOW; now < NOW + 100_000; now += 997) {
            t.expire(now, recorder, 100);
        }
        assertThat(recorder.drain()).isEmpty();
        t.expire(NOW + 99_999, recorder, 100);
        assertThat(recorder.drain()).isEmpty();
        t.expire(NOW + 100_000, recorder, 100);
        assertThat(recorder.drain()).containsExactly(id);
    }

    @Test
    void shouldFireAgainOnNextTickWhenHandlerLeavesEntry() {
        int id = withTimeout(5);
        recorder.free = false;

        t.expire(NOW + 5, recorder, 100);
        assertThat(recorder.drain()).containsExactly(id);
        t.expire(NOW + 5, recorder, 100);
        assertThat(recorder.drain()).isEmpty();
        t.expire(NOW + 6, recorder, 100);
        assertThat(recorder.drain()).containsExactly(id);
        assertThat(t.isLive(id)).isTrue();
    }

    @Test
    void shouldHonourReArmFromHandler() {
        int id = withTimeout(5);
        recorder.rearm = true;
        recorder.rearmTo = NOW + 5 + 60;

        t.expire(NOW + 5, recorder, 100);
        assertThat(recorder.drain()).containsExactly(id);
        recorder.rearm = false;
        t.expire(NOW + 64, recorder, 100);
        assertThat(recorder.drain()).isEmpty();
        t.expire(NOW + 65, recorder, 100);
        assertThat(recorder.drain()).containsExactly(id);
        assertThat(t.isLive(id)).isFalse();
    }

    @Test
    void shouldNotFireEntryFreedByHandlerOfAnother() {
        int first = withTimeout(5);
        int second = withTimeout(5);
        ExpiryHandler freeBoth = id -> {
            recorder.fired.add(id);
            t.free(id);
            int other = id == first ? second : first;
            if (t.isLive(other)) {
                t.free(other);
            }
        };

        t.expire(NOW + 5, freeBoth, 100);

        assertThat(recorder.drain()).hasSize(1);
        assertThat(t.size()).isZero();
    }

    @Test
    void shouldFireEntryInsertedByHandlerWhenAlreadyDue() {
        withTimeout(5);
        int[] inserted = {ConnTable.NONE};
        ExpiryHandler insertDue = id -> {
            recorder.fired.add(id);
            t.free(id);
            if (inserted[0] == ConnTable.NONE) {
                // due at NOW + 7, within the walk up to NOW + 10
                inserted[0] = t.insert(IpProto.TCP, 0, CLIENT, 1, 0, VIP, 80, 0, RIP, 80, 0, 0, 1, 2, NOW + 5, true);
            }
        };

        t.expire(NOW + 10, insertDue, 100);

        assertThat(recorder.drain()).hasSize(2).endsWith(inserted[0]);
        assertThat(t.size()).isZero();
    }

    @Test
    void shouldStopAtLimitAndCarryOnLater() {
        for (int i = 0; i < 10; i++) {
            withTimeout(i + 1);
        }

        assertThat(t.expire(NOW + 100, recorder, 3)).isEqualTo(3);
        assertThat(recorder.fired).hasSize(3);
        int calls = 1;
        while (t.expire(NOW + 100, recorder, 3) == 3) {
            calls++;
        }
        // 10 entries, 3 per call: 3 full calls and one with the last entry
        assertThat(calls).isEqualTo(3);
        assertThat(recorder.drain()).hasSize(10);
    }

    @Test
    void shouldExpireAcrossJiffiesWrap() {
        int start = Integer.MAX_VALUE - 2;
        int a = t.insert(IpProto.TCP, 0, CLIENT, 1, 0, VIP, 80, 0, RIP, 80, 0, 0, 1, 1, start, true);
        int b = t.insert(IpProto.TCP, 0, CLIENT, 2, 0, VIP, 80, 0, RIP, 80, 0, 0, 1, 5, start, true);

        // start + 1 = MAX_VALUE - 1, start + 5 wraps to MIN_VALUE + 2
        t.expire(Integer.MAX_VALUE, recorder, 100);
        assertThat(recorder.drain()).containsExactly(a);
        t.expire(Integer.MIN_VALUE + 1, recorder, 100);
        assertThat(recorder.drain()).isEmpty();
        t.expire(Integer.MIN_VALUE + 2, recorder, 100);
        assertThat(recorder.drain()).containsExactly(b);
    }

    @Test
    void shouldHandleLargeTimeJumpInOneBoundedCall() {
        int soon = withTimeout(100);
        int later = withTimeout(200_000);
        int muchLater = withTimeout(5_000_000);
        int afterJump = withTimeout(1_000_001);

        // jump by one million jiffies (over an hour): the two due entries fire (after a gap longer than
        // the wheel, in wheel-slot order rather than expiry order)
        int examined = t.expire(NOW + 1_000_000, recorder, 1000);

        assertThat(recorder.drain()).containsExactlyInAnyOrder(soon, later);
        // each entry is looked at at most twice (once where it was filed, once where it was re-filed)
        assertThat(examined).isLessThanOrEqualTo(8);
        t.expire(NOW + 1_000_001, recorder, 1000);
        assertThat(recorder.drain()).containsExactly(afterJump);
        t.expire(NOW + 4_999_999, recorder, 1000);
        assertThat(recorder.drain()).isEmpty();
        t.expire(NOW + 5_000_000, recorder, 1000);
        assertThat(recorder.drain()).containsExactly(muchLater);
    }

    @Test
    void shouldFireLeftEntryOncePerCallAfterLongJump() {
        // jumps just over one wheel turn put the entry's slot at every position of the catch-up walk
        for (int jump = WHEEL - 20; jump <= WHEEL + 20; jump++) {
            ConnTable table = new ConnTable(Af.INET, 4, 1);
            Recorder leave = new Recorder(table);
            leave.free = false;
            int id = table.insert(IpProto.TCP, 0, CLIENT, 1, 0, VIP, 80, 0, RIP, 80, 0, 0, 1, 10, NOW, true);

            table.expire(NOW + jump, leave, 100);
            assertThat(leave.drain()).as("jump %d", jump).containsExactly(id);
            table.expire(NOW + jump + 1, leave, 100);
            assertThat(leave.drain()).as("jump %d, next tick", jump).containsExactly(id);
        }
    }

    @Test
    void shouldStartTheWheelAtTheFirstInsertAfterIdle() {
        int negativeNow = -2_000_000_000;
        int id = t.insert(IpProto.TCP, 0, CLIENT, 1, 0, VIP, 80, 0, RIP, 80, 0, 0, 1, 10, negativeNow, true);

        t.expire(negativeNow + 10, recorder, 100);

        assertThat(recorder.drain()).containsExactly(id);
    }

    @Test
    void shouldRefuseExpireFromHandler() {
        withTimeout(1);
        ExpiryHandler reentrant = id -> t.expire(NOW + 1, recorder, 1);

        assertThatThrownBy(() -> t.expire(NOW + 1, reentrant, 10)).isInstanceOf(IllegalStateException.class);
        // the entry keeps its timer and fires on the next tick
        t.expire(NOW + 2, recorder, 10);
        assertThat(recorder.drain()).hasSize(1);
    }

    // ---------------------------------------------------------------- memory, allocation, validation

    @Test
    void shouldFitIpv4EntriesIn64BytesIncludingIndex() {
        ConnTable big = new ConnTable(Af.INET, 1_000_000, 1);

        assertThat(big.entryBytes()).isEqualTo(60);
        assertThat((double) big.memoryBytes() / big.capacity()).isLessThanOrEqualTo(64.0);
        // the index keeps a load factor close to one: at least 0.9 buckets per entry
        assertThat(big.bucketCount()).isGreaterThanOrEqualTo(900_000);
    }

    @Test
    void shouldNotAllocateOnLookupsInsertsAndExpiry() {
        ThreadMXBean threads =
            (ThreadMXBean) ManagementFactory.getThreadMXBean();
        ConnTable table = new ConnTable(Af.INET, 4096, 3);
        ExpiryHandler freeIt = table::free;
        for (int round = 0; round < 3; round++) {
            churn(table, freeIt, round * 10_000);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        churn(table, freeIt, 30_000);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(allocated).as("bytes allocated").isLessThan(256);
    }

    private static int churn(ConnTable table, ExpiryHandler handler, int now) {
        int found = 0;
        for (int i = 0; i < 10_000; i++) {
            int c = 0x0a00_0000 + (i & 2047);
            table.insert(IpProto.TCP, 0, c, i & 0xffff, 0, VIP, 80, 0, RIP, 80, 0, 0, 1, 50, now + i, true);
            found += table.lookupIn(IpProto.TCP, 0, c, i & 0xffff, 0, VIP, 80) >= 0 ? 1 : 0;
            found += table.lookupOut(IpProto.TCP, 0, RIP, 80, 0, c, i & 0xffff) >= 0 ? 1 : 0;
            found += table.lookupTemplate(IpProto.TCP, 0, c, 0, VIP, 80) >= 0 ? 1 : 0;
            table.expire(now + i, handler, 100);
        }
        return found;
    }

    @Test
    void shouldRejectBadArguments() {
        int id = conn(CLIENT, 1, 80, 0);

        assertThatThrownBy(() -> new ConnTable(3, 10, 0)).hasMessageContaining("address family");
        assertThatThrownBy(() -> new ConnTable(Af.INET, 0, 0)).hasMessageContaining("capacity");
        assertThatThrownBy(() -> new ConnTable(Af.INET, ConnTable.MAX_CAPACITY + 1, 0))
            .hasMessageContaining("capacity");
        assertThatThrownBy(() -> t.insert(256, 0, CLIENT, 1, 0, VIP, 80, 0, RIP, 80, 0, 0, 1, 1, NOW, true))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("protocol");
        assertThatThrownBy(() -> t.insert(6, 0, CLIENT, 65536, 0, VIP, 80, 0, RIP, 80, 0, 0, 1, 1, NOW, true))
            .hasMessageContaining("client port");
        assertThatThrownBy(() -> t.insert(6, 0, CLIENT, 1, 0, VIP, 80, 0, RIP, -1, 0, 0, 1, 1, NOW, true))
            .hasMessageContaining("destination port");
        assertThatThrownBy(() -> t.insert(6, 1, CLIENT, 1, 0, VIP, 80, 0, RIP, 80, 0, 0, 1, 1, NOW, true))
            .hasMessageContaining("client address");
        assertThatThrownBy(() -> t.insert(6, 0, CLIENT, 1, 0, VIP, 80, 0, RIP, 80, 0x8000, 0, 1, 1, NOW, true))
            .hasMessageContaining("flags");
        assertThatThrownBy(() -> t.insert(6, 0, CLIENT, 1, 0, VIP, 80, 0, RIP, 80, 1 << 17, 0, 1, 1, NOW, true))
            .hasMessageContaining("flags");
        assertThatThrownBy(() -> t.insert(6, 0, CLIENT, 1, 0, VIP, 80, 0, RIP, 80, 0, 0, -2, 1, NOW, true))
            .hasMessageContaining("real-server id");
        assertThatThrownBy(() -> t.insert(6, 0, CLIENT, 1, 0, VIP, 80, 0, RIP, 80, 0, 0, 1, -1, NOW, true))
            .hasMessageContaining("timeout");
        assertThatThrownBy(() -> t.setState(id, 256)).hasMessageContaining("state");
        assertThatThrownBy(() -> t.setOldState(id, -1)).hasMessageContaining("old state");
        assertThatThrownBy(() -> t.setVport(id, 70000)).hasMessageContaining("virtual port");
        assertThatThrownBy(() -> t.setDestId(id, ConnTable.MAX_DEST_ID + 1)).hasMessageContaining("real-server id");
        assertThatThrownBy(() -> t.setControl(id, 16)).hasMessageContaining("controller id");
        assertThatThrownBy(() -> t.setNControl(id, -1)).hasMessageContaining("n_control");
        assertThatThrownBy(() -> t.setTimeout(id, -1)).hasMessageContaining("timeout");
        assertThatThrownBy(() -> t.setDaddr(id, 1, 0)).hasMessageContaining("destination address");
        assertThatThrownBy(() -> t.lookupIn(300, 0, CLIENT, 1, 0, VIP, 80)).hasMessageContaining("protocol");
        assertThatThrownBy(() -> t.lookupOut(6, 0, RIP, 65536, 0, CLIENT, 1)).hasMessageContaining("port");
        assertThatThrownBy(() -> t.arm(id + 1, NOW)).hasMessageContaining("not live");
        assertThatThrownBy(() -> t.unhash(-1)).hasMessageContaining("not live");
        assertThatThrownBy(() -> t.expire(NOW, recorder, 0)).hasMessageContaining("limit");
        assertThat(t.size()).isEqualTo(1);
        assertThat(t.refused()).isZero();
    }
}
