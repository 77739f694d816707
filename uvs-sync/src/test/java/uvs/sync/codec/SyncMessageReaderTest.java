package uvs.sync.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static uvs.sync.codec.SyncGoldenTest.V0_ONE_TCP;
import static uvs.sync.codec.SyncGoldenTest.V1_SEQ_PAD_UDP;
import static uvs.sync.codec.SyncGoldenTest.V1_TWO_TCP;

import java.util.Arrays;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import uvs.core.net.Af;

/**
 * Every receiver rule of reference §1.6 and §1.4 with hand-built datagrams: which faults drop the whole
 * message, which drop the rest of it (earlier entries stay delivered) and which skip one entry, and how
 * each is counted.
 */
class SyncMessageReaderTest {
    private SyncMessageReader reader = new SyncMessageReader();
    private final SyncReceiveCounters counters = new SyncReceiveCounters();
    private final RawDatagram.Recorder recorder = new RawDatagram.Recorder();

    // ---- message header checks ----

    @Test
    void shouldDropDatagramShorterThanFourBytes() {
        for (int len = 0; len < 4; len++) {
            // buffer of exactly len bytes: the reader must not look any further
            int n = reader.read(new UnsafeBuffer(Arrays.copyOf(V0_ONE_TCP, len)), 0, len, 0, recorder, counters);
            assertThat(n).isZero();
        }
        assertThat(counters.dropped(SyncDropReason.TOO_SHORT)).isEqualTo(4);
        assertThat(counters.messages()).isEqualTo(4);
        assertThat(counters.bytes()).isEqualTo(0 + 1 + 2 + 3);
        assertThat(recorder.entries).isEmpty();
    }

    @Test
    void shouldDropWhenLengthDiffersFromSizeField() {
        // size field says 80 (0x0050); one byte less, and one byte more
        assertThat(read(Arrays.copyOf(V1_TWO_TCP, 79))).isZero();
        assertThat(read(Arrays.copyOf(V1_TWO_TCP, 81))).isZero();

        assertThat(counters.dropped(SyncDropReason.SIZE_MISMATCH)).isEqualTo(2);
        assertThat(counters.v1Messages() + counters.v0Messages()).isZero();
    }

    @Test
    void shouldAcceptAnySyncidWhenBackupSyncidIsZeroElseOnlyItsOwn() {
        assertThat(read(V1_TWO_TCP, 0)).isEqualTo(2);
        assertThat(read(V1_TWO_TCP, 7)).isEqualTo(2);
        assertThat(read(V1_TWO_TCP, 8)).isZero();

        assertThat(counters.dropped(SyncDropReason.SYNCID_MISMATCH)).isEqualTo(1);
        assertThat(counters.entriesAccepted()).isEqualTo(4);
    }

    @Test
    void shouldParseV1MessageWithNonZeroSpareAsV0() {
        // spare (bytes 6..7) = 0x0001 → v0 parser; v0 nr_conns is byte 0 = 0 → nothing, nothing dropped
        byte[] d = patch(V1_TWO_TCP, 7, 0x01);

        assertThat(read(d)).isZero();
        assertThat(counters.v0Messages()).isEqualTo(1);
        assertThat(counters.v1Messages()).isZero();
        assertThat(counters.droppedTotal() + counters.skippedTotal()).isZero();
    }

    @Test
    void shouldParseMessageWithVersionOtherThanOneAsV0() {
        assertThat(read(patch(V1_TWO_TCP, 5, 0x02))).isZero();
        // version is a signed char: 0xff is -1, not 1
        assertThat(read(patch(V1_TWO_TCP, 5, 0xff))).isZero();

        assertThat(counters.v0Messages()).isEqualTo(2);
    }

    @Test
    void shouldParseV1MessageWithNonZeroReservedAsV0Entries() {
        // reserved = 1 → v0 with nr_conns 1; v0 entry at offset 4 is "02 01 00 00 00 06 00 24 ...":
        // protocol byte 5 = 0x01 (ICMP), flags at 24..25 = 0x0000 (no TEMPLATE) → unknown protocol, skipped
        byte[] d = patch(V1_TWO_TCP, 0, 0x01);

        assertThat(read(d)).isZero();
        assertThat(counters.v0Messages()).isEqualTo(1);
        assertThat(counters.skipped(SyncSkipReason.UNKNOWN_PROTOCOL)).isEqualTo(1);
    }

