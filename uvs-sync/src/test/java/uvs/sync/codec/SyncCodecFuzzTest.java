package uvs.sync.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import uvs.core.conn.ConnFlags;
import uvs.core.net.Af;
import uvs.core.proto.ProtocolHandler;
import uvs.core.proto.Protocols;

/**
 * Seeded fuzzing of the backup's reader: valid messages from the writer are mutated (bit flips, byte
 * changes, truncation, extension, random garbage, with the size field usually repaired so that the entry
 * parser is reached) and read. Every datagram must be fully handled or dropped/skipped and counted, no
 * exception may escape, and no delivered entry may break the invariants (known protocol and state in
 * range for non-templates, v1 flags within BACKUP_MASK|SYNC, v0 flags 16 bits with SYNC and without
 * HASHED, PE data only with the "sip" PE). Unmutated messages must round-trip exactly.
 *
 * <p>Case count: {@code -Duvs.fuzz.cases=10000000} for a soak run (default 50 000). Case {@code i} uses
 * seed {@code base + i} with base {@code -Duvs.fuzz.seed=N} (default {@link #DEFAULT_SEED}); a failure
 * prints its case seed, which replays alone with {@code -Duvs.fuzz.seed=SEED -Duvs.fuzz.cases=1}.
 */
class SyncCodecFuzzTest {
    static final long DEFAULT_SEED = 0x5eed_2024_0001L;

    private static final int[] INTERESTING = {0x00, 0x01, 0x02, 0x03, 0x05, 0x18, 0x24, 0x40, 0x41, 0x43, 0x7f, 0x80,
        0xff};
    private static final int MAX_DATAGRAM = 70_000;

    private final byte[] bytes = new byte[MAX_DATAGRAM];
    private final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
    private final SyncMessageWriter writer = new SyncMessageWriter().wrap(buffer, 0, 65_535);
    private final SyncMessageReader reader = new SyncMessageReader();
    private final SyncMessageReader readerWithoutIpv6 = new SyncMessageReader(SyncPeRegistry.SIP, false);
    private final SyncReceiveCounters counters = new SyncReceiveCounters();
    private final SyncEntry scratch = new SyncEntry();
    private final SyncEntry[] sent = new SyncEntry[SyncMessageWriter.MAX_ENTRIES];
    private final Checker checker = new Checker();

    @Test
    void shouldHandleOrCountEveryMutatedDatagram() {
        int cases = Integer.getInteger("uvs.fuzz.cases", 50_000);
        long base = Long.getLong("uvs.fuzz.seed", DEFAULT_SEED);
        for (int i = 0; i < sent.length; i++) {
            sent[i] = new SyncEntry();
        }
        int unmutated = 0;
        for (int i = 0; i < cases; i++) {
            long seed = base + i;
            try {
                unmutated += runCase(seed) ? 1 : 0;
            } catch (Throwable t) {
                throw new AssertionError("fuzz case failed, seed=" + seed + " (replay: -Duvs.fuzz.seed=" + seed
                    + " -Duvs.fuzz.cases=1): " + t, t);
            }
        }
        assertThat(counters.messages()).as("base seed %d", base).isEqualTo(cases);
        if (cases >= 50_000) {
            // the generator reaches every outcome: each drop and skip reason was seen
            for (SyncDropReason r : SyncDropReason.values()) {
                assertThat(counters.dropped(r)).as("drops %s, base seed %d; %s", r, base, counters).isPositive();
            }
            for (SyncSkipReason r : SyncSkipReason.values()) {
                assertThat(counters.skipped(r)).as("skips %s, base seed %d; %s", r, base, counters).isPositive();
            }
            assertThat(counters.templatesWithBadState()).isPositive();
            assertThat(unmutated).isPositive();
        }
    }

