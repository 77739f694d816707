package uvs.sync.codec;

import java.nio.charset.StandardCharsets;
import uvs.core.net.Af;

/**
 * One sync connection entry in decoded form: a plain, reusable mutable struct. The master fills it and
 * passes it to {@link SyncMessageWriter#tryAppend}; the backup's {@link SyncMessageReader} fills one
 * instance per entry and hands it to a {@link SyncEntryHandler}. Never allocated per message.
 *
 * <p>Addresses are held as two longs like {@code uvs.core.PacketHeader}: IPv4 in the low 32 bits of
 * the {@code *Lo} field with {@code *Hi == 0}. Ports are host-order ints 0..65535. {@link #fwmark} and
 * {@link #timeout} carry the raw u32 bits.
 */
public final class SyncEntry {
    /** {@link Af#INET} or {@link Af#INET6}. */
    public int af = Af.INET;
    /** IP protocol; 0 for fwmark persistence templates. */
    public int protocol;
    /** Connection flags ({@code uvs.core.conn.ConnFlags}). */
    public int flags;
    /**
     * Reader output: the flags exactly as the datagram carried them (before the backup masks them and adds
     * SYNC), which the sniffer shows; the writer ignores it.
     */
    public int wireFlags;
    /** Protocol state (or template state). */
    public int state;
    /** Client port. */
    public int cport;
    /** Virtual port. */
    public int vport;
    /** Real-server port. */
    public int dport;
    /** Firewall mark (0 in v0). */
    public int fwmark;
    /** Current full state timeout in seconds (0 in v0). */
    public int timeout;
    /** Client address, high half. */
    public long caddrHi;
    /** Client address, low half. */
    public long caddrLo;
    /** Virtual address (for fwmark templates: the fwmark), high half. */
    public long vaddrHi;
    /** Virtual address, low half. */
    public long vaddrLo;
    /** Real-server address, high half. */
    public long daddrHi;
    /** Real-server address, low half. */
    public long daddrLo;
    /**
     * Reader output: sequence data was present (v1 SEQ_DATA option, v0 flags &amp; 0x0600). The writer
     * ignores it and follows the flags, as the kernel does.
     */
    public boolean seqPresent;
    /** in_seq.init_seq. */
    public int inSeqInit;
    /** in_seq.delta. */
    public int inSeqDelta;
    /** in_seq.previous_delta. */
    public int inSeqPreviousDelta;
    /** out_seq.init_seq. */
    public int outSeqInit;
    /** out_seq.delta. */
    public int outSeqDelta;
    /** out_seq.previous_delta. */
    public int outSeqPreviousDelta;
    /** Persistence-engine data (e.g. a SIP Call-ID); the first {@link #peDataLength} bytes are valid. */
    public final byte[] peData = new byte[256];
    /** Length of {@link #peData}, 0 = none, at most 255. */
    public int peDataLength;
    /** Persistence-engine name, ASCII, no NUL; the first {@link #peNameLength} bytes are valid. */
    public final byte[] peName = new byte[SyncConnV1.PE_NAME_MAXLEN];
    /** Length of {@link #peName}, 0 = none, at most 16. */
    public int peNameLength;
    /**
     * Milliseconds until the entry's timer fires on the master (UVS option EXPIRES, v1 only), or -1 when
     * the entry carries none (IPVS masters, plain mode).
     */
    public int expiresInMillis = -1;

    /** Resets every field to its default, for reuse. */
    public SyncEntry clear() {
        af = Af.INET;
        protocol = 0;
        flags = 0;
        state = 0;
        cport = 0;
        vport = 0;
        dport = 0;
        fwmark = 0;
        timeout = 0;
        caddrHi = 0;
        caddrLo = 0;
        vaddrHi = 0;
        vaddrLo = 0;
        daddrHi = 0;
        daddrLo = 0;
        clearSeq();
        peDataLength = 0;
        peNameLength = 0;
        expiresInMillis = -1;
        return this;
    }