    @Test
    void shouldParseDatagramShorterThanV1HeaderAsV0() {
        // 6 bytes, byte 0 = 0: v0 with nr_conns 0 (bytes 4..7 of a v1 header do not exist)
        assertThat(read(RawDatagram.hex("00 07 00 06 01 01"))).isZero();
        // byte 0 = 1: v0 with one entry, but 4 + 24 > 6
        assertThat(read(RawDatagram.hex("01 07 00 06 00 00"))).isZero();

        assertThat(counters.v0Messages()).isEqualTo(2);
        assertThat(counters.dropped(SyncDropReason.TRUNCATED_ENTRY)).isEqualTo(1);
    }

    @Test
    void shouldIgnoreBytesAfterTheLastCountedEntry() {
        // v1 header, nr_conns 0, then 36 bytes of an entry: nothing parsed, nothing counted as a fault
        byte[] d = patch(V1_TWO_TCP, 4, 0x00);

        assertThat(read(d)).isZero();
        assertThat(counters.v1Messages()).isEqualTo(1);
        assertThat(counters.droppedTotal() + counters.skippedTotal()).isZero();
    }

    // ---- v1 entry framing (§1.6 step 5) ----

    @Test
    void shouldDropRestWhenFewerThan36BytesAreLeft() {
        // nr_conns 3 but only two entries: 8 + 36 + 36 = 80, 80 + 36 > 80
        assertThat(read(patch(V1_TWO_TCP, 4, 0x03))).isEqualTo(2);
        assertThat(counters.dropped(SyncDropReason.TRUNCATED_ENTRY)).isEqualTo(1);
    }

    @Test
    void shouldNotReadEntriesBeyondTheDatagramLength() {
        // a valid third entry sits in the buffer right after the 80-byte datagram; nr_conns says 3
        byte[] buf = Arrays.copyOf(patch(V1_TWO_TCP, 4, 0x03), 116);
        System.arraycopy(V1_TWO_TCP, 8, buf, 80, 36);

        int n = reader.read(new UnsafeBuffer(buf), 0, 80, 0, recorder, counters);

        assertThat(n).isEqualTo(2);
        assertThat(counters.dropped(SyncDropReason.TRUNCATED_ENTRY)).isEqualTo(1);
    }

    @Test
    void shouldDropRestWhenEntrySizeRunsPastTheDatagram() {
        // second entry (at 44) declares 40 bytes: 44 + 40 = 84 > 80
        assertThat(read(patch(V1_TWO_TCP, 46, 0x00, 0x28))).isEqualTo(1);
        assertThat(counters.dropped(SyncDropReason.TRUNCATED_ENTRY)).isEqualTo(1);
        assertThat(recorder.entries.get(0).cport).isEqualTo(12345);
    }

    @Test
    void shouldDropRestWhenEntryFormatVersionIsNotZero() {
        // ver_size 0x1024: version 1, size 36
        assertThat(read(patch(V1_TWO_TCP, 46, 0x10, 0x24))).isEqualTo(1);
        assertThat(read(patch(V1_TWO_TCP, 10, 0x10, 0x24))).isZero();
        assertThat(counters.dropped(SyncDropReason.BAD_ENTRY_VERSION)).isEqualTo(2);
    }

    @Test
    void shouldDropRestWhenTypeByteIsNeitherZeroNorIpv6() {
        assertThat(read(patch(V1_TWO_TCP, 44, 0x02))).isEqualTo(1);
        assertThat(read(patch(V1_TWO_TCP, 44, 0x80))).isEqualTo(1);
        assertThat(counters.dropped(SyncDropReason.BAD_TYPE)).isEqualTo(2);
    }

    @Test
    void shouldTreatAnyTypeWithBitZeroAsIpv6() {
        // type 3 has bit 0 → IPv6 layout of 72 bytes, but the entry says 36 → size below fixed part
        assertThat(read(patch(V1_TWO_TCP, 44, 0x03))).isEqualTo(1);
        assertThat(counters.dropped(SyncDropReason.BAD_ENTRY_SIZE)).isEqualTo(1);
    }

    @Test
    void shouldDropRestWhenEntrySizeIsBelowItsFixedPart() {
        assertThat(read(patch(V1_TWO_TCP, 10, 0x00, 0x20))).isZero();
        assertThat(read(patch(V1_TWO_TCP, 10, 0x00, 0x00))).isZero();
        assertThat(counters.dropped(SyncDropReason.BAD_ENTRY_SIZE)).isEqualTo(2);
    }