    /** One case; true when the message was left intact (and round-tripped). */
    private boolean runCase(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int version = rnd.nextInt(4) == 0 ? 0 : 1;
        int syncid = rnd.nextInt(256);
        int count = buildMessage(rnd, version, syncid);
        int length = writer.finish();

        boolean mutate = rnd.nextInt(10) != 0;
        if (mutate) {
            length = mutate(rnd, length);
            if (length >= 4 && rnd.nextInt(5) != 0) {
                buffer.putShort(2, (short) length, ByteOrder.BIG_ENDIAN);
            }
        }
        int backupSyncid = switch (rnd.nextInt(4)) {
            case 0 -> mutate ? rnd.nextInt(256) : 0;
            case 1 -> length >= 2 ? bytes[1] & 0xff : 0;
            default -> 0;
        };
        SyncMessageReader r = mutate && rnd.nextInt(8) == 0 ? readerWithoutIpv6 : reader;

        long accepted = counters.entriesAccepted();
        long dropped = counters.droppedTotal();
        long skipped = counters.skippedTotal();
        long v0 = counters.v0Messages();
        long v1 = counters.v1Messages();
        checker.start(r == readerWithoutIpv6);
        int n = r.read(buffer, 0, length, backupSyncid, checker, counters);

        long droppedNow = counters.droppedTotal() - dropped;
        long skippedNow = counters.skippedTotal() - skipped;
        long parsedV0 = counters.v0Messages() - v0;
        long parsedV1 = counters.v1Messages() - v1;
        assertThat(n).isEqualTo(checker.delivered).isEqualTo((int) (counters.entriesAccepted() - accepted));
        assertThat(droppedNow).as("at most one drop per datagram").isLessThanOrEqualTo(1);
        assertThat(parsedV0 + parsedV1).as("parsed by at most one path").isLessThanOrEqualTo(1);
        assertThat(checker.sawV0).isEqualTo(parsedV0 == 1 && n > 0);
        if (parsedV0 + parsedV1 == 0) {
            // dropped at the header: nothing delivered, nothing skipped
            assertThat(droppedNow).isEqualTo(1);
            assertThat(n + skippedNow).isZero();
        } else {
            int nrConns = parsedV1 == 1 ? bytes[4] & 0xff : bytes[0] & 0xff;
            if (droppedNow == 0) {
                assertThat(n + skippedNow).as("every entry handled or skipped").isEqualTo(nrConns);
            } else {
                assertThat(n + skippedNow).isLessThan(nrConns);
            }
        }
        if (!mutate) {
            assertThat(parsedV1).isEqualTo(version);
            assertThat(n).isEqualTo(count);
            assertThat(checker.matched).as("entries equal to those sent").isEqualTo(count);
            assertThat(skippedNow + droppedNow).isZero();
        }
        return !mutate;
    }

    /** Writes a valid message of random entries (all acceptable to the reader); returns the entry count. */
    private int buildMessage(SplittableRandom rnd, int version, int syncid) {
        int maxlen = switch (rnd.nextInt(6)) {
            case 0 -> 1 + rnd.nextInt(600);
            case 1 -> 1472 + rnd.nextInt(9000);
            default -> 1472;
        };
        writer.wrap(buffer, 0, maxlen).start(version, syncid);
        int wanted = rnd.nextInt(5) == 0 ? 1 + rnd.nextInt(60) : 1 + rnd.nextInt(5);
        checker.expected = 0;
        for (int i = 0; i < wanted; i++) {
            randomEntry(rnd, version, scratch);
            if (writer.tryAppend(scratch) != SyncAppendResult.APPENDED) {
                break;
            }
            sent[checker.expected++].copyFrom(scratch);
        }
        checker.sent = sent;
        checker.version = version;
        return checker.expected;
    }

