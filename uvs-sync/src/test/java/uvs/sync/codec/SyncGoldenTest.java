package uvs.sync.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static uvs.sync.codec.RawDatagram.hex;
import static uvs.sync.codec.RawDatagram.ip4;
import static uvs.sync.codec.RawDatagram.toHex;

import java.util.Arrays;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import uvs.core.net.Af;

/**
 * The worked examples of reference §1.9 (checked there with tshark 4.0.17 and the kernel's rules): each
 * decodes to exactly the fields described, and encoding those fields reproduces the bytes exactly.
 */
class SyncGoldenTest {
    /** v1, syncid 7: a TCP DR conn (ESTABLISHED, flags 0x83, timeout 900) and its template. */
    static final byte[] V1_TWO_TCP = hex("""
        00 07 00 50 02 01 00 00 00 06 00 24 00 00 00 83
        00 01 30 39 00 50 00 50 00 00 00 00 00 00 03 84
        0a 00 00 01 0a 01 01 01 0a 02 02 02 00 06 00 24
        00 00 11 83 00 01 00 00 00 50 00 50 00 00 00 00
        00 00 01 68 0a 00 00 01 0a 01 01 01 0a 02 02 02
        """);
    /** v1, syncid 7: a TCP conn with SEQ_DATA (62 bytes), 2 padding bytes, a UDP conn; 108 bytes. */
    static final byte[] V1_SEQ_PAD_UDP = hex("""
        00 07 00 6c 02 01 00 00 00 06 00 3e 00 00 06 00
        00 01 9c 40 00 15 00 15 00 00 00 00 00 00 03 84
        0a 00 00 03 0a 01 01 01 c0 a8 00 04 01 18 11 11
        11 11 00 00 00 00 00 00 00 00 22 22 22 22 00 00
        00 04 00 00 00 00 [00 00] 00 11 00 24 00 00 01 00
        00 00 14 e9 00 35 00 35 00 00 00 00 00 00 01 2c
        0a 00 00 04 0a 01 01 01 c0 a8 00 05
        """);
    /** v0, syncid 7, the same DR conn as the first v1 entry. */
    static final byte[] V0_ONE_TCP = hex(
        "01 07 00 1c | 00 06 30 39 00 50 00 50 0a 00 00 01 0a 01 01 01 0a 02 02 02 00 83 00 01");

    private final SyncMessageReader reader = new SyncMessageReader();
    private final SyncReceiveCounters counters = new SyncReceiveCounters();
    private final RawDatagram.Recorder recorder = new RawDatagram.Recorder();

    @Test
    void shouldDecodeV1TcpConnAndTemplate() {
        int n = reader.read(new UnsafeBuffer(V1_TWO_TCP), 0, V1_TWO_TCP.length, 7, recorder, counters);

        assertThat(n).isEqualTo(2);
        SyncEntry conn = recorder.entries.get(0);
        // flags on the backup: 0x83 & BACKUP_MASK 0x1F87 = 0x83, | SYNC 0x20 = 0xA3
        assertEntry(conn, Af.INET, 6, 0xa3, 1, 12345, 80, 80, 0, 900, "10.0.0.1", "10.1.1.1", "10.2.2.2");
        assertThat(conn.seqPresent).isFalse();
        assertThat(conn.peDataLength).isZero();
        SyncEntry template = recorder.entries.get(1);
        // 0x1183 (TEMPLATE|INACTIVE|NOOUTPUT|DROUTE) is inside BACKUP_MASK; | SYNC = 0x11A3
        assertEntry(template, Af.INET, 6, 0x11a3, 1, 0, 80, 80, 0, 360, "10.0.0.1", "10.1.1.1", "10.2.2.2");
        assertThat(counters.v1Messages()).isEqualTo(1);
        assertThat(counters.entriesAccepted()).isEqualTo(2);
        assertThat(counters.droppedTotal() + counters.skippedTotal()).isZero();
    }