    @Test
    void shouldFindNextEntryAtAlignedOffsetWhateverThePaddingHolds() {
        // entry 1 is 62 bytes at 8 → ends at 70; next entry at 8 + ((62 + 3) & ~3) = 72
        assertThat(read(patch(V1_SEQ_PAD_UDP, 0x46, 0xff, 0xff))).isEqualTo(2);
        assertThat(recorder.entries.get(1).cport).isEqualTo(5353);
    }

    @Test
    void shouldAcceptLastEntryWithoutTrailingPadding() {
        // first 70 bytes of the SEQ example, nr_conns 1, size 70 (0x46): no padding after the last entry
        byte[] d = patch(Arrays.copyOf(V1_SEQ_PAD_UDP, 70), 2, 0x00, 0x46, 0x01);

        assertThat(read(d)).isEqualTo(1);
        assertThat(recorder.entries.get(0).seqPresent).isTrue();
    }

    @Test
    void shouldDecodeIpv6Entry() {
        RawDatagram d = new RawDatagram().hexBytes("00 07 00 00 01 01 00 00")
            // type 1, TCP, ver_size 72, flags 0x83, state 1, ports 40000/443/8443, fwmark 9, timeout 900
            .hexBytes("01 06 00 48 00 00 00 83 00 01 9c 40 01 bb 20 fb 00 00 00 09 00 00 03 84")
            .hexBytes("2001 0db8 0000 0000 0000 0000 0000 0001")   // caddr 2001:db8::1
            .hexBytes("2001 0db8 0000 0000 0000 0000 0000 0100")   // vaddr 2001:db8::100
            .hexBytes("2001 0db8 0001 0000 0000 0000 0000 0002")   // daddr 2001:db8:1::2
            .fixSize();

        assertThat(read(d.toArray())).isEqualTo(1);
        SyncEntry e = recorder.entries.get(0);
        assertThat(e.af).isEqualTo(Af.INET6);
        assertThat(new int[] {e.protocol, e.flags, e.state, e.cport, e.vport, e.dport, e.fwmark, e.timeout})
            .containsExactly(6, 0xa3, 1, 40000, 443, 8443, 9, 900);
        assertThat(new long[] {e.caddrHi, e.caddrLo, e.vaddrHi, e.vaddrLo, e.daddrHi, e.daddrLo}).containsExactly(
            0x20010db800000000L, 1L, 0x20010db800000000L, 0x100L, 0x20010db800010000L, 2L);
    }

    @Test
    void shouldSkipIpv6EntryWhenIpv6IsDisabledBeforeLookingAtIt() {
        reader = new SyncMessageReader(SyncPeRegistry.SIP, false);
        // entry 1 becomes "IPv6" (type 1) with a size of only 36: a kernel without IPv6 skips it at once
        byte[] d = patch(V1_TWO_TCP, 8, 0x01);

        assertThat(read(d)).isEqualTo(1);
        assertThat(counters.skipped(SyncSkipReason.IPV6_UNSUPPORTED)).isEqualTo(1);
        assertThat(counters.droppedTotal()).isZero();
        assertThat(recorder.entries.get(0).cport).isZero();
    }

    // ---- v1 options (§1.4): drop the rest vs skip one entry ----

    @Test
    void shouldDropRestWhenSeqDataIsNot24Bytes() {
        assertThat(readAroundOption("01 17" + " 00".repeat(23))).isEqualTo(1);
        assertThat(readAroundOption("01 19" + " 00".repeat(25))).isEqualTo(1);
        assertThat(counters.dropped(SyncDropReason.BAD_OPTION)).isEqualTo(2);
    }

    @Test
    void shouldDropRestWhenAKnownOptionAppearsTwice() {
        String seq = "01 18" + " 00".repeat(24);
        assertThat(readAroundOption(seq + seq)).isEqualTo(1);
        assertThat(readAroundOption("02 01 61 02 01 62 03 03 73 69 70")).isEqualTo(1);
        assertThat(readAroundOption("02 01 61 03 03 73 69 70 03 03 73 69 70")).isEqualTo(1);
        assertThat(counters.dropped(SyncDropReason.BAD_OPTION)).isEqualTo(3);
    }

