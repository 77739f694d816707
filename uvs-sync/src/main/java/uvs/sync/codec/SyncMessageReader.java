package uvs.sync.codec;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import uvs.core.conn.ConnFlags;
import uvs.core.net.Af;
import uvs.core.proto.ProtocolHandler;
import uvs.core.proto.Protocols;
import uvs.core.proto.TemplateState;

/**
 * The backup's side of the codec (ip_vs_process_message, ip_vs_proc_sync_conn,
 * ip_vs_process_message_v0): validates one received datagram exactly as the kernel does and delivers
 * every accepted entry to a {@link SyncEntryHandler}. Never throws on any datagram content and never
 * reads outside {@code [offset, offset + length)}; allocation-free. Not thread-safe (one per receiver).
 *
 * <p>Message checks, in order (any failure drops the whole message): length &lt; 4; length ≠ header
 * size; backup syncid ≠ 0 and ≠ message syncid. Then v1 ({@code version == 1 && reserved == 0 &&
 * spare == 0}, message at least 8 bytes) or else v0.
 *
 * <p>v1, per entry (see {@link SyncConnV1} for the layout): fewer than 36 bytes left, declared size past
 * the datagram, format version ≠ 0, bad type byte, size below the fixed part, and every option fault
 * except an unknown mandatory type drop the <em>rest</em> of the message (earlier entries stay
 * delivered). An unknown mandatory option, an unknown protocol or bad state (non-templates), PE data
 * without PE name or with an unregistered PE name skip only that entry. Accepted flags are
 * {@code received & BACKUP_MASK | SYNC}. The next entry starts at {@code start + ((size + 3) & ~3)}.
 *
 * <p>v0, per entry (see {@link SyncConnV0}): an entry (24, or 48 with sequence data) that does not fit
 * drops the rest; unknown protocol / bad state skip it. Accepted flags are
 * {@code received 16 bits | SYNC} with HASHED cleared, no BACKUP_MASK; timeout and fwmark are 0.
 *
 * <p>Templates (TEMPLATE flag) skip the protocol and state checks; a template state ≥ 2 is accepted and
 * only counted. A PE_NAME without PE_DATA is ignored (delivered with no PE name). The PE name is taken
 * up to its first NUL byte, as the kernel's C-string lookup sees it.
 */
public final class SyncMessageReader {
    /** Outcome of one v1 entry: delivered. */
    private static final int ACCEPTED = 0;
    /** Outcome of one v1 entry: skipped (counted), go on. */
    private static final int SKIPPED = 1;
    /** Outcome of one v1 entry: rest of the message dropped (counted). */
    private static final int DROP_REST = 2;

    private final SyncPeRegistry peRegistry;
    private final boolean ipv6Enabled;
    private final SyncMessageHeader header = new SyncMessageHeader();
    private final SyncConnV1 v1 = new SyncConnV1();
    private final SyncConnV0 v0 = new SyncConnV0();
    private final SyncEntry entry = new SyncEntry();

    /** A reader with the UVS backup's defaults: PE registry {@link SyncPeRegistry#SIP}, IPv6 enabled. */
    public SyncMessageReader() {
        this(SyncPeRegistry.SIP, true);
    }

    /**
     * A reader with an explicit configuration.
     *
     * @param peRegistry  the persistence engines registered on this backup
     * @param ipv6Enabled false to behave like a kernel without IPv6 IPVS (IPv6 entries are skipped)
     */
    public SyncMessageReader(SyncPeRegistry peRegistry, boolean ipv6Enabled) {
        if (peRegistry == null) {
            throw new IllegalArgumentException("peRegistry is null");
        }
        this.peRegistry = peRegistry;
        this.ipv6Enabled = ipv6Enabled;
    }

    /**
     * Parses one received datagram.
     *
     * @param buf          the datagram's buffer
     * @param offset       start of the datagram
     * @param length       datagram length
     * @param backupSyncid the backup's syncid 0..255; 0 accepts every syncid
     * @param handler      receives each accepted entry
     * @param counters     updated with what happened
     * @return number of entries delivered
     * @throws IllegalArgumentException when offset/length do not lie within the buffer or the syncid is
     *                                  out of range (caller errors, never the datagram's content)
     */
    public int read(DirectBuffer buf, int offset, int length, int backupSyncid, SyncEntryHandler handler,
                    SyncReceiveCounters counters) {
        if (offset < 0 || length < 0 || (long) offset + length > buf.capacity()) {
            throw new IllegalArgumentException("datagram [" + offset + ", +" + length + ") outside buffer capacity "
                + buf.capacity());
        }
        if (backupSyncid < 0 || backupSyncid > 255) {
            throw new IllegalArgumentException("backup syncid " + backupSyncid + " outside 0..255");
        }
        counters.onMessage(length);
        if (length < SyncMessageHeader.V0_LENGTH) {
            counters.onDrop(SyncDropReason.TOO_SHORT);
            return 0;
        }
        header.wrap(buf, offset);
        if (header.size() != length) {
            counters.onDrop(SyncDropReason.SIZE_MISMATCH);
            return 0;
        }
        if (backupSyncid != 0 && header.syncid() != backupSyncid) {
            counters.onDrop(SyncDropReason.SYNCID_MISMATCH);
            return 0;
        }
        if (header.isV1(length)) {
            counters.onV1();
            return readV1(buf, offset, length, header.nrConns(), handler, counters);
        }
        counters.onV0();
        return readV0(buf, offset, length, header.nrConnsV0(), handler, counters);
    }