    /** Sets all six sequence words (in_seq then out_seq). */
    public SyncEntry seq(int inInit, int inDelta, int inPreviousDelta, int outInit, int outDelta,
                         int outPreviousDelta) {
        inSeqInit = inInit;
        inSeqDelta = inDelta;
        inSeqPreviousDelta = inPreviousDelta;
        outSeqInit = outInit;
        outSeqDelta = outDelta;
        outSeqPreviousDelta = outPreviousDelta;
        return this;
    }

    /**
     * Copies persistence-engine data.
     *
     * @throws IllegalArgumentException when length is outside 0..255
     */
    public SyncEntry peData(byte[] src, int offset, int length) {
        if (length < 0 || length > SyncConnV1.PE_DATA_MAXLEN) {
            throw new IllegalArgumentException("PE data length " + length + " outside 0.." + SyncConnV1.PE_DATA_MAXLEN);
        }
        System.arraycopy(src, offset, peData, 0, length);
        peDataLength = length;
        return this;
    }

    /**
     * Sets the persistence-engine name from ASCII text.
     *
     * @throws IllegalArgumentException when longer than 16 characters or not ASCII
     */
    public SyncEntry peName(CharSequence name) {
        int n = name.length();
        if (n > SyncConnV1.PE_NAME_MAXLEN) {
            throw new IllegalArgumentException("PE name longer than " + SyncConnV1.PE_NAME_MAXLEN + ": " + name);
        }
        for (int i = 0; i < n; i++) {
            char c = name.charAt(i);
            if (c == 0 || c > 0x7f) {
                throw new IllegalArgumentException("PE name is not NUL-free ASCII: " + name);
            }
            peName[i] = (byte) c;
        }
        peNameLength = n;
        return this;
    }

    /** The PE name as a string (control plane and tests; allocates). */
    public String peNameString() {
        return new String(peName, 0, peNameLength, StandardCharsets.US_ASCII);
    }

    /** Copies every field of another entry into this one. */
    public SyncEntry copyFrom(SyncEntry o) {
        af = o.af;
        protocol = o.protocol;
        flags = o.flags;
        wireFlags = o.wireFlags;
        state = o.state;
        cport = o.cport;
        vport = o.vport;
        dport = o.dport;
        fwmark = o.fwmark;
        timeout = o.timeout;
        caddrHi = o.caddrHi;
        caddrLo = o.caddrLo;
        vaddrHi = o.vaddrHi;
        vaddrLo = o.vaddrLo;
        daddrHi = o.daddrHi;
        daddrLo = o.daddrLo;
        seqPresent = o.seqPresent;
        seq(o.inSeqInit, o.inSeqDelta, o.inSeqPreviousDelta, o.outSeqInit, o.outSeqDelta, o.outSeqPreviousDelta);
        System.arraycopy(o.peData, 0, peData, 0, o.peDataLength);
        peDataLength = o.peDataLength;
        System.arraycopy(o.peName, 0, peName, 0, o.peNameLength);
        peNameLength = o.peNameLength;
        expiresInMillis = o.expiresInMillis;
        return this;
    }

    void clearSeq() {
        seqPresent = false;
        seq(0, 0, 0, 0, 0, 0);
    }

    @Override
    public String toString() {
        return "SyncEntry{af=" + af + ", protocol=" + protocol + ", flags=0x" + Integer.toHexString(flags)
            + ", state=" + state + ", cport=" + cport + ", vport=" + vport + ", dport=" + dport
            + ", fwmark=" + fwmark + ", timeout=" + Integer.toUnsignedString(timeout)
            + ", caddr=" + Long.toHexString(caddrHi) + "/" + Long.toHexString(caddrLo)
            + ", vaddr=" + Long.toHexString(vaddrHi) + "/" + Long.toHexString(vaddrLo)
            + ", daddr=" + Long.toHexString(daddrHi) + "/" + Long.toHexString(daddrLo)
            + ", seq=" + (seqPresent ? inSeqInit + "," + inSeqDelta + "," + inSeqPreviousDelta + ","
                + outSeqInit + "," + outSeqDelta + "," + outSeqPreviousDelta : "-")
            + ", peData=" + peDataLength + "B, peName=" + peNameString()
            + (expiresInMillis >= 0 ? ", expiresIn=" + expiresInMillis + "ms" : "") + "}";
    }
}
