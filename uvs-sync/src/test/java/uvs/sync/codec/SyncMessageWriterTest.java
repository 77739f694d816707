package uvs.sync.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static uvs.sync.codec.RawDatagram.hex;
import static uvs.sync.codec.RawDatagram.toHex;
import static uvs.sync.codec.SyncGoldenTest.v4;
import static uvs.sync.codec.SyncGoldenTest.writer;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import uvs.core.net.Af;

/**
 * The master's encoder: capacity at the default maxlen (reference §1.7), padding placed before an entry
 * and counted in the fit check, a lone oversize entry, the u8 nr_conns, the sender rules of §1.4 and
 * §1.5, and round trips through the reader for IPv6, PE data/name and sequence data.
 */
class SyncMessageWriterTest {
    private final SyncEntry e = new SyncEntry();
    private final SyncMessageReader reader = new SyncMessageReader();
    private final SyncReceiveCounters counters = new SyncReceiveCounters();
    private final RawDatagram.Recorder recorder = new RawDatagram.Recorder();

    // ---- capacity (§1.7: at maxlen 1472, v1 IPv4 40, v1 IPv6 20, v0 61, v0 with seq 30) ----

    @Test
    void shouldFit40V1Ipv4EntriesAtDefaultMaxlen() {
        // (1472 - 8) / 36 = 40.7 → 40, length 8 + 40·36 = 1448
        assertThat(fill(1, plainV4(0x83))).isEqualTo(40);
    }

    @Test
    void shouldFit20V1Ipv6EntriesAtDefaultMaxlen() {
        // (1472 - 8) / 72 = 20.3 → 20, length 8 + 20·72 = 1448
        assertThat(fill(1, plainV6())).isEqualTo(20);
    }

    @Test
    void shouldFit61V0EntriesAtDefaultMaxlen() {
        // (1472 - 4) / 24 = 61.2 → 61, length 4 + 61·24 = 1468
        assertThat(fill(0, plainV4(0x83))).isEqualTo(61);
    }

    @Test
    void shouldFit30V0EntriesWithSeqDataAtDefaultMaxlen() {
        // (1472 - 4) / 48 = 30.6 → 30, length 4 + 30·48 = 1444
        assertThat(fill(0, plainV4(0x0600))).isEqualTo(30);
    }

    private int fill(int version, SyncEntry entry) {
        SyncMessageWriter w = writer(SyncMessageWriter.DEFAULT_MAXLEN).start(version, 9);
        int n = 0;
        while (w.tryAppend(entry) == SyncAppendResult.APPENDED) {
            n++;
        }
        int expectedLength = (version == 1 ? 8 : 4) + n * SyncMessageWriter.entryLength(version, entry);
        assertThat(w.finish()).isEqualTo(expectedLength);
        assertThat(w.entryCount()).isEqualTo(n);
        SyncMessageHeader h = new SyncMessageHeader().wrap(w.buffer(), 0);
        assertThat(h.size()).isEqualTo(expectedLength);
        assertThat(version == 1 ? h.nrConns() : h.nrConnsV0()).isEqualTo(n);
        assertThat(reader.read(w.buffer(), 0, expectedLength, 9, recorder, counters)).isEqualTo(n);
        return n;
    }

    // ---- padding ----

    @Test
    void shouldPadBeforeAnEntryAndCountThePaddingInTheFitCheck() {
        // entry A: 36 + PE_DATA "abc" (2+3) + PE_NAME "sip" (2+3) = 46 → message 8 + 46 = 54;
        // entry B (36) needs 2 padding bytes: 54 + 2 + 36 = 92
        SyncEntry a = new SyncEntry().copyFrom(plainV4(0x1083));
        a.peData("abc".getBytes(StandardCharsets.US_ASCII), 0, 3).peName("sip");

        SyncMessageWriter tight = writer(91).start(1, 1);
        assertThat(tight.tryAppend(a)).isEqualTo(SyncAppendResult.APPENDED);
        assertThat(tight.tryAppend(plainV4(0x83))).isEqualTo(SyncAppendResult.FULL);
        assertThat(tight.length()).isEqualTo(54);

        SyncMessageWriter w = writer(92);
        w.buffer().setMemory(0, w.buffer().capacity(), (byte) 0xee);
        w.start(1, 1);
        assertThat(w.tryAppend(a)).isEqualTo(SyncAppendResult.APPENDED);
        assertThat(w.tryAppend(plainV4(0x83))).isEqualTo(SyncAppendResult.APPENDED);
        assertThat(w.finish()).isEqualTo(92);
        byte[] msg = bytes(w);
        // entry A ends at 54 with "... 03 03 73 69 70"; bytes 54, 55 are padding; entry B starts at 56
        assertThat(toHex(msg, 8, 4)).isEqualTo("00 06 00 2e");
        assertThat(toHex(msg, 44, 12)).isEqualTo("02 03 61 62 63 03 03 73 69 70 00 00");
        assertThat(toHex(msg, 56, 4)).isEqualTo("00 06 00 24");
        assertThat(reader.read(w.buffer(), 0, 92, 0, recorder, counters)).isEqualTo(2);
    }