    @Test
    void shouldEncodeV1TcpConnAndTemplateByteForByte() {
        SyncEntry e = new SyncEntry();
        SyncMessageWriter w = writer(1472).start(1, 7);

        assertThat(w.tryAppend(v4(e, 6, 0x83, 1, 12345, 80, 80, 900, "10.0.0.1", "10.1.1.1", "10.2.2.2")))
            .isEqualTo(SyncAppendResult.APPENDED);
        assertThat(w.tryAppend(v4(e, 6, 0x1183, 1, 0, 80, 80, 360, "10.0.0.1", "10.1.1.1", "10.2.2.2")))
            .isEqualTo(SyncAppendResult.APPENDED);

        assertBytes(w, V1_TWO_TCP);
    }

    @Test
    void shouldEncodeFlagsWithHashedCleared() {
        SyncEntry e = new SyncEntry();
        SyncMessageWriter w = writer(1472).start(1, 7);

        // HASHED (0x40) is never sent: 0xC3 and 0x11C3 must give the bytes of 0x83 and 0x1183
        w.tryAppend(v4(e, 6, 0xc3, 1, 12345, 80, 80, 900, "10.0.0.1", "10.1.1.1", "10.2.2.2"));
        w.tryAppend(v4(e, 6, 0x11c3, 1, 0, 80, 80, 360, "10.0.0.1", "10.1.1.1", "10.2.2.2"));

        assertBytes(w, V1_TWO_TCP);
    }

    @Test
    void shouldDecodeV1SeqOptionPaddingAndUdp() {
        int n = reader.read(new UnsafeBuffer(V1_SEQ_PAD_UDP), 0, V1_SEQ_PAD_UDP.length, 0, recorder, counters);

        assertThat(n).isEqualTo(2);
        SyncEntry tcp = recorder.entries.get(0);
        // flags 0x0600 (IN_SEQ|OUT_SEQ, MASQ) | SYNC = 0x0620
        assertEntry(tcp, Af.INET, 6, 0x620, 1, 40000, 21, 21, 0, 900, "10.0.0.3", "10.1.1.1", "192.168.0.4");
        assertThat(tcp.seqPresent).isTrue();
        // SEQ data at 0x2e: 11111111 00000000 00000000 | 22222222 00000004 00000000
        assertThat(new int[] {tcp.inSeqInit, tcp.inSeqDelta, tcp.inSeqPreviousDelta, tcp.outSeqInit,
            tcp.outSeqDelta, tcp.outSeqPreviousDelta}).containsExactly(0x11111111, 0, 0, 0x22222222, 4, 0);
        SyncEntry udp = recorder.entries.get(1);
        // flags 0x0100 (INACTIVE) | SYNC = 0x0120; UDP's single state 0; 0x14e9 = 5353, 0x12c = 300
        assertEntry(udp, Af.INET, 17, 0x120, 0, 5353, 53, 53, 0, 300, "10.0.0.4", "10.1.1.1", "192.168.0.5");
        assertThat(udp.seqPresent).isFalse();
    }

    @Test
    void shouldEncodeV1SeqOptionPaddingAndUdpByteForByte() {
        SyncEntry e = new SyncEntry();
        SyncMessageWriter w = writer(1472);
        // a reused buffer full of stale bytes: the two padding bytes must still come out as 00 00
        w.buffer().setMemory(0, w.buffer().capacity(), (byte) 0xee);
        w.start(1, 7);

        v4(e, 6, 0x0600, 1, 40000, 21, 21, 900, "10.0.0.3", "10.1.1.1", "192.168.0.4")
            .seq(0x11111111, 0, 0, 0x22222222, 4, 0);
        assertThat(w.tryAppend(e)).isEqualTo(SyncAppendResult.APPENDED);
        v4(e, 17, 0x0100, 0, 5353, 53, 53, 300, "10.0.0.4", "10.1.1.1", "192.168.0.5");
        assertThat(w.tryAppend(e)).isEqualTo(SyncAppendResult.APPENDED);

        assertBytes(w, V1_SEQ_PAD_UDP);
    }

    @Test
    void shouldDecodeV0Entry() {
        int n = reader.read(new UnsafeBuffer(V0_ONE_TCP), 0, V0_ONE_TCP.length, 7, recorder, counters);

        assertThat(n).isEqualTo(1);
        // v0: 0x0083 | SYNC, HASHED cleared = 0xA3; timeout and fwmark are not in v0 → 0
        assertEntry(recorder.entries.get(0), Af.INET, 6, 0xa3, 1, 12345, 80, 80, 0, 0,
            "10.0.0.1", "10.1.1.1", "10.2.2.2");
        assertThat(counters.v0Messages()).isEqualTo(1);
    }