    private static void randomEntry(SplittableRandom rnd, int version, SyncEntry e) {
        e.clear();
        e.af = version == 1 && rnd.nextInt(4) == 0 ? Af.INET6 : Af.INET;
        boolean template = rnd.nextInt(4) == 0;
        int[] protocols = {6, 17, 132};
        e.protocol = template && rnd.nextBoolean() ? 0 : protocols[rnd.nextInt(3)];
        int flags = rnd.nextInt() & (ConnFlags.FWD_MASK | ConnFlags.NOOUTPUT | ConnFlags.INACTIVE | ConnFlags.NO_CPORT
            | ConnFlags.HASHED | ConnFlags.ONE_PACKET | ConnFlags.NFCT | ConnFlags.SYNC);
        if (rnd.nextInt(3) == 0) {
            flags |= rnd.nextBoolean() ? ConnFlags.SEQ_MASK : ConnFlags.IN_SEQ;
        }
        if (template) {
            flags |= ConnFlags.TEMPLATE;
            e.state = rnd.nextInt(2);
        } else {
            e.state = rnd.nextInt(Protocols.get(e.protocol).stateCount());
        }
        e.flags = flags;
        e.cport = rnd.nextInt(65536);
        e.vport = rnd.nextInt(65536);
        e.dport = rnd.nextInt(65536);
        e.fwmark = rnd.nextInt();
        e.timeout = rnd.nextInt();
        if (e.af == Af.INET6) {
            e.caddrHi = rnd.nextLong();
            e.caddrLo = rnd.nextLong();
            e.vaddrHi = rnd.nextLong();
            e.vaddrLo = rnd.nextLong();
            e.daddrHi = rnd.nextLong();
            e.daddrLo = rnd.nextLong();
        } else {
            e.caddrLo = rnd.nextLong() >>> 32;
            e.vaddrLo = rnd.nextLong() >>> 32;
            e.daddrLo = rnd.nextLong() >>> 32;
        }
        e.seq(rnd.nextInt(), rnd.nextInt(), rnd.nextInt(), rnd.nextInt(), rnd.nextInt(), rnd.nextInt());
        if (version == 1 && template && rnd.nextInt(3) == 0) {
            int len = 1 + rnd.nextInt(rnd.nextBoolean() ? 255 : 20);
            for (int i = 0; i < len; i++) {
                e.peData[i] = (byte) rnd.nextInt(256);
            }
            e.peDataLength = len;
            e.peName("sip");
        }
    }

    /** Applies 1..4 random mutations; returns the new datagram length. */
    private int mutate(SplittableRandom rnd, int length) {
        int k = 1 + rnd.nextInt(4);
        for (int m = 0; m < k; m++) {
            switch (rnd.nextInt(8)) {
                case 0 -> {
                    if (length > 0) {
                        bytes[rnd.nextInt(length)] ^= (byte) (1 << rnd.nextInt(8));
                    }
                }
                case 1 -> {
                    if (length > 0) {
                        bytes[rnd.nextInt(length)] = (byte) rnd.nextInt(256);
                    }
                }
                case 2 -> {
                    if (length > 0) {
                        bytes[rnd.nextInt(length)] = (byte) INTERESTING[rnd.nextInt(INTERESTING.length)];
                    }
                }
                case 3 -> length = rnd.nextInt(length + 1);
                case 4 -> {
                    int extra = 1 + rnd.nextInt(64);
                    for (int i = 0; i < extra && length < MAX_DATAGRAM; i++) {
                        bytes[length++] = (byte) rnd.nextInt(256);
                    }
                }
                case 5 -> {
                    // a random ver_size / option length / count right where a field may be
                    if (length > 1) {
                        int at = rnd.nextInt(length - 1);
                        bytes[at] = (byte) INTERESTING[rnd.nextInt(INTERESTING.length)];
                        bytes[at + 1] = (byte) rnd.nextInt(256);
                    }
                }
                case 6 -> {
                    // the header's entry count (v1 byte 4, v0 byte 0)
                    int at = rnd.nextBoolean() ? 4 : 0;
                    if (length > at) {
                        bytes[at] = (byte) rnd.nextInt(256);
                    }
                }
                default -> {
                    // random garbage behind a plausible header
                    length = rnd.nextInt(400);
                    for (int i = 0; i < length; i++) {
                        bytes[i] = (byte) rnd.nextInt(256);
                    }
                    if (length >= 8 && rnd.nextBoolean()) {
                        bytes[0] = 0;
                        bytes[5] = 1;
                        bytes[6] = 0;
                        bytes[7] = 0;
                    }
                }
            }
        }
        return length;
    }