    @Test
    void shouldNotPadV0Entries() {
        SyncMessageWriter w = writer(1472).start(0, 1);
        w.tryAppend(plainV4(0x0483));
        w.tryAppend(plainV4(0x83));

        // 4 + 48 + 24, packed
        assertThat(w.finish()).isEqualTo(76);
        assertThat(toHex(bytes(w), 52, 2)).isEqualTo("00 06");
    }

    // ---- oversize entry, entry count ----

    @Test
    void shouldPutALoneOversizeEntryInAMessageOfItsOwn() {
        // IPv6 72 + SEQ 26 + PE_DATA 2+255 + PE_NAME 2+16 = 373 bytes, maxlen only 100
        SyncEntry big = new SyncEntry().copyFrom(plainV6());
        big.flags = 0x1600;
        big.peData(new byte[255], 0, 255).peName("sipsipsipsipsips");
        assertThat(SyncMessageWriter.entryLength(1, big)).isEqualTo(373);

        SyncMessageWriter w = writer(100).start(1, 1);
        assertThat(w.tryAppend(plainV4(0x83))).isEqualTo(SyncAppendResult.APPENDED);
        assertThat(w.tryAppend(big)).as("oversize entry behind another").isEqualTo(SyncAppendResult.FULL);

        w.start(1, 1);
        assertThat(w.tryAppend(big)).isEqualTo(SyncAppendResult.APPENDED);
        assertThat(w.tryAppend(plainV4(0x83))).as("nothing fits behind a lone oversize entry")
            .isEqualTo(SyncAppendResult.FULL);
        assertThat(w.finish()).isEqualTo(8 + 373);
        assertThat(toHex(bytes(w), 8, 4)).isEqualTo("01 06 01 75");

        SyncMessageReader unknownPe = new SyncMessageReader((name, len) -> true, true);
        assertThat(unknownPe.read(w.buffer(), 0, 381, 0, recorder, counters)).isEqualTo(1);
        assertThat(recorder.entries.get(0).peDataLength).isEqualTo(255);
    }

    @Test
    void shouldAcceptOneEntryPerMessageAtMaxlenOne() {
        SyncMessageWriter w = writer(1).start(0, 1);

        assertThat(w.tryAppend(plainV4(0x83))).isEqualTo(SyncAppendResult.APPENDED);
        assertThat(w.tryAppend(plainV4(0x83))).isEqualTo(SyncAppendResult.FULL);
        assertThat(w.finish()).isEqualTo(28);
    }

    @Test
    void shouldStopAt255EntriesBecauseNrConnsIsAByte() {
        // v1 IPv4: 8 + 255·36 = 9188 bytes; the kernel would let nr_conns wrap to 0 at the 256th
        SyncMessageWriter w = writer(65535).start(1, 1);
        for (int i = 0; i < 255; i++) {
            assertThat(w.tryAppend(plainV4(0x83))).isEqualTo(SyncAppendResult.APPENDED);
        }
        assertThat(w.tryAppend(plainV4(0x83))).isEqualTo(SyncAppendResult.FULL);
        assertThat(w.finish()).isEqualTo(9188);
        assertThat(toHex(bytes(w), 0, 8)).isEqualTo("00 01 23 e4 ff 01 00 00");

        // nr_conns 0xff is read unsigned
        assertThat(reader.read(w.buffer(), 0, 9188, 0, recorder, counters)).isEqualTo(255);
    }