    @Test
    void shouldDropRestWhenOptionLengthIsZero() {
        // even an "optional" (0x40) type must have data
        assertThat(readAroundOption("45 00")).isEqualTo(1);
        assertThat(counters.dropped(SyncDropReason.BAD_OPTION)).isEqualTo(1);
    }

    @Test
    void shouldDropRestWhenPeNameIsLongerThan16() {
        assertThat(readAroundOption("02 01 61 03 11 " + "73 ".repeat(17))).isEqualTo(1);
        assertThat(counters.dropped(SyncDropReason.BAD_OPTION)).isEqualTo(1);
    }

    @Test
    void shouldDropRestWhenOptionRunsPastEntryEnd() {
        // option says 5 data bytes, entry holds 2 of them
        assertThat(readAroundOption("02 05 61 62")).isEqualTo(1);
        // a lone type byte: the TLV header itself is cut
        assertThat(readAroundOption("02")).isEqualTo(1);
        assertThat(counters.dropped(SyncDropReason.TRUNCATED_OPTION)).isEqualTo(2);
    }

    @Test
    void shouldSkipOnlyTheEntryWithAnUnknownMandatoryOption() {
        assertThat(readAroundOption("05 02 00 00")).isEqualTo(2);
        // type 0 is not a known option either
        assertThat(readAroundOption("00 01 00")).isEqualTo(2);
        // parsing stops at the unknown option: the broken SEQ after it is never seen
        assertThat(readAroundOption("05 02 00 00 01 17" + " 00".repeat(23))).isEqualTo(2);

        assertThat(counters.skipped(SyncSkipReason.UNKNOWN_OPTION)).isEqualTo(3);
        assertThat(counters.droppedTotal()).isZero();
        assertThat(recorder.entries).extracting(e -> e.cport).containsExactly(1111, 3333, 1111, 3333, 1111, 3333);
    }

    @Test
    void shouldIgnoreUnknownOptionalOptionButStillCheckTheOnesAfterIt() {
        assertThat(readAroundOption("45 02 00 00")).isEqualTo(3);
        assertThat(readAroundOption("45 02 00 00 01 17" + " 00".repeat(23))).isEqualTo(1);
        assertThat(counters.dropped(SyncDropReason.BAD_OPTION)).isEqualTo(1);
    }

    @Test
    void shouldMatchOptionTypeWithTheOptionalBitMaskedOff() {
        // 0x41 = SEQ_DATA | 0x40: still SEQ_DATA, big-endian words
        String seq = "41 18 00000001 00000002 00000003 00000004 00000005 fffffffa";

        assertThat(readAroundOption(seq)).isEqualTo(3);
        SyncEntry e = recorder.entries.get(1);
        assertThat(e.seqPresent).isTrue();
        assertThat(new int[] {e.inSeqInit, e.inSeqDelta, e.inSeqPreviousDelta, e.outSeqInit, e.outSeqDelta,
            e.outSeqPreviousDelta}).containsExactly(1, 2, 3, 4, 5, -6);
    }

    @Test
    void shouldReadTheUvsExpiresOptionAndLeaveItUnsetWithout() {
        assertThat(readAroundOption("7e 04 00 0d bb a0")).isEqualTo(3);
        assertThat(recorder.entries).extracting(e -> e.expiresInMillis).containsExactly(-1, 900_000, -1);
        // between other options, in any order
        assertThat(readAroundOption("7e 04 00 00 00 00 41 18" + " 00".repeat(24))).isEqualTo(3);
        assertThat(recorder.entries.get(4).expiresInMillis).isZero();
        assertThat(recorder.entries.get(4).seqPresent).isTrue();
    }

    @Test
    void shouldDropRestOnAMalformedExpiresOption() {
        assertThat(readAroundOption("7e 03 00 00 01")).as("3 bytes").isEqualTo(1);
        assertThat(readAroundOption("7e 05 00 00 00 01 00")).as("5 bytes").isEqualTo(1);
        assertThat(readAroundOption("7e 04 00 00 00 01 7e 04 00 00 00 02")).as("twice").isEqualTo(1);
        assertThat(readAroundOption("7e 04 80 00 00 00")).as("2^31 ms and more").isEqualTo(1);
        assertThat(counters.dropped(SyncDropReason.BAD_OPTION)).isEqualTo(4);
    }