    @Test
    void shouldEncodeV0EntryByteForByte() {
        SyncEntry e = new SyncEntry();
        SyncMessageWriter w = writer(1472).start(0, 7);

        // timeout 900 and fwmark 5 are not part of v0 and must not show up anywhere
        v4(e, 6, 0x83, 1, 12345, 80, 80, 900, "10.0.0.1", "10.1.1.1", "10.2.2.2").fwmark = 5;
        assertThat(w.tryAppend(e)).isEqualTo(SyncAppendResult.APPENDED);

        assertBytes(w, V0_ONE_TCP);
    }

    @Test
    void shouldReadHeaderFieldsOfEachExample() {
        SyncMessageHeader h = new SyncMessageHeader();

        h.wrap(new UnsafeBuffer(V1_SEQ_PAD_UDP), 0);
        assertThat(new int[] {h.reserved(), h.syncid(), h.size(), h.nrConns(), h.version(), h.spare()})
            .containsExactly(0, 7, 108, 2, 1, 0);
        assertThat(h.isV1(108)).isTrue();

        h.wrap(new UnsafeBuffer(V0_ONE_TCP), 0);
        assertThat(new int[] {h.nrConnsV0(), h.syncid(), h.size()}).containsExactly(1, 7, 28);
        assertThat(h.isV1(28)).isFalse();

        SyncConnV1 c = new SyncConnV1().wrap(new UnsafeBuffer(V1_SEQ_PAD_UDP), 8);
        // ver_size 0x003e: format version 0, size 62
        assertThat(new int[] {c.type(), c.protocol(), c.formatVersion(), c.size(), c.flags(), c.fixedLength()})
            .containsExactly(0, 6, 0, 62, 0x600, 36);
    }

    static SyncMessageWriter writer(int maxlen) {
        return new SyncMessageWriter().wrap(new UnsafeBuffer(new byte[SyncMessageWriter.requiredCapacity(maxlen)]),
            0, maxlen);
    }

    static SyncEntry v4(SyncEntry e, int protocol, int flags, int state, int cport, int vport, int dport,
                        int timeout, String caddr, String vaddr, String daddr) {
        e.clear();
        e.af = Af.INET;
        e.protocol = protocol;
        e.flags = flags;
        e.state = state;
        e.cport = cport;
        e.vport = vport;
        e.dport = dport;
        e.timeout = timeout;
        e.caddrLo = ip4(caddr);
        e.vaddrLo = ip4(vaddr);
        e.daddrLo = ip4(daddr);
        return e;
    }

    static void assertBytes(SyncMessageWriter w, byte[] expected) {
        int len = w.finish();
        byte[] actual = new byte[len];
        w.buffer().getBytes(w.offset(), actual);
        assertThat(toHex(actual, 0, len)).isEqualTo(toHex(expected, 0, expected.length));
        assertThat(Arrays.equals(actual, expected)).isTrue();
    }

    static void assertEntry(SyncEntry e, int af, int protocol, int flags, int state, int cport, int vport, int dport,
                            int fwmark, int timeout, String caddr, String vaddr, String daddr) {
        assertThat(e.af).as("af").isEqualTo(af);
        assertThat(e.protocol).as("protocol").isEqualTo(protocol);
        assertThat(Integer.toHexString(e.flags)).as("flags").isEqualTo(Integer.toHexString(flags));
        assertThat(e.state).as("state").isEqualTo(state);
        assertThat(new int[] {e.cport, e.vport, e.dport}).as("ports").containsExactly(cport, vport, dport);
        assertThat(e.fwmark).as("fwmark").isEqualTo(fwmark);
        assertThat(e.timeout).as("timeout").isEqualTo(timeout);
        assertThat(new long[] {e.caddrHi, e.caddrLo, e.vaddrHi, e.vaddrLo, e.daddrHi, e.daddrLo}).as("addresses")
            .containsExactly(0, ip4(caddr), 0, ip4(vaddr), 0, ip4(daddr));
    }
}