    @Test
    void shouldStopAt255EntriesInV0Too() {
        // 4 + 255·24 = 6124
        SyncMessageWriter w = writer(65535).start(0, 1);
        int n = 0;
        while (w.tryAppend(plainV4(0x83)) == SyncAppendResult.APPENDED) {
            n++;
        }
        assertThat(n).isEqualTo(255);
        assertThat(w.finish()).isEqualTo(6124);
        assertThat(reader.read(w.buffer(), 0, 6124, 0, recorder, counters)).isEqualTo(255);
    }

    @Test
    void shouldStartAFreshMessageAfterFull() {
        SyncMessageWriter w = writer(44).start(1, 3);
        w.tryAppend(plainV4(0x83));
        assertThat(w.tryAppend(plainV4(0x83))).isEqualTo(SyncAppendResult.FULL);

        w.start(1, 4);
        assertThat(w.tryAppend(plainV4(0x83))).isEqualTo(SyncAppendResult.APPENDED);
        assertThat(w.finish()).isEqualTo(44);
        assertThat(toHex(bytes(w), 0, 8)).isEqualTo("00 04 00 2c 01 01 00 00");
    }

    // ---- sender rules ----

    @Test
    void shouldRefuseIpv6InV0WithoutTouchingTheMessage() {
        SyncMessageWriter w = writer(1472).start(0, 1);

        assertThat(w.tryAppend(plainV6())).isEqualTo(SyncAppendResult.IPV6_NOT_IN_V0);
        assertThat(w.entryCount()).isZero();
        assertThat(w.finish()).isEqualTo(4);
    }

    @Test
    void shouldSendAll32FlagBitsInV1AndOnlyTheLow16InV0WithHashedCleared() {
        // NFCT|HASHED|NOOUTPUT|DROUTE = 0x100C3 → v1 wire 0x00010083, v0 wire 0x0083
        SyncMessageWriter w1 = writer(1472).start(1, 1);
        w1.tryAppend(plainV4(0x100c3));
        w1.finish();
        assertThat(toHex(bytes(w1), 8 + 4, 4)).isEqualTo("00 01 00 83");

        SyncMessageWriter w0 = writer(1472).start(0, 1);
        w0.tryAppend(plainV4(0x100c3));
        w0.finish();
        assertThat(toHex(bytes(w0), 4 + 20, 2)).isEqualTo("00 83");
    }

    @Test
    void shouldWriteSeqDataBigEndianInV1() {
        SyncMessageWriter w = writer(1472).start(1, 1);
        w.tryAppend(plainV4(0x0400).seq(1, 2, 3, 0x11223344, 5, -6));
        w.finish();

        byte[] msg = bytes(w);
        assertThat(toHex(msg, 8, 4)).isEqualTo("00 06 00 3e");
        assertThat(toHex(msg, 44, 26)).isEqualTo(toHex(hex(
            "01 18 00000001 00000002 00000003 11223344 00000005 fffffffa"), 0, 26));
        assertRoundTrip(w, true);
    }

    @Test
    void shouldWriteSeqDataLittleEndianInV0() {
        SyncMessageWriter w = writer(1472).start(0, 1);
        w.tryAppend(plainV4(0x0200).seq(1, 2, 3, 0x11223344, 5, -6));
        assertThat(w.finish()).isEqualTo(52);

        assertThat(toHex(bytes(w), 28, 24)).isEqualTo(toHex(hex(
            "01000000 02000000 03000000 44332211 05000000 faffffff"), 0, 24));
        assertRoundTrip(w, true);
    }

    @Test
    void shouldFollowTheFlagsNotSeqPresentWhenDecidingOnSeqData() {
        SyncEntry entry = plainV4(0x83).seq(1, 2, 3, 4, 5, 6);
        entry.seqPresent = true;

        assertThat(SyncMessageWriter.entryLength(1, entry)).isEqualTo(36);
        assertThat(SyncMessageWriter.entryLength(0, entry)).isEqualTo(24);
        entry.flags = 0x0200;
        entry.seqPresent = false;
        assertThat(SyncMessageWriter.entryLength(1, entry)).isEqualTo(62);
        assertThat(SyncMessageWriter.entryLength(0, entry)).isEqualTo(48);
    }