    @Test
    void shouldSkipEntryWithPeDataButNoPeName() {
        assertThat(readAroundOption("02 03 61 62 63")).isEqualTo(2);
        assertThat(counters.skipped(SyncSkipReason.PE_DATA_WITHOUT_NAME)).isEqualTo(1);
    }

    @Test
    void shouldSkipEntryWithUnregisteredPeName() {
        assertThat(readAroundOption("02 03 61 62 63 03 03 66 6f 6f")).isEqualTo(2);
        assertThat(counters.skipped(SyncSkipReason.UNKNOWN_PE)).isEqualTo(1);
    }

    @Test
    void shouldAcceptPeDataWithSipNameInEitherOrder() {
        assertThat(readAroundOption("02 03 61 62 63 03 03 73 69 70")).isEqualTo(3);
        assertThat(readAroundOption("03 03 73 69 70 02 03 61 62 63")).isEqualTo(3);

        for (SyncEntry e : new SyncEntry[] {recorder.entries.get(1), recorder.entries.get(4)}) {
            assertThat(Arrays.copyOf(e.peData, e.peDataLength)).containsExactly('a', 'b', 'c');
            assertThat(e.peNameString()).isEqualTo("sip");
        }
    }

    @Test
    void shouldLookUpPeNameUpToItsFirstNulLikeTheKernel() {
        // "sip\0": the kernel NUL-terminates a copy and looks up the C string "sip"
        assertThat(readAroundOption("02 01 61 03 04 73 69 70 00")).isEqualTo(3);
        assertThat(recorder.entries.get(1).peNameString()).isEqualTo("sip");
        // "\0sip" is the empty name: not registered
        assertThat(readAroundOption("02 01 61 03 04 00 73 69 70")).isEqualTo(2);
        assertThat(counters.skipped(SyncSkipReason.UNKNOWN_PE)).isEqualTo(1);
    }

    @Test
    void shouldIgnorePeNameWithoutPeData() {
        assertThat(readAroundOption("03 03 73 69 70")).isEqualTo(3);
        SyncEntry e = recorder.entries.get(1);
        assertThat(e.peNameLength).isZero();
        assertThat(e.peDataLength).isZero();
    }

    @Test
    void shouldUseTheGivenPeRegistry() {
        reader = new SyncMessageReader((name, len) -> len == 3 && name[0] == 'f', true);

        assertThat(readAroundOption("02 01 61 03 03 66 6f 6f")).isEqualTo(3);
        assertThat(readAroundOption("02 01 61 03 03 73 69 70")).isEqualTo(2);
    }

    @Test
    void shouldCheckOptionsBeforeProtocolAndState() {
        // protocol 99 would be skipped, but the broken option drops the rest first (kernel order)
        assertThat(readAround(99, 0x83, 1, "01 17" + " 00".repeat(23))).isEqualTo(1);
        assertThat(counters.dropped(SyncDropReason.BAD_OPTION)).isEqualTo(1);
        // and an unknown mandatory option is reported instead of the unknown protocol
        assertThat(readAround(99, 0x83, 1, "05 01 00")).isEqualTo(2);
        assertThat(counters.skipped(SyncSkipReason.UNKNOWN_OPTION)).isEqualTo(1);
        assertThat(counters.skipped(SyncSkipReason.UNKNOWN_PROTOCOL)).isZero();
    }

    // ---- v1 protocol, state and flags (§1.6 step 6) ----

    @Test
    void shouldSkipNonTemplateEntryOfUnknownProtocol() {
        // ICMP (1), ESP (50), IPPROTO_IP (0) without TEMPLATE: no IPVS state machine
        assertThat(readAround(1, 0x83, 0, "")).isEqualTo(2);
        assertThat(readAround(50, 0x83, 0, "")).isEqualTo(2);
        assertThat(readAround(0, 0x83, 0, "")).isEqualTo(2);
        assertThat(counters.skipped(SyncSkipReason.UNKNOWN_PROTOCOL)).isEqualTo(3);
    }

    @Test
    void shouldSkipNonTemplateEntryWhoseStateIsOutOfRange() {
        // state counts from §5: TCP 11 (0..10 SYNACK), UDP 1, SCTP 14 (0..13 CLOSED)
        assertThat(readAround(6, 0x83, 10, "")).isEqualTo(3);
        assertThat(readAround(6, 0x83, 11, "")).isEqualTo(2);
        assertThat(readAround(17, 0x83, 0, "")).isEqualTo(3);
        assertThat(readAround(17, 0x83, 1, "")).isEqualTo(2);
        assertThat(readAround(132, 0x83, 13, "")).isEqualTo(3);
        assertThat(readAround(132, 0x83, 14, "")).isEqualTo(2);
        assertThat(readAround(6, 0x83, 0xffff, "")).isEqualTo(2);
        assertThat(counters.skipped(SyncSkipReason.BAD_STATE)).isEqualTo(4);
    }