    private int readV1(DirectBuffer buf, int offset, int length, int nrConns, SyncEntryHandler handler,
                       SyncReceiveCounters counters) {
        int delivered = 0;
        // positions are relative to the datagram start, so they cannot overflow
        int p = SyncMessageHeader.V1_LENGTH;
        for (int i = 0; i < nrConns; i++) {
            if (p + SyncConnV1.V4_LENGTH > length) {
                counters.onDrop(SyncDropReason.TRUNCATED_ENTRY);
                return delivered;
            }
            v1.wrap(buf, offset + p);
            int size = v1.size();
            if (p + size > length) {
                counters.onDrop(SyncDropReason.TRUNCATED_ENTRY);
                return delivered;
            }
            if (v1.formatVersion() != 0) {
                counters.onDrop(SyncDropReason.BAD_ENTRY_VERSION);
                return delivered;
            }
            int outcome = readV1Entry(buf, offset + p, size, counters);
            if (outcome == DROP_REST) {
                return delivered;
            }
            if (outcome == ACCEPTED) {
                counters.onAccepted();
                delivered++;
                handler.onEntry(entry);
            }
            p += (size + 3) & ~3;
        }
        return delivered;
    }

    /** One v1 entry of {@code size} bytes at {@code start} (already known to lie within the datagram). */
    private int readV1Entry(DirectBuffer buf, int start, int size, SyncReceiveCounters counters) {
        SyncEntry e = entry;
        int type = v1.type();
        int fixed;
        if ((type & SyncConnV1.TYPE_F_INET6) != 0) {
            if (!ipv6Enabled) {
                counters.onSkip(SyncSkipReason.IPV6_UNSUPPORTED);
                return SKIPPED;
            }
            e.af = Af.INET6;
            fixed = SyncConnV1.V6_LENGTH;
        } else if (type == 0) {
            e.af = Af.INET;
            fixed = SyncConnV1.V4_LENGTH;
        } else {
            counters.onDrop(SyncDropReason.BAD_TYPE);
            return DROP_REST;
        }
        if (fixed > size) {
            counters.onDrop(SyncDropReason.BAD_ENTRY_SIZE);
            return DROP_REST;
        }

        e.clearSeq();
        int peDataAt = -1;
        int peDataLength = 0;
        int peNameAt = -1;
        int peNameLength = 0;
        int expiresInMillis = -1;
        int end = start + size;
        int p = start + fixed;
        while (p < end) {
            if (p + SyncConnV1.OPT_DATA_OFFSET > end) {
                counters.onDrop(SyncDropReason.TRUNCATED_OPTION);
                return DROP_REST;
            }
            int ptype = buf.getByte(p + SyncConnV1.OPT_TYPE_OFFSET) & 0xff;
            int plen = buf.getByte(p + SyncConnV1.OPT_LENGTH_OFFSET) & 0xff;
            p += SyncConnV1.OPT_DATA_OFFSET;
            if (plen == 0) {
                counters.onDrop(SyncDropReason.BAD_OPTION);
                return DROP_REST;
            }
            if (p + plen > end) {
                counters.onDrop(SyncDropReason.TRUNCATED_OPTION);
                return DROP_REST;
            }
            switch (ptype & ~SyncConnV1.OPT_F_PARAM) {
                case SyncConnV1.OPT_SEQ_DATA -> {
                    if (plen != SyncConnV1.SEQ_DATA_LENGTH || e.seqPresent) {
                        counters.onDrop(SyncDropReason.BAD_OPTION);
                        return DROP_REST;
                    }
                    e.seqPresent = true;
                    SyncConnV1.getSeqData(buf, p, e);
                }
                case SyncConnV1.OPT_PE_DATA -> {
                    if (peDataAt >= 0) {
                        counters.onDrop(SyncDropReason.BAD_OPTION);
                        return DROP_REST;
                    }
                    peDataAt = p;
                    peDataLength = plen;
                }
                case SyncConnV1.OPT_PE_NAME -> {
                    if (plen > SyncConnV1.PE_NAME_MAXLEN || peNameAt >= 0) {
                        counters.onDrop(SyncDropReason.BAD_OPTION);
                        return DROP_REST;
                    }
                    peNameAt = p;
                    peNameLength = plen;
                }
                case SyncConnV1.OPT_UVS_EXPIRES -> {
                    int ms = plen == SyncConnV1.EXPIRES_LENGTH ? buf.getInt(p, ByteOrder.BIG_ENDIAN) : -1;
                    if (ms < 0 || expiresInMillis >= 0) {
                        // a wrong length, over 2^31 ms, or twice
                        counters.onDrop(SyncDropReason.BAD_OPTION);
                        return DROP_REST;
                    }
                    expiresInMillis = ms;
                }
                default -> {
                    if ((ptype & SyncConnV1.OPT_F_PARAM) == 0) {
                        counters.onSkip(SyncSkipReason.UNKNOWN_OPTION);
                        return SKIPPED;
                    }
                }
            }
            p += plen;
        }

        int flags = v1.flags() & ConnFlags.BACKUP_MASK | ConnFlags.SYNC;
        int state = v1.state();
        int protocol = v1.protocol();
        if (!checkState(protocol, flags, state, counters)) {
            return SKIPPED;
        }
        e.peDataLength = 0;
        e.peNameLength = 0;
        if (peDataLength > 0) {
            if (peNameAt < 0) {
                counters.onSkip(SyncSkipReason.PE_DATA_WITHOUT_NAME);
                return SKIPPED;
            }
            int n = 0;
            while (n < peNameLength && buf.getByte(peNameAt + n) != 0) {
                n++;
            }
            buf.getBytes(peNameAt, e.peName, 0, n);
            if (!peRegistry.isKnown(e.peName, n)) {
                counters.onSkip(SyncSkipReason.UNKNOWN_PE);
                return SKIPPED;
            }
            e.peNameLength = n;
            buf.getBytes(peDataAt, e.peData, 0, peDataLength);
            e.peDataLength = peDataLength;
        }

        e.protocol = protocol;
        e.flags = flags;
        e.wireFlags = v1.flags();
        e.state = state;
        e.cport = v1.cport();
        e.vport = v1.vport();
        e.dport = v1.dport();
        e.fwmark = v1.fwmark();
        e.timeout = v1.timeout();
        e.caddrHi = v1.caddrHi();
        e.caddrLo = v1.caddrLo();
        e.vaddrHi = v1.vaddrHi();
        e.vaddrLo = v1.vaddrLo();
        e.daddrHi = v1.daddrHi();
        e.daddrLo = v1.daddrLo();
        e.expiresInMillis = expiresInMillis;
        return ACCEPTED;
    }