    @Test
    void shouldSendPeNameOnlyTogetherWithPeData() {
        SyncEntry entry = plainV4(0x1083).peName("sip");
        assertThat(SyncMessageWriter.entryLength(1, entry)).isEqualTo(36);

        entry.peData(new byte[] {'c', 'a', 'l', 'l'}, 0, 4);
        // PE_DATA 2+4, PE_NAME 2+3
        assertThat(SyncMessageWriter.entryLength(1, entry)).isEqualTo(47);
        entry.peNameLength = 0;
        assertThat(SyncMessageWriter.entryLength(1, entry)).isEqualTo(42);
    }

    @Test
    void shouldWriteOptionsInTheOrderSeqPeDataPeName() {
        SyncEntry entry = plainV4(0x1683).seq(0, 0, 0, 0, 0, 0).peName("sip");
        entry.peData(new byte[] {'x'}, 0, 1);
        SyncMessageWriter w = writer(1472).start(1, 1);
        w.tryAppend(entry);
        w.finish();

        // fixed part ends at 8 + 36 = 44: SEQ TLV 26 bytes, then PE_DATA at 70, PE_NAME at 73
        byte[] msg = bytes(w);
        assertThat(toHex(msg, 44, 2)).isEqualTo("01 18");
        assertThat(toHex(msg, 70, 8)).isEqualTo("02 01 78 03 03 73 69 70");
        assertRoundTrip(w, true);
    }

    @Test
    void shouldWriteIpv6EntryWithTypeByteOneAnd72Bytes() {
        SyncMessageWriter w = writer(1472).start(1, 1);
        w.tryAppend(plainV6());
        assertThat(w.finish()).isEqualTo(80);

        byte[] msg = bytes(w);
        // type 01, TCP, ver_size 0x0048; caddr 2001:db8::1, vaddr 2001:db8::100, daddr 2001:db8:1::2
        assertThat(toHex(msg, 8, 4)).isEqualTo("01 06 00 48");
        assertThat(toHex(msg, 32, 48)).isEqualTo(toHex(hex("""
            2001 0db8 0000 0000 0000 0000 0000 0001
            2001 0db8 0000 0000 0000 0000 0000 0100
            2001 0db8 0001 0000 0000 0000 0000 0002"""), 0, 48));
        assertRoundTrip(w, false);
    }

    @Test
    void shouldRoundTripIpv6TemplateWithSeqAndPeOptions() {
        SyncEntry entry = new SyncEntry().copyFrom(plainV6());
        entry.flags = 0x1600 | 0x3;
        entry.fwmark = 0x7fff_0001;
        entry.timeout = -1;
        entry.seq(-1, 0x01020304, 7, 8, -9, 10);
        entry.peData(new byte[] {1, 2, 3, 4, 5}, 0, 5).peName("sip");
        SyncMessageWriter w = writer(1472).start(1, 200);
        w.tryAppend(plainV4(0x83));
        w.tryAppend(entry);
        w.tryAppend(plainV4(0x83));
        w.finish();

        assertThat(reader.read(w.buffer(), 0, w.length(), 200, recorder, counters)).isEqualTo(3);
        SyncEntry got = recorder.entries.get(1);
        assertThat(got.af).isEqualTo(Af.INET6);
        assertThat(got.flags).isEqualTo(0x1623);
        assertThat(new int[] {got.fwmark, got.timeout}).containsExactly(0x7fff_0001, -1);
        assertThat(new int[] {got.inSeqInit, got.inSeqDelta, got.inSeqPreviousDelta, got.outSeqInit,
            got.outSeqDelta, got.outSeqPreviousDelta}).containsExactly(-1, 0x01020304, 7, 8, -9, 10);
        assertThat(new long[] {got.caddrHi, got.caddrLo, got.daddrHi, got.daddrLo})
            .containsExactly(entry.caddrHi, entry.caddrLo, entry.daddrHi, entry.daddrLo);
        assertThat(got.peDataLength).isEqualTo(5);
        assertThat(got.peNameString()).isEqualTo("sip");
    }

    // ---- bad input ----