    @Test
    void shouldAcceptTemplatesOfAnyProtocolAndCountBadTemplateStates() {
        // fwmark template: protocol 0, TEMPLATE|DROUTE = 0x1003; states 0, 1 fine, 2 and 0x1234 only counted
        assertThat(readAround(0, 0x1003, 1, "")).isEqualTo(3);
        assertThat(readAround(0, 0x1003, 2, "")).isEqualTo(3);
        assertThat(readAround(99, 0x1003, 0x1234, "")).isEqualTo(3);

        assertThat(counters.templatesWithBadState()).isEqualTo(2);
        assertThat(counters.skippedTotal()).isZero();
        assertThat(recorder.entries.get(7).state).isEqualTo(0x1234);
    }

    @Test
    void shouldMaskV1FlagsWithBackupMaskAndAddSync() {
        // NFCT|ONE_PACKET|HASHED|DROUTE = 0x12043 → & 0x1F87 = 0x0003, | SYNC = 0x23
        assertThat(readAround(6, 0x12043, 1, "")).isEqualTo(3);
        assertThat(recorder.entries.get(1).flags).isEqualTo(0x23);
        // all 32 bits set (a template) → 0x1F87 | 0x20 = 0x1FA7
        assertThat(readAround(6, 0xffffffff, 1, "")).isEqualTo(3);
        assertThat(recorder.entries.get(4).flags).isEqualTo(0x1fa7);
    }

    // ---- v0 (§1.5, §1.6 step 7) ----

    @Test
    void shouldKeepV0FlagsWithoutBackupMaskButClearHashed() {
        // 0xA0C3 (bit 15|ONE_PACKET|HASHED|NOOUTPUT|DROUTE) | SYNC 0x20, & ~HASHED 0x40 = 0xA0A3
        byte[] d = v0(1, "00 06 30 39 00 50 00 50 0a000001 0a010101 0a020202 a0c3 0001");

        assertThat(read(d)).isEqualTo(1);
        SyncEntry e = recorder.entries.get(0);
        assertThat(e.flags).isEqualTo(0xa0a3);
        assertThat(e.timeout).isZero();
        assertThat(e.fwmark).isZero();
        assertThat(e.seqPresent).isFalse();
    }

    @Test
    void shouldReadV0SeqDataLittleEndian() {
        // flags 0x0600 (IN_SEQ|OUT_SEQ): 24 more bytes, each u32 in x86 host order
        byte[] d = v0(1, "00 06 30 39 00 50 00 50 0a000001 0a010101 0a020202 0600 0001"
            + " 01000000 02000000 03000000 44332211 05000000 faffffff");

        assertThat(read(d)).isEqualTo(1);
        SyncEntry e = recorder.entries.get(0);
        assertThat(e.seqPresent).isTrue();
        assertThat(new int[] {e.inSeqInit, e.inSeqDelta, e.inSeqPreviousDelta, e.outSeqInit, e.outSeqDelta,
            e.outSeqPreviousDelta}).containsExactly(1, 2, 3, 0x11223344, 5, -6);
    }

    @Test
    void shouldDropRestOfV0MessageWhenAnEntryDoesNotFit() {
        String entry = "00 06 30 39 00 50 00 50 0a000001 0a010101 0a020202 0083 0001";
        // nr_conns 2, one entry
        assertThat(read(v0(2, entry))).isEqualTo(1);
        // seq flag but no seq bytes: 4 + 48 > 28
        assertThat(read(v0(1, entry.replace("0083", "0483")))).isZero();
        assertThat(counters.dropped(SyncDropReason.TRUNCATED_ENTRY)).isEqualTo(2);
    }