    /** Checks the invariants of each delivered entry and, for intact messages, compares with what was sent. */
    private final class Checker implements SyncEntryHandler {
        SyncEntry[] sent;
        int version;
        int expected;
        int delivered;
        int matched;
        boolean sawV0;
        boolean ipv6Disabled;
        long v0Before;

        void start(boolean ipv6Disabled) {
            this.delivered = 0;
            this.matched = 0;
            this.sawV0 = false;
            this.ipv6Disabled = ipv6Disabled;
            this.v0Before = counters.v0Messages();
        }

        @Override
        public void onEntry(SyncEntry e) {
            boolean v0 = counters.v0Messages() > v0Before;
            sawV0 |= v0;
            assertThat(e.af == Af.INET || e.af == Af.INET6 && !v0 && !ipv6Disabled).as("af %s", e).isTrue();
            assertThat(e.protocol & ~0xff).isZero();
            assertThat((e.state | e.cport | e.vport | e.dport) & ~0xffff).as("16-bit fields %s", e).isZero();
            assertThat(e.flags & ConnFlags.SYNC).as("SYNC set %s", e).isNotZero();
            assertThat(e.flags & ConnFlags.HASHED).as("HASHED clear %s", e).isZero();
            if (v0) {
                assertThat(e.flags & ~0xffff).as("v0 flags %s", e).isZero();
                assertThat(e.timeout | e.fwmark | e.peDataLength).as("v0 has no timeout/fwmark/PE %s", e).isZero();
            } else {
                assertThat(e.flags & ~(ConnFlags.BACKUP_MASK | ConnFlags.SYNC)).as("v1 flags %s", e).isZero();
            }
            if ((e.flags & ConnFlags.TEMPLATE) == 0) {
                ProtocolHandler pp = Protocols.get(e.protocol);
                assertThat(pp).as("protocol known %s", e).isNotNull();
                assertThat(e.state).as("state in range %s", e).isLessThan(pp.stateCount());
            }
            if (e.af == Af.INET) {
                assertThat(e.caddrHi | e.vaddrHi | e.daddrHi | (e.caddrLo | e.vaddrLo | e.daddrLo) >>> 32)
                    .as("IPv4 addresses %s", e).isZero();
            }
            if (e.peDataLength > 0) {
                assertThat(e.peDataLength).isLessThanOrEqualTo(255);
                assertThat(e.peNameString()).as("PE %s", e).isEqualTo("sip");
            } else {
                assertThat(e.peNameLength).as("no PE name without PE data %s", e).isZero();
            }
            if (delivered < expected && sameAsSent(e, sent[delivered])) {
                matched++;
            }
            delivered++;
        }

        private boolean sameAsSent(SyncEntry got, SyncEntry s) {
            boolean seq = (s.flags & ConnFlags.SEQ_MASK) != 0;
            int flags = version == 1
                ? s.flags & ConnFlags.BACKUP_MASK | ConnFlags.SYNC
                : (s.flags & 0xffff | ConnFlags.SYNC) & ~ConnFlags.HASHED;
            return got.af == s.af && got.protocol == s.protocol && got.flags == flags && got.state == s.state
                && got.cport == s.cport && got.vport == s.vport && got.dport == s.dport
                && got.fwmark == (version == 1 ? s.fwmark : 0) && got.timeout == (version == 1 ? s.timeout : 0)
                && got.caddrHi == s.caddrHi && got.caddrLo == s.caddrLo && got.vaddrHi == s.vaddrHi
                && got.vaddrLo == s.vaddrLo && got.daddrHi == s.daddrHi && got.daddrLo == s.daddrLo
                && got.seqPresent == seq
                && (!seq || got.inSeqInit == s.inSeqInit && got.inSeqDelta == s.inSeqDelta
                    && got.inSeqPreviousDelta == s.inSeqPreviousDelta && got.outSeqInit == s.outSeqInit
                    && got.outSeqDelta == s.outSeqDelta && got.outSeqPreviousDelta == s.outSeqPreviousDelta)
                && Arrays.equals(got.peData, 0, got.peDataLength, s.peData, 0, s.peDataLength)
                && got.peNameLength == (s.peDataLength > 0 ? s.peNameLength : 0);
        }
    }
}