    private int readV0(DirectBuffer buf, int offset, int length, int nrConns, SyncEntryHandler handler,
                       SyncReceiveCounters counters) {
        SyncEntry e = entry;
        int delivered = 0;
        int p = SyncMessageHeader.V0_LENGTH;
        for (int i = 0; i < nrConns; i++) {
            if (p + SyncConnV0.SIMPLE_LENGTH > length) {
                counters.onDrop(SyncDropReason.TRUNCATED_ENTRY);
                return delivered;
            }
            v0.wrap(buf, offset + p);
            int flags = (v0.flags() | ConnFlags.SYNC) & ~ConnFlags.HASHED;
            boolean seq = (flags & ConnFlags.SEQ_MASK) != 0;
            p += seq ? SyncConnV0.FULL_LENGTH : SyncConnV0.SIMPLE_LENGTH;
            if (p > length) {
                counters.onDrop(SyncDropReason.TRUNCATED_ENTRY);
                return delivered;
            }
            int protocol = v0.protocol();
            int state = v0.state();
            if (!checkState(protocol, flags, state, counters)) {
                continue;
            }
            e.af = Af.INET;
            e.expiresInMillis = -1;
            e.protocol = protocol;
            e.flags = flags;
            e.wireFlags = v0.flags();
            e.state = state;
            e.cport = v0.cport();
            e.vport = v0.vport();
            e.dport = v0.dport();
            e.fwmark = 0;
            e.timeout = 0;
            e.caddrHi = 0;
            e.caddrLo = v0.caddr() & 0xffff_ffffL;
            e.vaddrHi = 0;
            e.vaddrLo = v0.vaddr() & 0xffff_ffffL;
            e.daddrHi = 0;
            e.daddrLo = v0.daddr() & 0xffff_ffffL;
            if (seq) {
                e.seqPresent = true;
                e.seq(v0.seq(0), v0.seq(1), v0.seq(2), v0.seq(3), v0.seq(4), v0.seq(5));
            } else {
                e.clearSeq();
            }
            e.peDataLength = 0;
            e.peNameLength = 0;
            counters.onAccepted();
            delivered++;
            handler.onEntry(e);
        }
        return delivered;
    }

    /** Protocol/state checks shared by v0 and v1; false (and counted) when the entry must be skipped. */
    private static boolean checkState(int protocol, int flags, int state, SyncReceiveCounters counters) {
        if ((flags & ConnFlags.TEMPLATE) != 0) {
            if (state >= TemplateState.COUNT) {
                counters.onTemplateBadState();
            }
            return true;
        }
        ProtocolHandler pp = Protocols.get(protocol);
        if (pp == null) {
            counters.onSkip(SyncSkipReason.UNKNOWN_PROTOCOL);
            return false;
        }
        if (state >= pp.stateCount()) {
            counters.onSkip(SyncSkipReason.BAD_STATE);
            return false;
        }
        return true;
    }
}