    @Test
    void shouldSkipV0EntriesOfUnknownProtocolOrBadState() {
        String ok = "00 06 30 39 00 50 00 50 0a000001 0a010101 0a020202 0083 0001";
        String icmp = "00 01 30 39 00 50 00 50 0a000001 0a010101 0a020202 0083 0001";
        String tcpState11 = "00 06 30 39 00 50 00 50 0a000001 0a010101 0a020202 0083 000b";
        String templateState5 = "00 00 00 00 00 50 00 50 0a000001 0a010101 0a020202 1083 0005";

        assertThat(read(v0(4, icmp + tcpState11 + templateState5 + ok))).isEqualTo(2);
        assertThat(counters.skipped(SyncSkipReason.UNKNOWN_PROTOCOL)).isEqualTo(1);
        assertThat(counters.skipped(SyncSkipReason.BAD_STATE)).isEqualTo(1);
        assertThat(counters.templatesWithBadState()).isEqualTo(1);
    }

    // ---- caller errors ----

    @Test
    void shouldRejectDatagramBoundsOutsideTheBuffer() {
        UnsafeBuffer b = new UnsafeBuffer(V1_TWO_TCP);

        assertThatThrownBy(() -> reader.read(b, 1, 80, 0, recorder, counters))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside buffer");
        assertThatThrownBy(() -> reader.read(b, -1, 4, 0, recorder, counters))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside buffer");
        assertThatThrownBy(() -> reader.read(b, 0, -1, 0, recorder, counters))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside buffer");
    }

    @Test
    void shouldRejectBackupSyncidOutsideByteRange() {
        UnsafeBuffer b = new UnsafeBuffer(V1_TWO_TCP);

        assertThatThrownBy(() -> reader.read(b, 0, 80, 256, recorder, counters))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("syncid 256");
        assertThatThrownBy(() -> new SyncMessageReader(null, true))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("peRegistry");
    }

    @Test
    void shouldReadDatagramAtAnOffset() {
        byte[] buf = new byte[200];
        Arrays.fill(buf, (byte) 0x5a);
        System.arraycopy(V1_TWO_TCP, 0, buf, 37, 80);

        assertThat(reader.read(new UnsafeBuffer(buf), 37, 80, 0, recorder, counters)).isEqualTo(2);
        assertThat(recorder.entries.get(1).timeout).isEqualTo(360);
    }

    // ---- helpers ----

    private int read(byte[] d) {
        return read(d, 0);
    }

    private int read(byte[] d, int backupSyncid) {
        return reader.read(new UnsafeBuffer(d), 0, d.length, backupSyncid, recorder, counters);
    }

    /** A copy of {@code base} with bytes replaced from {@code at}. */
    private static byte[] patch(byte[] base, int at, int... values) {
        byte[] d = base.clone();
        for (int i = 0; i < values.length; i++) {
            d[at + i] = (byte) values[i];
        }
        return d;
    }

    /** v1 message: good TCP entry (cport 1111), TCP entry carrying the options (cport 2222), good UDP (3333). */
    private int readAroundOption(String options) {
        return readAround(6, 0x83, 1, options);
    }

    /**
     * Reads a v1 message of three entries: a good TCP entry (cport 1111), the entry under test (cport 2222;
     * given protocol, flags, state and raw option bytes) and a good UDP entry (cport 3333), each 4-aligned.
     * A drop of the rest delivers 1 entry, a skip delivers 2, acceptance 3.
     */
    private int readAround(int protocol, int flags, int state, String options) {
        byte[] opt = RawDatagram.hex(options);
        RawDatagram d = new RawDatagram().hexBytes("00 07 00 00 03 01 00 00");
        d.v1Entry4(0, 6, 36, 0x83, 1, 1111, 80, 80, 0, 900, "10.0.0.1", "10.1.1.1", "10.2.2.2");
        d.v1Entry4(0, protocol, 36 + opt.length, flags, state, 2222, 80, 80, 0, 900, "10.0.0.2", "10.1.1.1",
            "10.2.2.2");
        for (byte b : opt) {
            d.u8(b);
        }
        while (d.length() % 4 != 0) {
            d.u8(0);
        }
        d.v1Entry4(0, 17, 36, 0x100, 0, 3333, 53, 53, 0, 300, "10.0.0.3", "10.1.1.1", "10.2.2.3");
        return read(d.fixSize().toArray());
    }

    /** A v0 message with the given nr_conns and raw entry bytes; size set to the real length. */
    private static byte[] v0(int nrConns, String entries) {
        return new RawDatagram().u8(nrConns).u8(7).u16(0).hexBytes(entries).fixSize().toArray();
    }
}