    @Test
    void shouldRejectEntriesWithOutOfRangeFields() {
        SyncMessageWriter w = writer(1472).start(1, 1);

        assertBad(w, x -> x.af = 3, "address family 3");
        assertBad(w, x -> x.protocol = 256, "protocol 256");
        assertBad(w, x -> x.state = 65536, "state 65536");
        assertBad(w, x -> x.vport = -1, "port");
        assertBad(w, x -> x.daddrLo = 1L << 32, "IPv4 address");
        assertBad(w, x -> x.caddrHi = 1, "IPv4 address");
        assertBad(w, x -> x.peDataLength = 256, "PE data length 256");
        assertBad(w, x -> x.peNameLength = 17, "PE name length 17");
        assertThat(w.entryCount()).isZero();
    }

    @Test
    void shouldRejectBadWriterSetup() {
        SyncMessageWriter w = new SyncMessageWriter();
        UnsafeBuffer small = new UnsafeBuffer(new byte[386]);

        assertThatThrownBy(() -> w.start(1, 1)).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("not wrapped");
        assertThatThrownBy(() -> w.wrap(small, 0, 100)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("387");
        assertThatThrownBy(() -> w.wrap(new UnsafeBuffer(new byte[2000]), 0, 0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxlen 0");
        assertThatThrownBy(() -> w.wrap(new UnsafeBuffer(new byte[70000]), 0, 65536))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxlen 65536");
        w.wrap(new UnsafeBuffer(new byte[2000]), 0, 1472);
        assertThatThrownBy(() -> w.tryAppend(plainV4(0x83))).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("start()");
        assertThatThrownBy(() -> w.start(2, 1)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("version 2");
        assertThatThrownBy(() -> w.start(1, 256)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("syncid 256");
    }

    @Test
    void shouldRejectBadPeDataAndNameOnTheEntry() {
        SyncEntry entry = new SyncEntry();

        assertThatThrownBy(() -> entry.peData(new byte[300], 0, 256)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("256");
        assertThatThrownBy(() -> entry.peName("x".repeat(17))).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("longer than 16");
        assertThatThrownBy(() -> entry.peName("s\u00e9p")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("ASCII");
    }

    @Test
    void shouldWriteMessageAtAnOffset() {
        UnsafeBuffer buf = new UnsafeBuffer(new byte[1000]);
        SyncMessageWriter w = new SyncMessageWriter().wrap(buf, 13, 200).start(1, 7);
        w.tryAppend(plainV4(0x83));
        w.tryAppend(plainV4(0x83));

        assertThat(w.finish()).isEqualTo(80);
        assertThat(reader.read(buf, 13, 80, 7, recorder, counters)).isEqualTo(2);
    }

    // ---- helpers ----

    private void assertBad(SyncMessageWriter w, Consumer<SyncEntry> breaker, String message) {
        SyncEntry entry = plainV4(0x83);
        breaker.accept(entry);
        assertThatThrownBy(() -> w.tryAppend(entry)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(message);
    }

    private void assertRoundTrip(SyncMessageWriter w, boolean seq) {
        assertThat(reader.read(w.buffer(), w.offset(), w.length(), 0, recorder, counters)).isEqualTo(1);
        SyncEntry got = recorder.entries.get(recorder.entries.size() - 1);
        assertThat(got.seqPresent).isEqualTo(seq);
        assertThat(counters.droppedTotal() + counters.skippedTotal()).isZero();
    }

    private SyncEntry plainV4(int flags) {
        return v4(e, 6, flags, 1, 40000, 80, 80, 900, "10.0.0.1", "10.1.1.1", "10.2.2.2");
    }

    private SyncEntry plainV6() {
        e.clear();
        e.af = Af.INET6;
        e.protocol = 6;
        e.flags = 0x83;
        e.state = 1;
        e.cport = 40000;
        e.vport = 443;
        e.dport = 443;
        e.timeout = 900;
        e.caddrHi = 0x20010db800000000L;
        e.caddrLo = 1;
        e.vaddrHi = 0x20010db800000000L;
        e.vaddrLo = 0x100;
        e.daddrHi = 0x20010db800010000L;
        e.daddrLo = 2;
        return e;
    }

    private static byte[] bytes(SyncMessageWriter w) {
        byte[] b = new byte[w.length()];
        w.buffer().getBytes(w.offset(), b);
        return b;
    }
}
